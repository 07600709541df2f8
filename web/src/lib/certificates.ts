/** Hours and dates as certificates and reports show them. */
import { currentLocale, t } from '$lib/i18n';
import { dateTimeFormat } from '$lib/intl';

/** A calendar date (YYYY-MM-DD) in full: 2026年1月1日 / 1 January 2026. */
export function formatDate(date: string): string {
  return dateTimeFormat(currentLocale() === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: 'UTC',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
  }).format(new Date(`${date}T00:00:00Z`));
}

/** A month (YYYY-MM): 2026年3月 / March 2026. */
export function formatYearMonth(month: string): string {
  return dateTimeFormat(currentLocale() === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: 'UTC',
    year: 'numeric',
    month: 'long',
  }).format(new Date(`${month}-01T00:00:00Z`));
}

export function formatPeriod(from: string, to: string): string {
  return t('certificates.periodValue', { from: formatDate(from), to: formatDate(to) });
}
