/**
 * Service hours (志愿服务时长), after the Ministry of Civil Affairs' Measures
 * for Volunteer Service Records and Certificates (志愿服务记录与证明出具办法,
 * 2020): a service record carries what the Measures require (activity name,
 * date, place, content, hours in minutes, organizing unit, activity lead),
 * goes through a lead's approval, is locked once approved and changes only
 * through a correction whose old values are kept.
 *
 * Totals are read from rollups, never summed from the records at read time:
 * the service that approves or corrects a record adjusts them in the same
 * transaction, so they always equal the sum of the approved records.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { activities } from './activities.ts';
import { members } from './people.ts';
import { teams } from './teams.ts';
import { organizations, tenantIsolation } from './tenancy.ts';

/** Where the hours come from: computed from check-in/check-out, reported by the member, or entered by a lead. */
export const serviceRecordSourceEnum = pgEnum('service_record_source', ['CHECK_IN', 'SELF_REPORTED', 'LEAD_ENTERED']);
/**
 * WITHDRAWN: made by a check-out that was undone (the check-in stands again); kept, as every record
 * is, and counted nowhere.
 */
export const serviceRecordStatusEnum = pgEnum('service_record_status', [
  'PENDING',
  'APPROVED',
  'DECLINED',
  'WITHDRAWN',
]);
export const serviceCorrectionStatusEnum = pgEnum('service_correction_status', ['PENDING', 'ACCEPTED', 'REFUSED']);

export const serviceRecords = pgTable(
  'service_records',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    memberId: uuid('member_id').notNull(),
    /** Null for service outside the platform. */
    activityId: uuid('activity_id'),
    /** The activity's team, or the team the member chose for outside service; counts in that team's totals. */
    teamId: uuid('team_id'),
    activityName: text('activity_name').notNull(),
    /** The day of service, in the organization's time zone; the month and year totals count it there. */
    serviceDate: date('service_date').notNull(),
    place: text('place').notNull(),
    content: text('content').notNull(),
    /** Actual service time (rule 1), in minutes. */
    minutes: integer('minutes').notNull(),
    organizingUnit: text('organizing_unit').notNull(),
    activityLead: text('activity_lead').notNull(),
    source: serviceRecordSourceEnum('source').notNull(),
    status: serviceRecordStatusEnum('status').notNull().default('PENDING'),
    /** When the service began and ended: two records of one member may not overlap. */
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    /** Entered more than 10 working days after the service ended (rule 4). */
    late: boolean('late').notNull().default(false),
    /** Entered by a lead for a member who checked in but never checked out: the hours were not computed. */
    checkOutMissing: boolean('check_out_missing').notNull().default(false),
    /** Who entered it (the member themself, or a lead). */
    enteredByMemberId: uuid('entered_by_member_id'),
    declineReason: text('decline_reason'),
    decidedByMemberId: uuid('decided_by_member_id'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.memberId], foreignColumns: [members.orgId, members.id] }),
    foreignKey({ columns: [t.orgId, t.activityId], foreignColumns: [activities.orgId, activities.id] }),
    foreignKey({ columns: [t.orgId, t.teamId], foreignColumns: [teams.orgId, teams.id] }),
    foreignKey({ columns: [t.orgId, t.enteredByMemberId], foreignColumns: [members.orgId, members.id] }),
    foreignKey({ columns: [t.orgId, t.decidedByMemberId], foreignColumns: [members.orgId, members.id] }),
    // One live (pending or approved) record per member and activity: a declined or withdrawn one
    // may be reported again. Named by the live values: the migration that adds WITHDRAWN cannot use it.
    uniqueIndex('service_records_one_per_activity')
      .on(t.orgId, t.activityId, t.memberId)
      .where(sql`${t.activityId} is not null and ${t.status} in ('PENDING', 'APPROVED')`),
    // The member's records by time: their list, and the overlap check.
    index('service_records_member_time_idx').on(t.orgId, t.memberId, t.startsAt),
    // The approval queue: pending records by team, oldest first.
    index('service_records_pending_idx')
      .on(t.orgId, t.teamId, t.createdAt)
      .where(sql`${t.status} = 'PENDING'`),
    index('service_records_member_date_idx').on(t.orgId, t.memberId, t.serviceDate),
    // Reports: the approved records of a range of days (the edges of a period, whose whole months and
    // years come from the rollups: api/src/modules/hours/report-plan.ts).
    index('service_records_approved_date_idx')
      .on(t.orgId, t.serviceDate)
      .where(sql`${t.status} = 'APPROVED'`),
    // The big screen's feed: the latest approvals, read backwards.
    index('service_records_approved_idx')
      .on(t.orgId, t.decidedAt)
      .where(sql`${t.status} = 'APPROVED'`),
    check('service_records_minutes', sql`${t.minutes} between 1 and 1440`),
    check('service_records_ends_after_start', sql`${t.endsAt} > ${t.startsAt}`),
    check(
      'service_records_minutes_within_span',
      sql`${t.minutes} <= ceil(extract(epoch from (${t.endsAt} - ${t.startsAt})) / 60)`,
    ),
    check('service_records_activity_name_length', sql`char_length(${t.activityName}) between 1 and 120`),
    check('service_records_place_length', sql`char_length(${t.place}) between 1 and 200`),
    check('service_records_content_length', sql`char_length(${t.content}) between 1 and 2000`),
    check('service_records_organizing_unit_length', sql`char_length(${t.organizingUnit}) between 1 and 120`),
    check('service_records_activity_lead_length', sql`char_length(${t.activityLead}) between 1 and 60`),
    check('service_records_decline_reason_length', sql`char_length(${t.declineReason}) <= 500`),
    check(
      'service_records_decided',
      sql`(${t.status} = 'PENDING') = (${t.decidedAt} is null) and (${t.status} = 'DECLINED') = (${t.declineReason} is not null)`,
    ),
    tenantIsolation(),
  ],
).enableRLS();

/** The values a correction may change, as proposed and (once accepted) as they were before. */
export interface ServiceRecordValues {
  activityName: string;
  serviceDate: string;
  place: string;
  content: string;
  minutes: number;
  /** ISO 8601. */
  startsAt: string;
  endsAt: string;
}

/** A member's request to change an approved (locked) record; accepted ones are the record's history. */
export const serviceRecordCorrections = pgTable(
  'service_record_corrections',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    recordId: uuid('record_id').notNull(),
    requestedByMemberId: uuid('requested_by_member_id').notNull(),
    reason: text('reason').notNull(),
    proposed: jsonb('proposed').$type<ServiceRecordValues>().notNull(),
    /** The record's values before the correction was applied; set on acceptance. */
    previous: jsonb('previous').$type<ServiceRecordValues>(),
    status: serviceCorrectionStatusEnum('status').notNull().default('PENDING'),
    refusalReason: text('refusal_reason'),
    decidedByMemberId: uuid('decided_by_member_id'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.recordId], foreignColumns: [serviceRecords.orgId, serviceRecords.id] }),
    foreignKey({ columns: [t.orgId, t.requestedByMemberId], foreignColumns: [members.orgId, members.id] }),
    foreignKey({ columns: [t.orgId, t.decidedByMemberId], foreignColumns: [members.orgId, members.id] }),
    // One open correction per record.
    uniqueIndex('service_record_corrections_one_pending')
      .on(t.orgId, t.recordId)
      .where(sql`${t.status} = 'PENDING'`),
    index('service_record_corrections_record_idx').on(t.orgId, t.recordId, t.createdAt),
    index('service_record_corrections_pending_idx')
      .on(t.orgId, t.createdAt)
      .where(sql`${t.status} = 'PENDING'`),
    check('service_record_corrections_reason_length', sql`char_length(${t.reason}) between 1 and 500`),
    check('service_record_corrections_refusal_length', sql`char_length(${t.refusalReason}) <= 500`),
    check(
      'service_record_corrections_decided',
      sql`(${t.status} = 'PENDING') = (${t.decidedAt} is null) and (${t.status} = 'ACCEPTED') = (${t.previous} is not null)`,
    ),
    tenantIsolation(),
  ],
).enableRLS();

/*
 * Rollups of approved minutes. `records` counts the approved records summed.
 * Years and months are those of the service date (organization's time zone).
 * The leaderboards' indexes order minutes DESC NULLS FIRST, PostgreSQL's default
 * for DESC, so that a plain `order by minutes desc` reads them in order.
 * They carry no "never negative" check: a correction that lowers the minutes
 * adds a negative delta through INSERT … ON CONFLICT, and PostgreSQL checks
 * the row proposed for insertion before it finds the conflict.
 */

/** Per member per year: "this year" and the year's leaderboard (an index scan on (org, year, minutes desc)). */
export const serviceHoursMemberYear = pgTable(
  'service_hours_member_year',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    memberId: uuid('member_id').notNull(),
    year: smallint('year').notNull(),
    minutes: bigint('minutes', { mode: 'number' }).notNull().default(0),
    records: integer('records').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.memberId, t.year] }),
    foreignKey({ columns: [t.orgId, t.memberId], foreignColumns: [members.orgId, members.id] }),
    index('service_hours_member_year_board_idx').on(t.orgId, t.year, t.minutes.desc().nullsFirst(), t.memberId),
    tenantIsolation(),
  ],
).enableRLS();

/** Per member per month: a month's leaderboard and a member's months. */
export const serviceHoursMemberMonth = pgTable(
  'service_hours_member_month',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    memberId: uuid('member_id').notNull(),
    year: smallint('year').notNull(),
    month: smallint('month').notNull(),
    minutes: bigint('minutes', { mode: 'number' }).notNull().default(0),
    records: integer('records').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.memberId, t.year, t.month] }),
    foreignKey({ columns: [t.orgId, t.memberId], foreignColumns: [members.orgId, members.id] }),
    index('service_hours_member_month_board_idx').on(
      t.orgId,
      t.year,
      t.month,
      t.minutes.desc().nullsFirst(),
      t.memberId,
    ),
    check('service_hours_member_month_month', sql`${t.month} between 1 and 12`),
    tenantIsolation(),
  ],
).enableRLS();

/** Per member, all time: star levels (rule 6) and the all-time leaderboard. */
export const serviceHoursMemberTotal = pgTable(
  'service_hours_member_total',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    memberId: uuid('member_id').notNull(),
    minutes: bigint('minutes', { mode: 'number' }).notNull().default(0),
    records: integer('records').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.memberId] }),
    foreignKey({ columns: [t.orgId, t.memberId], foreignColumns: [members.orgId, members.id] }),
    index('service_hours_member_total_board_idx').on(t.orgId, t.minutes.desc().nullsFirst(), t.memberId),
    tenantIsolation(),
  ],
).enableRLS();

/** Per team per month: the big screen's per-team figures and the reports. */
export const serviceHoursTeamMonth = pgTable(
  'service_hours_team_month',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    teamId: uuid('team_id').notNull(),
    year: smallint('year').notNull(),
    month: smallint('month').notNull(),
    minutes: bigint('minutes', { mode: 'number' }).notNull().default(0),
    records: integer('records').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.teamId, t.year, t.month] }),
    foreignKey({ columns: [t.orgId, t.teamId], foreignColumns: [teams.orgId, teams.id] }),
    index('service_hours_team_month_period_idx').on(t.orgId, t.year, t.month),
    check('service_hours_team_month_month', sql`${t.month} between 1 and 12`),
    tenantIsolation(),
  ],
).enableRLS();

/** Per organization per month: hours this month and year, and the 12-month trend. */
export const serviceHoursOrgMonth = pgTable(
  'service_hours_org_month',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    year: smallint('year').notNull(),
    month: smallint('month').notNull(),
    minutes: bigint('minutes', { mode: 'number' }).notNull().default(0),
    records: integer('records').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.year, t.month] }),
    check('service_hours_org_month_month', sql`${t.month} between 1 and 12`),
    tenantIsolation(),
  ],
).enableRLS();

export type ServiceRecord = typeof serviceRecords.$inferSelect;
export type ServiceRecordSource = (typeof serviceRecordSourceEnum.enumValues)[number];
export type ServiceRecordStatus = (typeof serviceRecordStatusEnum.enumValues)[number];
export type ServiceRecordCorrection = typeof serviceRecordCorrections.$inferSelect;
export type ServiceCorrectionStatus = (typeof serviceCorrectionStatusEnum.enumValues)[number];
