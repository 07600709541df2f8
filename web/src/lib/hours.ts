/** Service hours as people read them: minutes are kept, hours are shown. */
import { currentLocale } from '$lib/i18n';

/**
 * Minutes as hours for the locale, to at most two decimals (745 → "12.42",
 * 90 → "1.5"): as the certificate PDF and the report files state them, so a
 * member's pages, certificates, the verification page and reports agree on
 * the same minutes. The only place web pages turn minutes into hours.
 */
export function formatHours(minutes: number): string {
  return new Intl.NumberFormat(currentLocale() === 'zh' ? 'zh-CN' : 'en', { maximumFractionDigits: 2 }).format(
    Math.round((minutes / 60) * 100) / 100,
  );
}

/** A percentage for a 0–1 progress. */
export function formatPercent(progress: number): string {
  return new Intl.NumberFormat(currentLocale() === 'zh' ? 'zh-CN' : 'en', {
    style: 'percent',
    maximumFractionDigits: 0,
  }).format(progress);
}
