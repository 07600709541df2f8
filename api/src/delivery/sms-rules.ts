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
 *   looser): people/account-codes.ts throttles to that before a
 *   provider ever refuses;
 * - notifications: at most 50 a day per number, sign and template (Alibaba
 *   Cloud, over the last 24 hours); Tencent Cloud, by default, one message of
 *   the same content a number in 30 seconds and a daily count per number per
 *   natural day (自然日, Beijing time), both changeable in its console. Past a
 *   limit each answers a flow-control code: the adapters read its window
 *   (flowControlWindowSeconds below) and the outbox waits it out.
 */
import { addDays, instantOf, wallTimeAt } from '../kernel/time.ts';

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

/** The providers' day for their daily counts: the natural day in Beijing time. */
const PROVIDER_TIME_ZONE = 'Asia/Shanghai';

/** Seconds from `now` to the next midnight in Beijing time (at least one). */
export function secondsToNextProviderDay(now: Date): number {
  const tomorrow = addDays(wallTimeAt(now, PROVIDER_TIME_ZONE), 1);
  const midnight = instantOf({ ...tomorrow, hour: 0, minute: 0 }, PROVIDER_TIME_ZONE);
  return Math.max(1, Math.ceil((midnight.getTime() - now.getTime()) / 1000));
}

/**
 * How long a provider's flow-control answer holds a number back, or null when
 * the answer is none. Alibaba Cloud answers isv.BUSINESS_LIMIT_CONTROL with
 * the level in its Message (触发分钟级流控 / 小时级 / 天级: a minute, an hour,
 * the last 24 hours); Tencent Cloud a LimitExceeded.PhoneNumber… code per
 * window (30 seconds, an hour, the natural day), or DeliveryFrequencyLimit for
 * a policy of the console's (its window unknown: a minute, then again).
 */
export function flowControlWindowSeconds(code: string, message: string, now: Date): number | null {
  if (code === 'isv.BUSINESS_LIMIT_CONTROL') {
    if (message.includes('天级')) return 24 * 3600;
    if (message.includes('小时级')) return 3600;
    return 60;
  }
  switch (code) {
    case 'LimitExceeded.PhoneNumberThirtySecondLimit':
      return 30;
    case 'LimitExceeded.PhoneNumberOneHourLimit':
      return 3600;
    case 'LimitExceeded.PhoneNumberDailyLimit':
    case 'LimitExceeded.PhoneNumberSameContentDailyLimit':
      return secondsToNextProviderDay(now);
    case 'LimitExceeded.DeliveryFrequencyLimit':
      return 60;
    default:
      return null;
  }
}
