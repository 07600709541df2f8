/**
 * How messages leave the app: the delivery adapter every sender uses (the
 * notification outbox, account messages), chosen once from the settings.
 * SMS goes through Alibaba Cloud or Tencent Cloud when SMS_PROVIDER names
 * one, email through SMTP when SMTP_URL is set; a channel without settings
 * only writes its messages to the log (the default, and `pnpm start` says so).
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.ts';
import { ALIYUN_SMS_ENDPOINT, aliyunSmsAdapter } from '../delivery/aliyun-sms.ts';
import { smtpDeliveryAdapter } from '../delivery/smtp.ts';
import { TENCENT_SMS_ENDPOINT, tencentSmsAdapter } from '../delivery/tencent-sms.ts';
import { loggingDeliveryAdapter } from '../modules/notifications/outbox.ts';
import type { DeliveryAdapter } from '../shared/delivery.ts';

export interface Delivery extends DeliveryAdapter {
  /** Per channel, where its messages go: 'aliyun', 'tencent', 'smtp', or 'log' (only logged). */
  readonly channels: { SMS: 'log' | 'aliyun' | 'tencent'; EMAIL: 'log' | 'smtp' };
}

declare module 'fastify' {
  interface FastifyInstance {
    delivery: Delivery;
  }
}

/** Where each channel's messages go, from the settings (the start script prints it). */
export function deliveryChannels(config: Config): Delivery['channels'] {
  return { SMS: config.delivery.sms.provider, EMAIL: config.delivery.email ? 'smtp' : 'log' };
}

/**
 * What `pnpm start` says of the channels that only write to the log (the default without settings),
 * naming the settings that make each one send; '' when both send.
 */
export function logOnlyNotice(config: Config): string {
  const channels = deliveryChannels(config);
  const unsent = [
    channels.SMS === 'log' ? 'SMS (set SMS_PROVIDER)' : null,
    channels.EMAIL === 'log' ? 'email (set SMTP_URL and MAIL_FROM)' : null,
  ].filter((channel) => channel !== null);
  return unsent.length > 0
    ? `Messages: ${unsent.join(' and ')} are only written to the log, not sent (see README, Settings).`
    : '';
}

function deliveryPlugin(
  app: FastifyInstance,
  options: { config: Config; adapter?: DeliveryAdapter | undefined; observer?: DeliveryAdapter | undefined },
  done: () => void,
) {
  const { delivery } = options.config;
  const log = loggingDeliveryAdapter(app.log);
  const sms: DeliveryAdapter =
    delivery.sms.provider === 'aliyun'
      ? aliyunSmsAdapter(
          {
            accessKeyId: delivery.sms.accessKeyId,
            accessKeySecret: delivery.sms.accessKeySecret,
            signName: delivery.sms.signName,
            region: delivery.sms.region,
            templates: delivery.sms.templates,
            endpoint: delivery.sms.endpoint ?? ALIYUN_SMS_ENDPOINT,
            timeoutMs: delivery.timeoutMs,
          },
          app.clock,
        )
      : delivery.sms.provider === 'tencent'
        ? tencentSmsAdapter(
            {
              secretId: delivery.sms.accessKeyId,
              secretKey: delivery.sms.accessKeySecret,
              sdkAppId: delivery.sms.sdkAppId,
              signName: delivery.sms.signName,
              region: delivery.sms.region,
              templates: delivery.sms.templates,
              endpoint: delivery.sms.endpoint ?? TENCENT_SMS_ENDPOINT,
              timeoutMs: delivery.timeoutMs,
            },
            app.clock,
          )
        : log;
  const smtp = delivery.email
    ? smtpDeliveryAdapter({ url: delivery.email.url, from: delivery.email.from, timeoutMs: delivery.timeoutMs })
    : null;
  const channels = deliveryChannels(options.config);
  // A test may put its own adapter in front of both channels (to read the codes it was sent).
  const override = options.adapter;
  // Or be told of each message once it is sent through the configured ones (tests of SMTP and SMS).
  const observer = options.observer;
  app.decorate('delivery', {
    channels,
    send: async (message) => {
      await (override ?? (message.channel === 'SMS' ? sms : (smtp ?? log))).send(message);
      await observer?.send(message);
    },
  } satisfies Delivery);
  app.addHook('onClose', (_app, closed) => {
    smtp?.close();
    closed();
  });
  done();
}

export default fp(deliveryPlugin, { name: 'delivery' });
