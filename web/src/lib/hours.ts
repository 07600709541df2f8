/** Service hours as people read them: minutes are kept, hours are shown. */
import { formatHours as formatHoursIn } from '@qicai/api/kernel/hours';
import { currentLocale } from '$lib/i18n';

/**
 * Minutes as hours in the page's language (745 → "12.42", 90 → "1.5"), by the
 * kernel's one rule, as the certificate PDF and the report files state them:
 * every page, the big screen and the verification page agree on the same
 * minutes. The only place web pages turn minutes into hours.
 */
export function formatHours(minutes: number): string {
  return formatHoursIn(minutes, currentLocale());
}

/** A percentage for a 0–1 progress. */
export function formatPercent(progress: number): string {
  return new Intl.NumberFormat(currentLocale() === 'zh' ? 'zh-CN' : 'en', {
    style: 'percent',
    maximumFractionDigits: 0,
  }).format(progress);
}
