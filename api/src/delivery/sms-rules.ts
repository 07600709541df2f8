/**
 * What both SMS providers require of a message, whichever sends it. Both
 * send only approved templates: the text is the template's, we pass its
 * parameters. Their documented limits:
 * - a verification-code template has one variable of 4 to 6 characters
 *   (our codes are 6 digits);
 * - any other variable: at most 35 characters; longer values (an activity's
 *   title, an organization's name) are cut with an ellipsis rather than
 *   refused, so the message still goes;
 * - a whole message, signature and variables included, at most 500
 *   characters (longer texts are sent as several SMS of 67 characters, each
 *   billed; the templates we document stay within one or two);
 * - per number, verification codes at most 1 a minute, 5 an hour and 10 a
 *   day (Alibaba Cloud's default flow control; Tencent Cloud's default is
 *   looser): people/verification-codes.ts throttles to that before a
 *   provider ever refuses.
 */
export const SMS_PARAM_MAX_LENGTH = 35;
export const SMS_MESSAGE_MAX_LENGTH = 500;

/**
 * The parameters, each cut to the providers' length (by characters, not UTF-16
 * units); a `link` stays whole (cut, it would lead nowhere: a template with a
 * link variable needs the provider's approval for it).
 */
export function fitTemplateParams(params: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(params).map(([name, value]) => {
      // By code points, as the providers count characters (a CJK character is one).
      const characters = Array.from(value);
      return [
        name,
        name === 'link' || characters.length <= SMS_PARAM_MAX_LENGTH
          ? value
          : `${characters.slice(0, SMS_PARAM_MAX_LENGTH - 1).join('')}…`,
      ];
    }),
  );
}

/** A mainland mobile number in E.164 (+86…), as Tencent Cloud takes it; Alibaba Cloud takes the 11 digits. */
export function e164Mainland(phone: string): string {
  return phone.startsWith('+') ? phone : `+86${phone}`;
}
