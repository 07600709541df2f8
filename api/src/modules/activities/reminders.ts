/**
 * The reminder before start: a notification to everyone with a place, once
 * per activity (again if it moves). Safe with several API instances: each
 * claims activities with FOR UPDATE SKIP LOCKED and marks them reminded in
 * the transaction that writes the notifications, so none is reminded twice
 * and none is lost to a restart.
 */
import { withTenant, type Db } from '@qicai/db';
import { notifyMembers } from '../notifications/service.ts';
import * as repository from './repository.ts';

/** How long before the start members are reminded. */
export const REMINDER_HOURS_BEFORE = 24;

export async function sendDueReminders(db: Db, options: { now: Date; batchSize?: number }): Promise<number> {
  const now = options.now;
  const startingBy = new Date(now.getTime() + REMINDER_HOURS_BEFORE * 3_600_000);
  let reminded = 0;
  for (const orgId of await repository.findOrganizationsWithDueReminders(db, now, startingBy)) {
    reminded += await withTenant(db, { orgId, accountId: null }, async (tx) => {
      const due = await repository.claimActivitiesDueReminder(tx, orgId, now, startingBy, options.batchSize ?? 100);
      const withPlaces = await repository.findMemberIdsSignedUp(
        tx,
        orgId,
        due.map((activity) => activity.id),
        ['CONFIRMED'],
      );
      for (const activity of due) {
        const memberIds = withPlaces.filter((row) => row.activityId === activity.id).map((row) => row.memberId);
        if (memberIds.length > 0) {
          await notifyMembers(tx, orgId, {
            at: now,
            memberIds,
            kind: 'ACTIVITY_REMINDER',
            activityId: activity.id,
            detail: {
              title: activity.title,
              startsAt: activity.startsAt.toISOString(),
              endsAt: activity.endsAt.toISOString(),
              placeName: activity.placeName,
            },
          });
        }
        await repository.updateActivity(tx, orgId, activity.id, { reminderSentAt: now });
      }
      return due.length;
    });
  }
  return reminded;
}
