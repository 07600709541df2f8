/**
 * Chinese and English. Every user-facing text is a key in both dictionaries
 * (the English one is typed against the Chinese, so none can be missing).
 */
import { page } from '$app/state';
import { en, zh, type MessageKey } from './messages';

export type Locale = 'zh' | 'en';
export type { MessageKey };

export const LOCALES: readonly Locale[] = ['zh', 'en'];
export const LOCALE_COOKIE = 'qicai_locale';

const dictionaries: Record<Locale, Record<MessageKey, string>> = { zh, en };

export function isLocale(value: unknown): value is Locale {
  return value === 'zh' || value === 'en';
}

export function isMessageKey(key: string): key is MessageKey {
  return key in zh;
}

/** Picks zh or en from an Accept-Language header; Chinese unless English comes first. */
export function localeFromAcceptLanguage(header: string | null): Locale {
  const first = header?.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh';
}

/** The text for a key in a locale, with {name} placeholders filled. */
export function translate(locale: Locale, key: MessageKey, params: Record<string, string | number> = {}): string {
  return dictionaries[locale][key].replace(/\{(\w+)\}/g, (placeholder, name: string) =>
    name in params ? String(params[name]) : placeholder,
  );
}

/** The current page's locale (set by the layouts' load). */
export function currentLocale(): Locale {
  const locale: unknown = page.data['locale'];
  return isLocale(locale) ? locale : 'zh';
}

/** Translates in the current page's locale; reactive in templates. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return translate(currentLocale(), key, params);
}

/** The message keys that come in plural forms: `<base>.one` and `<base>.other`. */
export type PluralKey = {
  [Key in MessageKey]: Key extends `${infer Base}.other` ? (`${Base}.one` extends MessageKey ? Base : never) : never;
}[MessageKey];

/**
 * A text with a count, in the plural form the locale's rules pick
 * (Intl.PluralRules: English has one and other, Chinese other only);
 * `{count}` is the count formatted for the locale.
 */
export function tn(key: PluralKey, count: number, params: Record<string, string | number> = {}): string {
  const locale = currentLocale();
  const form = new Intl.PluralRules(locale === 'zh' ? 'zh-CN' : 'en').select(count) === 'one' ? 'one' : 'other';
  return translate(locale, `${key}.${form}`, { ...params, count: formatNumber(count) });
}

/** A wait of so many seconds, rounded up to whole seconds, minutes or hours ("3 分钟", "1 hour"). */
export function formatWait(seconds: number): string {
  if (seconds < 60) return tn('wait.seconds', Math.max(1, Math.ceil(seconds)));
  if (seconds < 3600) return tn('wait.minutes', Math.ceil(seconds / 60));
  return tn('wait.hours', Math.ceil(seconds / 3600));
}

/**
 * The message for an API error or field error code, falling back to a generic one. RATE_LIMITED
 * says how long to wait when the API said it (retryAfterSeconds: a code's throttle, an SMS
 * provider's flow control), else the sign-in limit's 15 minutes.
 */
export function errorMessage(code: string | undefined, retryAfterSeconds?: number): string {
  if (code === 'RATE_LIMITED' && retryAfterSeconds !== undefined && retryAfterSeconds > 0) {
    return t('error.RATE_LIMITED_WAIT', { wait: formatWait(retryAfterSeconds) });
  }
  const key = `error.${code ?? 'INTERNAL'}`;
  return t(isMessageKey(key) ? key : 'error.INTERNAL');
}

/** A date or number formatted for the current locale. */
export function formatNumber(value: number): string {
  return new Intl.NumberFormat(currentLocale() === 'zh' ? 'zh-CN' : 'en').format(value);
}

/** A text kept in both languages, in the current one. */
export function localized(text: { zh: string; en: string }): string {
  return text[currentLocale()];
}
