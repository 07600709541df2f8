/**
 * Service hours as everyone reads them. Minutes are kept; hours are shown,
 * rounded by one rule to at most two decimals (750 → 12.5, 745 → 12.42), on
 * every page, the big screen, certificates, report files and messages alike.
 */

export type HoursLocale = 'zh' | 'en';

/** Stored minutes as hours: at most two decimals. */
export function minutesToHours(minutes: number): number {
  return Math.round((minutes / 60) * 100) / 100;
}

const hoursFormats = new Map<HoursLocale, Intl.NumberFormat>();

/** Minutes as the hours text of a language ("1.5", "1,234.25"). */
export function formatHours(minutes: number, locale: HoursLocale): string {
  let format = hoursFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale === 'zh' ? 'zh-CN' : 'en', { maximumFractionDigits: 2 });
    hoursFormats.set(locale, format);
  }
  return format.format(minutesToHours(minutes));
}
