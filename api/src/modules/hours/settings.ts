/**
 * The organization's hours settings (travel time, star thresholds, its own
 * holidays and working days) and the official calendar of holidays.
 */
import type { Organization } from '@qicai/db';
import { requireAdmin, requireOrganization } from '../../shared/access.ts';
import { recordAudit } from '../../shared/audit.ts';
import type { RequestContext } from '../../shared/context.ts';
import { FieldChecker } from '../../shared/errors.ts';
import { isLocalDate, wallTimeAt } from '../../kernel/time.ts';
import { officialHolidaysOf, type OfficialHoliday } from '../../kernel/working-days.ts';
import * as repository from './repository.ts';
import { excludesTravelTime, starLevelOf } from './rules.ts';

export interface HoursSettings {
  excludeTravelTime: boolean;
  starThresholdsHours: number[];
  holidays: string[];
  workingDays: string[];
}

export function hoursSettings(organization: Organization): HoursSettings {
  return {
    excludeTravelTime: excludesTravelTime(organization.settings),
    starThresholdsHours: starLevelOf(0, organization.settings).thresholdsHours,
    holidays: [...(organization.settings.holidays ?? [])].sort(),
    workingDays: [...(organization.settings.workingDays ?? [])].sort(),
  };
}

/** The official holidays of a year (rules.ts), by default the current one in the organization's time zone. */
export function officialHolidays(ctx: RequestContext, year: number | null | undefined): OfficialHoliday[] {
  const organization = requireOrganization(ctx);
  return officialHolidaysOf(year ?? wallTimeAt(ctx.clock.now(), organization.timeZone).year);
}

export async function updateHoursSettings(
  ctx: RequestContext,
  input: Omit<HoursSettings, 'workingDays'> & { workingDays?: string[] | null | undefined },
): Promise<HoursSettings> {
  const admin = await requireAdmin(ctx);
  const thresholds = input.starThresholdsHours;
  const workingDays = input.workingDays ?? [];
  new FieldChecker()
    .check(
      thresholds.length >= 1 &&
        thresholds.length <= 10 &&
        thresholds.every(
          (hours, index) => Number.isInteger(hours) && hours > 0 && hours > (thresholds[index - 1] ?? 0),
        ),
      'starThresholdsHours',
      'INVALID',
    )
    .check(input.holidays.length <= 400 && input.holidays.every(isLocalDate), 'holidays', 'INVALID')
    .check(workingDays.length <= 400 && workingDays.every(isLocalDate), 'workingDays', 'INVALID')
    .check(!workingDays.some((day) => input.holidays.includes(day)), 'workingDays', 'CONFLICT')
    .throwIfAny();
  const settings = {
    excludeTravelTime: input.excludeTravelTime,
    starThresholdsHours: thresholds,
    holidays: [...new Set(input.holidays)].sort(),
    workingDays: [...new Set(workingDays)].sort(),
  };
  const organization = await ctx.tenant(async (tx) => {
    const updated = await repository.updateHoursSettings(tx, admin.orgId, settings);
    await recordAudit(tx, ctx, admin.orgId, {
      action: 'organization.hours_settings_updated',
      subjectType: 'organization',
      subjectId: admin.orgId,
      detail: { ...settings },
    });
    return updated;
  });
  return hoursSettings(organization);
}
