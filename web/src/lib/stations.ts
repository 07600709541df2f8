/** Service stations in the web app: the service categories and their labels. */
import type { SpotCheckStatus, StationServiceCategory } from '$lib/graphql/__generated__/operations';
import { t } from '$lib/i18n';

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
