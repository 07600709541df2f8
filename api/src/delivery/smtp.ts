/**
 * Email through SMTP (nodemailer): a text and an HTML part, in the
 * recipient's language (the message comes rendered). SMTP has no
 * idempotency key; the delivery's key becomes the Message-ID, so a resend
 * after a crash is the same message to the receiving side (and to anyone
 * reading the logs). A refusal of the recipient or the message itself is
 * permanent (not retried); any other failure is retried by the sender.
 */
import nodemailer from 'nodemailer';
import { type DeliveryAdapter, PermanentDeliveryError } from '../shared/delivery.ts';

/**
 * A 5xx answer to this message's recipient or content (RCPT TO: no such
 * mailbox; DATA: refused, too large) is final: sending it again gets the same
 * answer, so the outbox gives up at once. A 4xx (greylisting, a full queue)
 * is retried, and so is a 5xx to anything else (a login the relay refuses
 * concerns every message, and is fixed in the settings, not by dropping them).
 */
function permanentRefusal(error: unknown): string | null {
  if (typeof error !== 'object' || error === null) return null;
  const { responseCode, command } = error as { responseCode?: unknown; command?: unknown };
  if (typeof responseCode !== 'number' || responseCode < 500 || responseCode > 599) return null;
  if (command !== 'RCPT TO' && command !== 'DATA') return null;
  return `SMTP answered ${String(responseCode)} to ${command}`;
}

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
      try {
        await transport.sendMail({
          from: settings.from,
          to: message.recipient,
          subject: message.subject,
          text: message.text,
          html: message.html,
          messageId: `<${message.idempotencyKey}@${domain}>`,
          headers: { 'Content-Language': message.locale === 'zh' ? 'zh-CN' : 'en' },
        });
      } catch (error) {
        const refusal = permanentRefusal(error);
        if (refusal) throw new PermanentDeliveryError(refusal);
        throw error;
      }
    },
    close() {
      transport.close();
    },
  };
}
