/**
 * The reminders before start: the day before (ACTIVITY_REMINDER) and two
 * hours before (ACTIVITY_STARTING_SOON), each to everyone with a place, once
 * per activity (again if it moves). Safe with several API instances: each
 * claims activities with FOR UPDATE SKIP LOCKED and marks them reminded in
 * the transaction that writes the notifications, so none is reminded twice
 * and none is lost to a restart.
 */
import { withTenant, type Db } from '@qicai/db';
import { notifyMembers } from '../notifications/service.ts';
import * as repository from './repository.ts';

/** How long before the start members are reminded (the day before). */
export const REMINDER_HOURS_BEFORE = 24;
/** How long before the start members are reminded again. */
export const SOON_REMINDER_HOURS_BEFORE = 2;

/** The two reminders: which kind, how far ahead, and the column that says it went out. */
const REMINDERS = [
  { kind: 'ACTIVITY_REMINDER', hoursBefore: REMINDER_HOURS_BEFORE, sent: 'reminderSentAt' },
  { kind: 'ACTIVITY_STARTING_SOON', hoursBefore: SOON_REMINDER_HOURS_BEFORE, sent: 'soonReminderSentAt' },
] as const;

/** Sends every reminder due at `now`; returns how many activities were reminded (of both kinds). */
export async function sendDueReminders(db: Db, options: { now: Date; batchSize?: number }): Promise<number> {
  const now = options.now;
  let reminded = 0;
  for (const reminder of REMINDERS) {
    const startingBy = new Date(now.getTime() + reminder.hoursBefore * 3_600_000);
    for (const orgId of await repository.findOrganizationsWithDueReminders(db, reminder.sent, now, startingBy)) {
      reminded += await withTenant(db, { orgId, accountId: null }, async (tx) => {
        const due = await repository.claimActivitiesDueReminder(
          tx,
          orgId,
          reminder.sent,
          now,
          startingBy,
          options.batchSize ?? 100,
        );
        const withPlaces = await repository.findMemberIdsSignedUp(
          tx,
          orgId,
          due.map((activity) => activity.id),
          ['CONFIRMED'],
        );
        for (const activity of due) {
          const memberIds = withPlaces.filter((row) => row.activityId === activity.id).map((row) => row.memberId);
          // Already within two hours when the day-before one is due: the sooner one says it all.
          const alsoSoon =
            reminder.kind === 'ACTIVITY_REMINDER' &&
            activity.startsAt.getTime() <= now.getTime() + SOON_REMINDER_HOURS_BEFORE * 3_600_000;
          if (memberIds.length > 0 && !alsoSoon) {
            await notifyMembers(tx, orgId, {
              at: now,
              memberIds,
              kind: reminder.kind,
              activityId: activity.id,
              detail: {
                title: activity.title,
                startsAt: activity.startsAt.toISOString(),
                endsAt: activity.endsAt.toISOString(),
                placeName: activity.placeName,
              },
            });
          }
          await repository.updateActivity(tx, orgId, activity.id, { [reminder.sent]: now });
        }
        return due.length;
      });
    }
  }
  return reminded;
}
