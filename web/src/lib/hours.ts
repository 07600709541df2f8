/** Service hours as people read them: minutes are kept, hours are shown. */
import { currentLocale } from '$lib/i18n';

/** Minutes as hours for the locale, to one decimal (90 → "1.5"). */
export function formatHours(minutes: number): string {
  return new Intl.NumberFormat(currentLocale() === 'zh' ? 'zh-CN' : 'en', { maximumFractionDigits: 1 }).format(
    minutes / 60,
  );
}

/** A percentage for a 0–1 progress. */
export function formatPercent(progress: number): string {
  return new Intl.NumberFormat(currentLocale() === 'zh' ? 'zh-CN' : 'en', {
    style: 'percent',
    maximumFractionDigits: 0,
  }).format(progress);
}
