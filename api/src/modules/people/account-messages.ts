/**
 * The texts of messages to an account (or to someone who has none yet): codes,
 * "you already have an account", password reset, an invitation, a declined
 * request to join, in the person's language.
 * Member notifications have theirs in notifications/. An SMS provider sends
 * its approved template with `params` (README, SMS templates); the texts
 * here are the email's and the log's, and say the same.
 */
import { escapeHtml } from '../notifications/messages.ts';
import type { AccountMessageKind, OutgoingMessage } from '../../shared/delivery.ts';

export type Locale = 'zh' | 'en';

interface Rendered {
  subject: string;
  text: string;
  params: Record<string, string>;
  /** A link the HTML part shows as a link. */
  link?: string;
}

function render(kind: AccountMessageKind, locale: Locale, values: Record<string, string>): Rendered {
  const zh = locale === 'zh';
  const code = values['code'] ?? '';
  const minutes = values['minutes'] ?? '';
  const link = values['link'] ?? '';
  const organization = values['organization'] ?? '';
  const days = values['days'] ?? '';
  switch (kind) {
    case 'VERIFICATION_CODE':
      return {
        subject: zh ? `七彩验证码 ${code}` : `Your Qicai code: ${code}`,
        text: zh
          ? `您的七彩验证码为 ${code}，${minutes} 分钟内有效，请勿告诉他人。如非本人操作，请忽略。`
          : `Your Qicai code is ${code}. It works for ${minutes} minutes; do not share it. If you did not ask for it, ignore this message.`,
        params: { code, minutes },
      };
    case 'ACCOUNT_EXISTS':
      return {
        subject: zh ? '您已有七彩账号' : 'You already have a Qicai account',
        text: zh
          ? `有人用此号码/邮箱注册七彩，但它已有账号。如是您本人，请直接登录；忘记密码可在登录页选择“忘记密码”：${link}。如非本人操作，请忽略。`
          : `Someone tried to register on Qicai with this number or address, but it already has an account. If it was you, sign in; if you forgot your password, use "Forgot password": ${link}. Otherwise ignore this message.`,
        params: {},
        link,
      };
    case 'PASSWORD_RESET_CODE':
      return {
        subject: zh ? `七彩重置密码验证码 ${code}` : `Your Qicai password reset code: ${code}`,
        text: zh
          ? `您正在重置七彩密码，验证码为 ${code}，${minutes} 分钟内有效。如非本人操作，请忽略，您的密码不会改变。`
          : `Your code to reset your Qicai password is ${code}. It works for ${minutes} minutes. If you did not ask for it, ignore this message: your password stays as it is.`,
        params: { code, minutes },
      };
    case 'PASSWORD_RESET_LINK':
      return {
        subject: zh ? '重置您的七彩密码' : 'Reset your Qicai password',
        text: zh
          ? `请打开以下链接设置新密码（${minutes} 分钟内有效，仅可使用一次）：${link}\n设置后，其他设备上的登录都将退出。如非本人操作，请忽略，您的密码不会改变。`
          : `Open this link to choose a new password (it works once, for ${minutes} minutes): ${link}\nAfterwards every other device signed in to your account is signed out. If you did not ask for this, ignore this message: your password stays as it is.`,
        params: { minutes },
        link,
      };
    case 'INVITATION':
      return {
        subject: zh ? `${organization}邀请您加入` : `${organization} invites you to join`,
        text: zh
          ? `${organization}邀请您在七彩加入本会（${days} 天内有效）：${link}\n请用收到本消息的手机号或邮箱注册或登录后接受。`
          : `${organization} invites you to join them on Qicai (the link works for ${days} days): ${link}\nAccept it signed in with the phone number or email address this message came to.`,
        params: { organization, link },
        link,
      };
    case 'JOIN_REQUEST_DECLINED':
      return {
        subject: zh ? `${organization}未通过您的入会申请` : `${organization} declined your request to join`,
        text: zh
          ? `${organization}未通过您在七彩提交的入会申请。如有疑问，请直接联系该协会；您也可以稍后再次申请：${link}`
          : `${organization} declined your request to join them on Qicai. If you have questions, contact them directly; you may ask again later: ${link}`,
        params: { organization },
        link,
      };
  }
}

/** A ready message for the delivery adapter. */
export function accountMessage(input: {
  kind: AccountMessageKind;
  channel: 'SMS' | 'EMAIL';
  recipient: string;
  locale: Locale;
  values: Record<string, string>;
  idempotencyKey: string;
}): OutgoingMessage {
  const rendered = render(input.kind, input.locale, input.values);
  const paragraphs = rendered.text
    .split('\n')
    .map((line) => {
      const escaped = escapeHtml(line);
      return `<p>${rendered.link ? escaped.replace(escapeHtml(rendered.link), `<a href="${escapeHtml(rendered.link)}">${escapeHtml(rendered.link)}</a>`) : escaped}</p>`;
    })
    .join('\n');
  return {
    channel: input.channel,
    recipient: input.recipient,
    kind: input.kind,
    locale: input.locale,
    subject: rendered.subject,
    text: rendered.text,
    html: `<!doctype html><html lang="${input.locale === 'zh' ? 'zh-CN' : 'en'}"><body>\n${paragraphs}\n</body></html>`,
    params: rendered.params,
    idempotencyKey: input.idempotencyKey,
  };
}
