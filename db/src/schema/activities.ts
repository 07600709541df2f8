/**
 * Activities (活动): what a team puts on the calendar, who signs up, and who
 * turned up. A recurring activity is a series whose occurrences are ordinary
 * activities; sign-ups and check-ins belong to one occurrence.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgSequence,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { members } from './people.ts';
import { teams } from './teams.ts';
import { stations } from './stations.ts';
import { organizations, tenantIsolation } from './tenancy.ts';

/** 党课, 环保, 义诊, 献血, 救灾, 走访慰问, 关爱儿童, 公益课堂, other. */
export const activityCategoryEnum = pgEnum('activity_category', [
  'LECTURE',
  'ENVIRONMENT',
  'FREE_CLINIC',
  'BLOOD_DRIVE',
  'DISASTER_RELIEF',
  'HOME_VISIT',
  'CARE_FOR_CHILDREN',
  'PUBLIC_COURSE',
  'OTHER',
]);
export const ACTIVITY_CATEGORIES = activityCategoryEnum.enumValues;

export const activityStatusEnum = pgEnum('activity_status', ['DRAFT', 'PUBLISHED', 'CANCELLED', 'COMPLETED']);
export const signUpStatusEnum = pgEnum('sign_up_status', ['CONFIRMED', 'WAITLISTED', 'CANCELLED']);
/** Set by a check-in (ATTENDED) or by the lead's hand (either). */
export const attendanceEnum = pgEnum('attendance', ['ATTENDED', 'NO_SHOW']);
export const checkInMethodEnum = pgEnum('check_in_method', ['GPS', 'QR', 'MANUAL']);

/**
 * The longest an activity may span, in elapsed time. The service allows a week
 * of wall time; a day more covers any daylight-saving shift. The check below
 * holds it, so a list of activities ending after an instant may also bound
 * their start, and the (org, starts_at) index stops there instead of reading
 * the organization's whole past.
 */
export const ACTIVITY_MAX_SPAN_MINUTES = 8 * 24 * 60;

/** What every occurrence of a series starts from; editing the whole series changes it. */
export interface ActivityTemplate {
  title: string;
  description: string;
  category: ActivityCategory;
  placeName: string;
  latitude: number;
  longitude: number;
  capacity: number;
  requiredSkills: string[];
  isPublic: boolean;
}

export const activitySeries = pgTable(
  'activity_series',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    teamId: uuid('team_id').notNull(),
    /** The rule in iCalendar (RFC 5545) RRULE syntax, without DTSTART: FREQ=WEEKLY;BYDAY=TU;COUNT=8. */
    rrule: text('rrule').notNull(),
    /** DTSTART: the first start as wall time in the organization's time zone, `YYYY-MM-DDTHH:mm`. */
    startsLocal: text('starts_local').notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    template: jsonb('template').$type<ActivityTemplate>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.teamId], foreignColumns: [teams.orgId, teams.id] }),
    check('activity_series_duration', sql`${t.durationMinutes} between 1 and 10080`),
    tenantIsolation(),
  ],
).enableRLS();

export const activities = pgTable(
  'activities',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    teamId: uuid('team_id').notNull(),
    seriesId: uuid('series_id'),
    /** Which occurrence of the series this is (RECURRENCE-ID): the local date the rule gives it. Generation is idempotent on it. */
    occurrenceKey: text('occurrence_key'),
    /** Edited on its own: editing the whole series leaves it alone. */
    detached: boolean('detached').notNull().default(false),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    category: activityCategoryEnum('category').notNull(),
    placeName: text('place_name').notNull(),
    /** The service station it takes place at, if any (its place was filled in from the station). */
    stationId: uuid('station_id'),
    latitude: doublePrecision('latitude').notNull(),
    longitude: doublePrecision('longitude').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    capacity: integer('capacity').notNull(),
    requiredSkills: text('required_skills')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    isPublic: boolean('is_public').notNull().default(false),
    status: activityStatusEnum('status').notNull().default('DRAFT'),
    /** People served (受益人数), recorded after it ends. */
    beneficiaries: integer('beneficiaries'),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    /** When the reminder before start went out; null: not yet. */
    reminderSentAt: timestamp('reminder_sent_at', { withTimezone: true }),
    /** When the reminder two hours before start went out; null: not yet. */
    soonReminderSentAt: timestamp('soon_reminder_sent_at', { withTimezone: true }),
    /**
     * The iCalendar SEQUENCE: grows by one with every change a calendar shows (title, times, place,
     * description, status), kept by a trigger (activities_calendar_sequence) whatever the path.
     */
    calendarSequence: integer('calendar_sequence').notNull().default(0),
    /**
     * Its sign-ups by state, kept by a trigger on sign_ups (migration 0020) in the
     * sign-up's own transaction: lists and the big screen read them instead of
     * counting sign-ups for every activity shown. Never written by the application.
     */
    confirmedCount: integer('confirmed_count').notNull().default(0),
    waitlistCount: integer('waitlist_count').notNull().default(0),
    /** Confirmed, checked in and not yet checked out. */
    checkedInCount: integer('checked_in_count').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.teamId], foreignColumns: [teams.orgId, teams.id] }),
    foreignKey({ columns: [t.orgId, t.seriesId], foreignColumns: [activitySeries.orgId, activitySeries.id] }),
    foreignKey({ columns: [t.orgId, t.stationId], foreignColumns: [stations.orgId, stations.id] }),
    index('activities_station_idx').on(t.orgId, t.stationId, t.startsAt),
    unique('activities_series_occurrence_unique').on(t.orgId, t.seriesId, t.occurrenceKey),
    index('activities_starts_idx').on(t.orgId, t.startsAt),
    // The status last: a team's activities in a month are counted from the index alone (the big screen).
    index('activities_team_starts_idx').on(t.orgId, t.teamId, t.startsAt, t.status),
    // The big screen's "happening now": activities not yet ended are few, whatever the history.
    index('activities_ends_idx').on(t.orgId, t.endsAt),
    index('activities_reminder_due_idx')
      .on(t.startsAt)
      .where(sql`${t.status} = 'PUBLISHED' and ${t.reminderSentAt} is null`),
    index('activities_soon_reminder_due_idx')
      .on(t.startsAt)
      .where(sql`${t.status} = 'PUBLISHED' and ${t.soonReminderSentAt} is null`),
    check('activities_title_length', sql`char_length(${t.title}) between 1 and 120`),
    check('activities_description_length', sql`char_length(${t.description}) <= 5000`),
    check('activities_place_length', sql`char_length(${t.placeName}) between 1 and 200`),
    check('activities_ends_after_start', sql`${t.endsAt} > ${t.startsAt}`),
    check(
      'activities_duration_max',
      sql`${t.endsAt} - ${t.startsAt} <= make_interval(mins => ${sql.raw(String(ACTIVITY_MAX_SPAN_MINUTES))})`,
    ),
    check('activities_capacity', sql`${t.capacity} between 1 and 10000`),
    check('activities_position', sql`${t.latitude} between -90 and 90 and ${t.longitude} between -180 and 180`),
    check('activities_beneficiaries', sql`${t.beneficiaries} is null or ${t.beneficiaries} >= 0`),
    check('activities_series_key', sql`(${t.seriesId} is null) = (${t.occurrenceKey} is null)`),
    tenantIsolation(),
  ],
).enableRLS();

/**
 * People served (受益人数) per team and month, in the organization's time zone,
 * from the activities that recorded them (not cancelled): the big screen's
 * this month and this year. Kept by a trigger on activities (migration 0023) in
 * the recording transaction; reports over any days sum the activities themselves.
 */
export const activityBeneficiariesTeamMonth = pgTable(
  'activity_beneficiaries_team_month',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    teamId: uuid('team_id').notNull(),
    year: smallint('year').notNull(),
    month: smallint('month').notNull(),
    /** Activities that recorded how many people they served. */
    activities: integer('activities').notNull().default(0),
    beneficiaries: bigint('beneficiaries', { mode: 'number' }).notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.teamId, t.year, t.month] }),
    foreignKey({ columns: [t.orgId, t.teamId], foreignColumns: [teams.orgId, teams.id] }),
    index('activity_beneficiaries_team_month_period_idx').on(t.orgId, t.year, t.month),
    check('activity_beneficiaries_team_month_month', sql`${t.month} between 1 and 12`),
    tenantIsolation(),
  ],
).enableRLS();

/** Orders sign-ups by arrival: taken while the activity's row is locked, so it is the order places were given. */
export const signUpArrival = pgSequence('sign_up_arrival');

export const signUps = pgTable(
  'sign_ups',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    activityId: uuid('activity_id').notNull(),
    memberId: uuid('member_id').notNull(),
    status: signUpStatusEnum('status').notNull(),
    /** Arrival order; the waitlist is promoted in this order. Renewed when a cancelled sign-up is made again. */
    arrival: bigint('arrival', { mode: 'number' })
      .notNull()
      .default(sql`nextval('sign_up_arrival')`),
    signedUpAt: timestamp('signed_up_at', { withTimezone: true }).notNull().defaultNow(),
    promotedAt: timestamp('promoted_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    checkedInAt: timestamp('checked_in_at', { withTimezone: true }),
    checkInMethod: checkInMethodEnum('check_in_method'),
    checkInLatitude: doublePrecision('check_in_latitude'),
    checkInLongitude: doublePrecision('check_in_longitude'),
    checkInAccuracyMetres: doublePrecision('check_in_accuracy_metres'),
    /** From the activity's site, as computed at check-in. */
    checkInDistanceMetres: doublePrecision('check_in_distance_metres'),
    /** When a check-in taken with no network (queued on the phone) reached the server; null when sent at once. */
    checkInReceivedAt: timestamp('check_in_received_at', { withTimezone: true }),
    checkedOutAt: timestamp('checked_out_at', { withTimezone: true }),
    checkOutMethod: checkInMethodEnum('check_out_method'),
    checkOutLatitude: doublePrecision('check_out_latitude'),
    checkOutLongitude: doublePrecision('check_out_longitude'),
    checkOutAccuracyMetres: doublePrecision('check_out_accuracy_metres'),
    checkOutDistanceMetres: doublePrecision('check_out_distance_metres'),
    /** As checkInReceivedAt, for a check-out queued offline. */
    checkOutReceivedAt: timestamp('check_out_received_at', { withTimezone: true }),
    attendance: attendanceEnum('attendance'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.activityId], foreignColumns: [activities.orgId, activities.id] }),
    foreignKey({ columns: [t.orgId, t.memberId], foreignColumns: [members.orgId, members.id] }).onDelete('cascade'),
    unique('sign_ups_activity_member_unique').on(t.orgId, t.activityId, t.memberId),
    index('sign_ups_activity_status_idx').on(t.orgId, t.activityId, t.status, t.arrival),
    index('sign_ups_member_idx').on(t.orgId, t.memberId, t.status),
    // The big screen's feed of the latest check-ins.
    index('sign_ups_checked_in_idx')
      .on(t.orgId, t.checkedInAt)
      .where(sql`${t.checkedInAt} is not null`),
    check('sign_ups_check_out_after_check_in', sql`${t.checkedOutAt} is null or ${t.checkedInAt} is not null`),
    tenantIsolation(),
  ],
).enableRLS();

/** QR check-in codes a member has used: a code works once per member (no replay). */
export const checkInCodeUses = pgTable(
  'check_in_code_uses',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    nonce: text('nonce').notNull(),
    memberId: uuid('member_id').notNull(),
    activityId: uuid('activity_id').notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.nonce, t.memberId] }),
    foreignKey({ columns: [t.orgId, t.activityId], foreignColumns: [activities.orgId, activities.id] }),
    foreignKey({ columns: [t.orgId, t.memberId], foreignColumns: [members.orgId, members.id] }).onDelete('cascade'),
    tenantIsolation(),
  ],
).enableRLS();

export type Activity = typeof activities.$inferSelect;
export type ActivitySeries = typeof activitySeries.$inferSelect;
export type ActivityCategory = (typeof ACTIVITY_CATEGORIES)[number];
export type ActivityStatus = (typeof activityStatusEnum.enumValues)[number];
export type SignUp = typeof signUps.$inferSelect;
export type SignUpStatus = (typeof signUpStatusEnum.enumValues)[number];
export type Attendance = (typeof attendanceEnum.enumValues)[number];
export type CheckInMethod = (typeof checkInMethodEnum.enumValues)[number];
