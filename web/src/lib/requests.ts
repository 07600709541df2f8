import type { ActivityCategory, RequestCategory, RequestStatus } from '$lib/graphql/__generated__/operations';
import { errorMessage, t } from '$lib/i18n';

export const REQUEST_CATEGORIES: RequestCategory[] = [
  'HOME_HELP',
  'HEALTH',
  'ENVIRONMENT',
  'LEGAL',
  'CHILDREN',
  'ELDERLY',
  'OTHER',
];
export const REQUEST_STATUSES: RequestStatus[] = ['RECEIVED', 'ASSIGNED', 'IN_PROGRESS', 'RESOLVED', 'DECLINED'];

export function isRequestCategory(value: string): value is RequestCategory {
  return (REQUEST_CATEGORIES as string[]).includes(value);
}

export function isRequestStatus(value: string): value is RequestStatus {
  return (REQUEST_STATUSES as string[]).includes(value);
}

export const requestCategoryLabel = (category: RequestCategory) => t(`requestCategory.${category}`);
export const requestStatusLabel = (status: RequestStatus) => t(`requestStatus.${status}`);

/** INVALID_STATE's shared text speaks of activities; a request's pages say it their way. */
export function requestErrorMessage(code: string | undefined): string {
  return code === 'INVALID_STATE' ? t('requests.stateError') : errorMessage(code);
}

/** The activity category a request's category most likely becomes (the lead may change it). */
export const ACTIVITY_CATEGORY_FOR: Record<RequestCategory, ActivityCategory> = {
  HOME_HELP: 'HOME_VISIT',
  HEALTH: 'FREE_CLINIC',
  ENVIRONMENT: 'ENVIRONMENT',
  LEGAL: 'LECTURE',
  CHILDREN: 'CARE_FOR_CHILDREN',
  ELDERLY: 'HOME_VISIT',
  OTHER: 'OTHER',
};
