/**
 * Showing sponsorship's values: money in yuan, calendar dates, school grades
 * and the reasons of a match, in the page's language.
 */
import type { ChildCircumstance, MatchReasonFieldsFragment } from '$lib/graphql/__generated__/operations';
import { currentLocale, isMessageKey, t } from '$lib/i18n';
import { dateTimeFormat } from '$lib/intl';

function intlLocale(): string {
  return currentLocale() === 'zh' ? 'zh-CN' : 'en';
}

/** An amount kept in fen (分), in yuan. */
export function formatYuan(fen: number): string {
  return new Intl.NumberFormat(intlLocale(), {
    style: 'currency',
    currency: 'CNY',
    minimumFractionDigits: fen % 100 === 0 ? 0 : 2,
  }).format(fen / 100);
}

/** An amount in fen as yuan to type into a form (300, 12.5); empty for none. */
export function yuanFromFen(fen: number | null | undefined): string {
  return fen === null || fen === undefined ? '' : String(fen / 100);
}

/** A calendar date (YYYY-MM-DD), as written in the page's language. */
export function formatDay(day: string): string {
  return dateTimeFormat(intlLocale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}

/** An instant, as the day it was in the organization's time zone. */
export function formatInstantDay(instant: string, timeZone: string): string {
  return dateTimeFormat(intlLocale(), { dateStyle: 'medium', timeZone }).format(new Date(instant));
}

/** An instant with its time, in the organization's time zone. */
export function formatInstant(instant: string, timeZone: string): string {
  return dateTimeFormat(intlLocale(), { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(instant));
}

/** 0 preschool, 1–6 primary, 7–9 junior middle, 10–12 senior middle. */
export function gradeLabel(grade: number | null | undefined): string {
  if (grade === null || grade === undefined) return t('child.gradeNone');
  if (grade === 0) return t('grade.0');
  if (grade <= 6) return t('grade.primary', { n: grade });
  if (grade <= 9) return t('grade.junior', { n: grade - 6 });
  return t('grade.senior', { n: grade - 9 });
}

export const GRADES = [null, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] as const;

export const CIRCUMSTANCES: readonly ChildCircumstance[] = [
  'LEFT_BEHIND',
  'POVERTY',
  'DISABILITY',
  'ORPHANED',
  'OTHER',
];

export function circumstancesText(circumstances: readonly ChildCircumstance[]): string {
  return circumstances
    .map((circumstance) => t(`circumstance.${circumstance}`))
    .join(currentLocale() === 'zh' ? '、' : ', ');
}

export function ageRangeText(min: number | null | undefined, max: number | null | undefined): string {
  if (min !== null && min !== undefined && max !== null && max !== undefined)
    return t('sponsor.ageRange', { min, max });
  if (min !== null && min !== undefined) return t('sponsor.ageFrom', { min });
  if (max !== null && max !== undefined) return t('sponsor.ageTo', { max });
  return t('sponsor.anyAge');
}

/** Why a pair fits, in words. */
export function reasonText(reason: MatchReasonFieldsFragment): string {
  switch (reason.code) {
    case 'SAME_TOWNSHIP':
    case 'PREFERRED_REGION':
      return t(`reason.${reason.code}`, { township: reason.township ?? '' });
    case 'PREFERRED_AGE':
      return t('reason.PREFERRED_AGE', { range: ageRangeText(reason.ageMin, reason.ageMax) });
    case 'PREFERRED_GENDER':
      return t(reason.gender === 'MALE' ? 'reason.PREFERRED_GENDER.MALE' : 'reason.PREFERRED_GENDER.FEMALE');
    case 'GREATEST_NEED':
      return t('reason.GREATEST_NEED', { circumstances: circumstancesText(reason.circumstances ?? []) });
    case 'LONG_WAIT':
      return t('reason.LONG_WAIT', { days: reason.waitingDays ?? 0 });
    case 'HAS_CAPACITY':
      return t('reason.HAS_CAPACITY', { free: reason.placesFree ?? 0, offered: reason.placesOffered ?? 0 });
  }
}

/** What an audit entry of a child records, in words (the action's code if it has none). */
export function auditActionText(action: string): string {
  const key = `audit.${action}`;
  return isMessageKey(key) ? t(key) : action;
}

/** The label of a field an audit entry names (its name if it has none). */
export function auditFieldText(field: string): string {
  const key = `audit.field.${field}`;
  return isMessageKey(key) ? t(key) : field;
}
