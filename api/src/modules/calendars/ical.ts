/**
 * Activities as iCalendar (RFC 5545), written by ical-generator: one VEVENT
 * per activity with a stable UID (its id), a SEQUENCE that grows with every
 * change (activities.calendar_sequence), STATUS:CANCELLED once cancelled,
 * times in the organization's zone (TZID with its VTIMEZONE) and the place
 * with its coordinates (GEO).
 */
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import type { Activity, Organization } from '@qicai/db';
import ical, { ICalEventStatus } from 'ical-generator';
import { wallTimeAt } from '../../kernel/time.ts';

/**
 * ical-generator writes a native Date's UTC fields under the event's TZID (it
 * converts only luxon, moment, dayjs or Temporal values): so it is given a
 * Date whose UTC fields are the wall time in the zone (activities start on
 * the minute).
 */
function wallClockDate(instant: Date, timeZone: string): Date {
  const wall = wallTimeAt(instant, timeZone);
  return new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute));
}

export function activityUid(activity: Pick<Activity, 'id'>): string {
  return `activity-${activity.id}@qicai`;
}

export function buildCalendar(
  organization: Pick<Organization, 'name' | 'slug' | 'timeZone' | 'defaultLocale'>,
  name: string,
  events: Activity[],
  options: { publicUrl: URL; now: Date },
): string {
  const calendar = ical({
    name,
    prodId: { company: 'Qicai', product: 'Qicai', language: organization.defaultLocale === 'zh' ? 'ZH' : 'EN' },
    // Calendar apps poll a feed: ask for an hour between polls (REFRESH-INTERVAL / X-PUBLISHED-TTL).
    ttl: 3600,
  });
  // The VTIMEZONE of each event's zone; DTSTAMP and the like stay in UTC.
  calendar.timezone({ name: null, generator: getVtimezoneComponent });
  const zone = organization.timeZone;
  for (const activity of events) {
    calendar.createEvent({
      id: activityUid(activity),
      sequence: activity.calendarSequence,
      stamp: options.now,
      lastModified: activity.updatedAt,
      created: activity.createdAt,
      start: wallClockDate(activity.startsAt, zone),
      end: wallClockDate(activity.endsAt, zone),
      timezone: zone,
      summary: activity.title,
      description: activity.description,
      location: {
        title: activity.placeName,
        geo: { lat: activity.latitude, lon: activity.longitude },
      },
      url: new URL(`/o/${organization.slug}/activities/${activity.id}`, options.publicUrl).toString(),
      status: activity.status === 'CANCELLED' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
  return calendar.toString();
}
