/**
 * Email through SMTP (nodemailer): a text and an HTML part, in the
 * recipient's language (the message comes rendered). SMTP has no
 * idempotency key; the delivery's key becomes the Message-ID, so a resend
 * after a crash is the same message to the receiving side (and to anyone
 * reading the logs).
 */
import nodemailer from 'nodemailer';
import type { DeliveryAdapter } from '../shared/delivery.ts';

export interface SmtpSettings {
  /** smtp://user:pass@host:587 or smtps://…:465 (nodemailer's connection URL). */
  url: string;
  /** The From address, e.g. "七彩志愿 <no-reply@example.cn>". */
  from: string;
  timeoutMs: number;
}

export interface ClosableDeliveryAdapter extends DeliveryAdapter {
  close(): void;
}

export function smtpDeliveryAdapter(settings: SmtpSettings): ClosableDeliveryAdapter {
  const url = new URL(settings.url);
  const secure = url.protocol === 'smtps:';
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    // ?tls=insecure: a relay on the same host with a self-signed certificate (never across a network).
    tls: url.searchParams.get('tls') === 'insecure' ? { rejectUnauthorized: false } : undefined,
    connectionTimeout: settings.timeoutMs,
    greetingTimeout: settings.timeoutMs,
    socketTimeout: settings.timeoutMs,
  });
  const fromAddress = /<([^>]+)>/.exec(settings.from)?.[1] ?? settings.from;
  const domain = fromAddress.split('@')[1] ?? 'qicai.invalid';
  return {
    async send(message) {
      await transport.sendMail({
        from: settings.from,
        to: message.recipient,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: `<${message.idempotencyKey}@${domain}>`,
        headers: { 'Content-Language': message.locale === 'zh' ? 'zh-CN' : 'en' },
      });
    },
    close() {
      transport.close();
    },
  };
}
