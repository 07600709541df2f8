/**
 * What a member is told outside the app, per kind and language: an email's
 * subject, its plain text and HTML, and the parameters an SMS template takes
 * (Chinese SMS gateways send only templates registered in advance; the
 * gateway adapter fills the kind's template with `params`). The text is in
 * the member's language (else the association's) and its time zone.
 */
import type { NotificationDetail, NotificationKind } from '@qicai/db';
import { formatHours } from '../../kernel/hours.ts';

export type MessageLocale = 'zh' | 'en';

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
  /** The SMS template's parameters for the kind (names as the templates use them). */
  params: Record<string, string>;
}

export interface MessageContext {
  locale: MessageLocale;
  timeZone: string;
  organizationName: string;
}

function formatTime(iso: string | undefined, locale: MessageLocale, timeZone: string): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(locale === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone,
    month: 'short',
    day: 'numeric',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}

function hoursText(minutes: number, locale: MessageLocale): string {
  const value = formatHours(minutes, locale);
  return locale === 'zh' ? `${value} 小时` : `${value} h`;
}

/** Text made safe for an HTML part (of a notification or an account message). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${String(char.charCodeAt(0))};`);
}

type Params = Record<string, string>;

/** The sentence of each kind, from the template parameters. */
const SENTENCES: Record<MessageLocale, Record<NotificationKind, (p: Params) => { subject: string; body: string }>> = {
  zh: {
    ACTIVITY_CANCELLED: (p) => ({
      subject: `活动已取消：${p['title'] ?? ''}`,
      body: `您报名的活动“${p['title'] ?? ''}”（${p['time'] ?? ''}）已取消。${p['reason'] ? `原因：${p['reason']}` : ''}`,
    }),
    ACTIVITY_MOVED: (p) => ({
      subject: `活动有变更：${p['title'] ?? ''}`,
      // Its time, its place or both: one template says where and when it is now.
      body: `您报名的活动“${p['title'] ?? ''}”有变更，现为 ${p['time'] ?? ''}，地点：${p['place'] ?? ''}。`,
    }),
    WAITLIST_PROMOTED: (p) => ({
      subject: `候补转正：${p['title'] ?? ''}`,
      body: `活动“${p['title'] ?? ''}”（${p['time'] ?? ''}）有名额空出，您已从候补转为正式报名。`,
    }),
    ACTIVITY_REMINDER: (p) => ({
      subject: `明日活动提醒：${p['title'] ?? ''}`,
      body: `提醒：活动“${p['title'] ?? ''}”将于 ${p['time'] ?? ''} 在 ${p['place'] ?? ''} 开始。`,
    }),
    ACTIVITY_STARTING_SOON: (p) => ({
      subject: `活动即将开始：${p['title'] ?? ''}`,
      body: `提醒：活动“${p['title'] ?? ''}”两小时后（${p['time'] ?? ''}）在 ${p['place'] ?? ''} 开始。`,
    }),
    HOURS_APPROVED: (p) => ({
      subject: `服务时长已通过：${p['title'] ?? ''}`,
      body: `您在“${p['title'] ?? ''}”的服务时长 ${p['hours'] ?? ''} 已审核通过。`,
    }),
    HOURS_DECLINED: (p) => ({
      subject: `服务时长未通过：${p['title'] ?? ''}`,
      body: `您在“${p['title'] ?? ''}”的服务时长 ${p['hours'] ?? ''} 未通过审核。原因：${p['reason'] ?? ''}`,
    }),
    HOURS_CORRECTION_DECIDED: (p) => ({
      subject: `更正申请已处理：${p['title'] ?? ''}`,
      body:
        p['accepted'] === '1'
          ? `您对“${p['title'] ?? ''}”服务记录的更正申请已通过，现为 ${p['hours'] ?? ''}。`
          : `您对“${p['title'] ?? ''}”服务记录的更正申请未通过。原因：${p['reason'] ?? ''}`,
    }),
    JOIN_REQUEST_DECIDED: (p) => ({
      subject: `入会申请已通过`,
      body: `您加入“${p['title'] ?? ''}”的申请已通过，欢迎您！`,
    }),
    REQUEST_ASSIGNED: (p) => ({
      subject: `新的群众需求：${p['title'] ?? ''}`,
      body: `一项群众需求（${p['title'] ?? ''}）已分派给您的队伍，请及时处理。`,
    }),
    SPONSORSHIP_PROPOSED: () => ({
      subject: `一对一帮扶：结对提议`,
      body: `协会提议由您与一名儿童结对帮扶，确认后即生效。`,
    }),
    SPONSORSHIP_CONFIRMED: () => ({
      subject: `一对一帮扶：结对已确认`,
      body: `您的一对一帮扶结对已确认，感谢您的爱心！`,
    }),
    SPONSORSHIP_ENDED: (p) => ({
      subject: `一对一帮扶：结对已结束`,
      body: `您的一对一帮扶结对已结束。${p['reason'] ? `说明：${p['reason']}` : ''}`,
    }),
    SPOT_CHECK_REQUESTED: (p) => ({
      subject: `随机打卡`,
      body: `请通过系统打卡${p['title'] ? `（${p['title']}）` : ''}：打开七彩，点“随机打卡”。`,
    }),
  },
  en: {
    ACTIVITY_CANCELLED: (p) => ({
      subject: `Cancelled: ${p['title'] ?? ''}`,
      body: `“${p['title'] ?? ''}” (${p['time'] ?? ''}) is cancelled.${p['reason'] ? ` Reason: ${p['reason']}` : ''}`,
    }),
    ACTIVITY_MOVED: (p) => ({
      subject: `Changed: ${p['title'] ?? ''}`,
      body: `“${p['title'] ?? ''}” has changed: it is now ${p['time'] ?? ''}, at ${p['place'] ?? ''}.`,
    }),
    WAITLIST_PROMOTED: (p) => ({
      subject: `You have a place: ${p['title'] ?? ''}`,
      body: `A place freed up: you now have a place at “${p['title'] ?? ''}” (${p['time'] ?? ''}).`,
    }),
    ACTIVITY_REMINDER: (p) => ({
      subject: `Tomorrow: ${p['title'] ?? ''}`,
      body: `Reminder: “${p['title'] ?? ''}” starts ${p['time'] ?? ''} at ${p['place'] ?? ''}.`,
    }),
    ACTIVITY_STARTING_SOON: (p) => ({
      subject: `Starting soon: ${p['title'] ?? ''}`,
      body: `Reminder: “${p['title'] ?? ''}” starts in two hours (${p['time'] ?? ''}) at ${p['place'] ?? ''}.`,
    }),
    HOURS_APPROVED: (p) => ({
      subject: `Hours approved: ${p['title'] ?? ''}`,
      body: `Your ${p['hours'] ?? ''} of service at “${p['title'] ?? ''}” are approved.`,
    }),
    HOURS_DECLINED: (p) => ({
      subject: `Hours declined: ${p['title'] ?? ''}`,
      body: `Your ${p['hours'] ?? ''} of service at “${p['title'] ?? ''}” were declined. Reason: ${p['reason'] ?? ''}`,
    }),
    HOURS_CORRECTION_DECIDED: (p) => ({
      subject: `Correction decided: ${p['title'] ?? ''}`,
      body:
        p['accepted'] === '1'
          ? `Your correction of the record for “${p['title'] ?? ''}” is accepted: it is now ${p['hours'] ?? ''}.`
          : `Your correction of the record for “${p['title'] ?? ''}” was refused. Reason: ${p['reason'] ?? ''}`,
    }),
    JOIN_REQUEST_DECIDED: (p) => ({
      subject: `Welcome to ${p['title'] ?? ''}`,
      body: `Your request to join “${p['title'] ?? ''}” is approved. Welcome!`,
    }),
    REQUEST_ASSIGNED: (p) => ({
      subject: `New request for help: ${p['title'] ?? ''}`,
      body: `A request for help (${p['title'] ?? ''}) was assigned to your team.`,
    }),
    SPONSORSHIP_PROPOSED: () => ({
      subject: `Sponsorship proposed`,
      body: `The association proposes that you sponsor a child; it starts once confirmed.`,
    }),
    SPONSORSHIP_CONFIRMED: () => ({
      subject: `Sponsorship confirmed`,
      body: `Your sponsorship of a child is confirmed. Thank you!`,
    }),
    SPONSORSHIP_ENDED: (p) => ({
      subject: `Sponsorship ended`,
      body: `Your sponsorship of a child has ended.${p['reason'] ? ` Note: ${p['reason']}` : ''}`,
    }),
    SPOT_CHECK_REQUESTED: (p) => ({
      subject: `Spot check`,
      body: `Please check in${p['title'] ? ` (${p['title']})` : ''}: open Qicai and tap “Spot check”.`,
    }),
  },
};

/** The SMS template's parameters of a notification: every value a string, none empty-ish by surprise. */
export function messageParams(detail: NotificationDetail, context: MessageContext): Params {
  const params: Params = { org: context.organizationName, title: detail.title };
  if (detail.startsAt) params['time'] = formatTime(detail.startsAt, context.locale, context.timeZone);
  if (detail.placeName) params['place'] = detail.placeName;
  if (detail.reason) params['reason'] = detail.reason;
  if (detail.minutes !== undefined) params['hours'] = hoursText(detail.minutes, context.locale);
  if (detail.accepted !== undefined) params['accepted'] = detail.accepted ? '1' : '0';
  return params;
}

/** The message of a notification, in the member's language and the organization's time zone. */
export function renderMessage(
  kind: NotificationKind,
  detail: NotificationDetail,
  context: MessageContext,
): RenderedMessage {
  const params = messageParams(detail, context);
  const { subject, body } = SENTENCES[context.locale][kind](params);
  const prefix = context.locale === 'zh' ? `【${context.organizationName}】` : `[${context.organizationName}] `;
  return {
    subject: `${prefix}${subject}`,
    text: `${prefix}${body}`,
    html: `<p><strong>${escapeHtml(context.organizationName)}</strong></p><p>${escapeHtml(body)}</p>`,
    params,
  };
}
