/**
 * Alibaba Cloud SMS (阿里云短信服务, dysmsapi), action SendSms, version
 * 2017-05-25, called as its RPC API with the documented signature version
 * 1.0 (HMAC-SHA1):
 *
 * 1. every parameter but Signature, sorted by name, each name and value
 *    percent-encoded (RFC 3986: only A–Z a–z 0–9 - _ . ~ stay as they are,
 *    a space is %20), joined as name=value with &: the canonicalized query;
 * 2. StringToSign = HTTPMethod & percentEncode("/") & percentEncode(canonicalized query);
 * 3. Signature = Base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign)).
 *
 * Sent as a POST form (the parameters and Signature in the body). The
 * answer's Code is "OK" on success; otherwise it says why.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { Clock } from '../shared/clock.ts';

import { parseJsonObject, postWithTimeout } from './http.ts';
import { fitTemplateParams, flowControlWindowSeconds } from './sms-rules.ts';
import {
  type DeliveryAdapter,
  DeliveryRateLimitedError,
  type MessageKind,
  PermanentDeliveryError,
} from '../shared/delivery.ts';

export const ALIYUN_SMS_ENDPOINT = 'https://dysmsapi.aliyuncs.com/';

export interface AliyunSmsSettings {
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  /** RegionId; dysmsapi answers in cn-hangzhou whatever the sender's region. */
  region: string;
  /** Template code (SMS_…) per message kind. */
  templates: Partial<Record<MessageKind, string>>;
  endpoint: string;
  timeoutMs: number;
}

/** RFC 3986 percent-encoding, as the signature requires (encodeURIComponent leaves !'()* alone). */
export function aliyunPercentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** The documented signature of an RPC request's parameters (without Signature). */
export function aliyunSignature(
  method: 'GET' | 'POST',
  params: Record<string, string>,
  accessKeySecret: string,
): string {
  const canonicalized = Object.keys(params)
    .sort()
    .map((name) => `${aliyunPercentEncode(name)}=${aliyunPercentEncode(params[name] ?? '')}`)
    .join('&');
  const stringToSign = `${method}&${aliyunPercentEncode('/')}&${aliyunPercentEncode(canonicalized)}`;
  return createHmac('sha1', `${accessKeySecret}&`).update(stringToSign).digest('base64');
}

/** Timestamp as the RPC API takes it: ISO 8601 in UTC, to the second (yyyy-MM-ddTHH:mm:ssZ). */
function rpcTimestamp(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Answers that sending again will not change: a number, template or signature the provider refuses, bad keys. */
const PERMANENT_CODES = new Set([
  'isv.MOBILE_NUMBER_ILLEGAL',
  'isv.MOBILE_COUNT_OVER_LIMIT',
  'isv.SMS_TEMPLATE_ILLEGAL',
  'isv.SMS_SIGNATURE_ILLEGAL',
  'isv.SMS_SIGN_ILLEGAL',
  'isv.TEMPLATE_MISSING_PARAMETERS',
  'isv.TEMPLATE_PARAMS_ILLEGAL',
  'isv.PARAM_LENGTH_LIMIT',
  'isv.INVALID_JSON_PARAM',
  'isv.BLACK_KEY_CONTROL_LIMIT',
  'isv.DENY_IP_RANGE',
  'InvalidAccessKeyId.NotFound',
  'SignatureDoesNotMatch',
  'MissingParameter',
]);

export function aliyunSmsAdapter(settings: AliyunSmsSettings, clock: Clock): DeliveryAdapter {
  return {
    async send(message) {
      const templateCode = settings.templates[message.kind];
      if (!templateCode)
        throw new PermanentDeliveryError(`no SMS template for ${message.kind} (SMS_TEMPLATE_${message.kind})`);
      const params: Record<string, string> = {
        AccessKeyId: settings.accessKeyId,
        Action: 'SendSms',
        Format: 'JSON',
        // The delivery's idempotency key: dysmsapi takes none, but returns OutId with each receipt,
        // so a resend after a crash can be told from a second message.
        OutId: message.idempotencyKey,
        PhoneNumbers: message.recipient,
        RegionId: settings.region,
        SignName: settings.signName,
        SignatureMethod: 'HMAC-SHA1',
        SignatureNonce: randomUUID(),
        SignatureVersion: '1.0',
        TemplateCode: templateCode,
        TemplateParam: JSON.stringify(fitTemplateParams(message.params)),
        Timestamp: rpcTimestamp(clock.now()),
        Version: '2017-05-25',
      };
      const signature = aliyunSignature('POST', params, settings.accessKeySecret);
      const body = [...Object.entries(params), ['Signature', signature] as const]
        .map(([name, value]) => `${aliyunPercentEncode(name)}=${aliyunPercentEncode(value)}`)
        .join('&');
      const answer = await postWithTimeout(
        settings.endpoint,
        { headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body },
        settings.timeoutMs,
      );
      const parsed = parseJsonObject(answer.body);
      const code = typeof parsed?.['Code'] === 'string' ? parsed['Code'] : null;
      if (answer.status === 200 && code === 'OK') return;
      const providerMessage = typeof parsed?.['Message'] === 'string' ? parsed['Message'] : '';
      const detail = `Alibaba Cloud SMS answered ${String(answer.status)} ${code ?? 'without a code'}${
        providerMessage ? `: ${providerMessage}` : ''
      }`;
      if (code !== null && PERMANENT_CODES.has(code)) throw new PermanentDeliveryError(detail);
      const window = code === null ? null : flowControlWindowSeconds(code, providerMessage, clock.now());
      if (window !== null) throw new DeliveryRateLimitedError(detail, window);
      throw new Error(detail);
    },
  };
}
