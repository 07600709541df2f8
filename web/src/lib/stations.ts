/** Service stations in the web app: the service categories and their labels. */
import type { SpotCheckStatus, StationServiceCategory } from '$lib/graphql/__generated__/operations';
import { currentLocale, t } from '$lib/i18n';

export const STATION_SERVICE_CATEGORIES = [
  'POLICY',
  'ERRANDS',
  'HEALTH',
  'LEGAL',
  'ELDERLY',
  'CHILDREN',
  'EMPLOYMENT',
  'OTHER',
] as const satisfies readonly StationServiceCategory[];

export function serviceCategoryLabel(category: StationServiceCategory): string {
  return t(`stations.category.${category}`);
}

export function spotCheckStatusLabel(status: SpotCheckStatus): string {
  return t(`spotChecks.status.${status}`);
}

/** An answer rate (0 to 1) as a percentage for the locale: 0.667 → 66.7%; none → —. */
export function formatAnswerRate(rate: number | null | undefined): string {
  if (rate === null || rate === undefined) return '—';
  return new Intl.NumberFormat(currentLocale() === 'zh' ? 'zh-CN' : 'en', {
    style: 'percent',
    maximumFractionDigits: 1,
  }).format(rate);
}

/** An answer time: 45 → 45 秒, 150 → 2 分 30 秒; none → —. */
export function formatAnswerTime(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds < 60) return t('reports.durationSeconds', { seconds });
  return t('reports.durationMinutes', { minutes: Math.floor(seconds / 60), seconds: seconds % 60 });
}

/** The categories a row served, the most first, zeros left out: 医疗健康 3 · 政策咨询 1. */
export function formatCategories(counts: readonly { category: StationServiceCategory; visits: number }[]): string {
  const served = counts.filter((count) => count.visits > 0).sort((a, b) => b.visits - a.visits);
  if (served.length === 0) return '—';
  return served.map((count) => `${serviceCategoryLabel(count.category)} ${String(count.visits)}`).join(' · ');
}
