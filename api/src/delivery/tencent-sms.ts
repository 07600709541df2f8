/**
 * Tencent Cloud SMS (腾讯云短信), action SendSms, version 2021-01-11, signed
 * with the documented TC3-HMAC-SHA256 (signature v3):
 *
 * 1. CanonicalRequest = POST \n / \n (empty query) \n canonical headers \n
 *    signed headers \n hex(SHA-256(body)); the headers signed are
 *    content-type, host and x-tc-action, lower-cased "name:value\n" each;
 * 2. StringToSign = "TC3-HMAC-SHA256" \n timestamp \n date/sms/tc3_request \n
 *    hex(SHA-256(CanonicalRequest)), the date being the timestamp's UTC day;
 * 3. key = HMAC-SHA256 over "TC3" + SecretKey, then the date, "sms", "tc3_request";
 *    Signature = hex(HMAC-SHA256(key, StringToSign));
 * 4. Authorization: TC3-HMAC-SHA256 Credential=SecretId/date/sms/tc3_request,
 *    SignedHeaders=content-type;host;x-tc-action, Signature=….
 *
 * The answer is { Response: { SendStatusSet: [{ Code: "Ok", … }] } }, or
 * { Response: { Error: { Code, Message } } } when the call itself failed.
 */
import { createHash, createHmac } from 'node:crypto';
import type { Clock } from '../shared/clock.ts';

import { parseJsonObject, postWithTimeout } from './http.ts';
import { e164Mainland, fitTemplateParams, flowControlWindowSeconds } from './sms-rules.ts';
import {
  type DeliveryAdapter,
  DeliveryRateLimitedError,
  type MessageKind,
  PermanentDeliveryError,
} from '../shared/delivery.ts';

export const TENCENT_SMS_ENDPOINT = 'https://sms.tencentcloudapi.com/';
const SERVICE = 'sms';
const CONTENT_TYPE = 'application/json; charset=utf-8';

export interface TencentSmsSettings {
  secretId: string;
  secretKey: string;
  /** SmsSdkAppId: the SMS application the sign and templates belong to. */
  sdkAppId: string;
  signName: string;
  region: string;
  /** Template id (digits) per message kind; its {1}, {2}, … take the message's parameters in order. */
  templates: Partial<Record<MessageKind, string>>;
  endpoint: string;
  timeoutMs: number;
}

const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');
const hmac = (key: Buffer | string, text: string) => createHmac('sha256', key).update(text).digest();

/** The Authorization header of a request, by the documented algorithm. */
export function tencentAuthorization(request: {
  secretId: string;
  secretKey: string;
  host: string;
  action: string;
  timestamp: number;
  body: string;
}): string {
  const date = new Date(request.timestamp * 1000).toISOString().slice(0, 10);
  const signedHeaders = 'content-type;host;x-tc-action';
  const canonicalHeaders = `content-type:${CONTENT_TYPE}\nhost:${request.host}\nx-tc-action:${request.action.toLowerCase()}\n`;
  const canonicalRequest = ['POST', '/', '', canonicalHeaders, signedHeaders, sha256Hex(request.body)].join('\n');
  const scope = `${date}/${SERVICE}/tc3_request`;
  const stringToSign = ['TC3-HMAC-SHA256', String(request.timestamp), scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = hmac(hmac(hmac(`TC3${request.secretKey}`, date), SERVICE), 'tc3_request');
  const signature = createHmac('sha256', signingKey).update(stringToSign).digest('hex');
  return `TC3-HMAC-SHA256 Credential=${request.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}

/** Sending again will not help: bad parameters (a number, a template, a sign), bad keys, a number that unsubscribed. */
function isPermanent(code: string): boolean {
  return (
    code.startsWith('InvalidParameter') ||
    code.startsWith('AuthFailure') ||
    code.startsWith('UnauthorizedOperation') ||
    code.startsWith('MissingParameter') ||
    code === 'FailedOperation.TemplateIncorrectOrUnapproved' ||
    code === 'FailedOperation.SignatureIncorrectOrUnapproved' ||
    code === 'FailedOperation.PhoneNumberInBlacklist' ||
    code === 'FailedOperation.ContainSensitiveWord'
  );
}

function stringField(value: unknown, name: string): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const field: unknown = (value as Record<string, unknown>)[name];
  return typeof field === 'string' ? field : null;
}

export function tencentSmsAdapter(settings: TencentSmsSettings, clock: Clock): DeliveryAdapter {
  const url = new URL(settings.endpoint);
  return {
    async send(message) {
      const templateId = settings.templates[message.kind];
      if (!templateId)
        throw new PermanentDeliveryError(`no SMS template for ${message.kind} (SMS_TEMPLATE_${message.kind})`);
      const body = JSON.stringify({
        PhoneNumberSet: [e164Mainland(message.recipient)],
        SmsSdkAppId: settings.sdkAppId,
        SignName: settings.signName,
        TemplateId: templateId,
        TemplateParamSet: Object.values(fitTemplateParams(message.params)),
        // Returned as it is with the answer and the delivery receipt: the delivery's idempotency key,
        // so a resend after a crash can be told from a second message (SendSms takes no key itself).
        SessionContext: message.idempotencyKey,
      });
      const timestamp = Math.floor(clock.now().getTime() / 1000);
      const action = 'SendSms';
      const answer = await postWithTimeout(
        url.toString(),
        {
          headers: {
            // Host is fetch's own (url.host, with the port when it is not the default): the one signed.
            'content-type': CONTENT_TYPE,
            'x-tc-action': action,
            'x-tc-version': '2021-01-11',
            'x-tc-timestamp': String(timestamp),
            'x-tc-region': settings.region,
            authorization: tencentAuthorization({
              secretId: settings.secretId,
              secretKey: settings.secretKey,
              host: url.host,
              action,
              timestamp,
              body,
            }),
          },
          body,
        },
        settings.timeoutMs,
      );
      const response = parseJsonObject(answer.body)?.['Response'];
      const errorCode = stringField(
        typeof response === 'object' && response !== null ? (response as Record<string, unknown>)['Error'] : null,
        'Code',
      );
      const statusSet: unknown =
        typeof response === 'object' && response !== null
          ? (response as Record<string, unknown>)['SendStatusSet']
          : null;
      const status: unknown = Array.isArray(statusSet) ? statusSet[0] : null;
      const code = errorCode ?? stringField(status, 'Code');
      if (answer.status === 200 && code === 'Ok') return;
      const detail = `Tencent Cloud SMS answered ${String(answer.status)} ${code ?? 'without a code'}`;
      if (code !== null && isPermanent(code)) throw new PermanentDeliveryError(detail);
      const window = code === null ? null : flowControlWindowSeconds(code, '', clock.now());
      if (window !== null) throw new DeliveryRateLimitedError(detail, window);
      throw new Error(detail);
    },
  };
}
