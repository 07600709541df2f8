/**
 * Village service stations (村级综合服务平台 / 服务站) of an association: a
 * place of its own with the members stationed there (驻站 / 驻村) and a
 * lead, a logbook of the visits and services given, and spot-check
 * check-ins (随机打卡): a person is asked to check in, and their position
 * reaches whoever asked.
 *
 * Row-level security: every table is its organization's (tenant_isolation).
 * A spot check's row is readable only by the person asked, its sender and the
 * organization's admins (and by work with no account set: the clock's jobs and
 * the big screen, which sees no position); the service says the same
 * (stations/spot-checks.ts) and the policy is the second wall. Its position is
 * location, sensitive personal information under PIPL: erased after the
 * retention period (SPOT_CHECK_POSITION_RETENTION_DAYS) by the clock.
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  doublePrecision,
  foreignKey,
  index,
  integer,
  pgEnum,
  pgPolicy,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { members } from './people.ts';
import { appRole, organizations, tenantIsolation } from './tenancy.ts';

export const stations = pgTable(
  'stations',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    name: text('name').notNull(),
    /** 乡镇 */
    township: text('township').notNull(),
    /** 村 / 社区 */
    village: text('village').notNull().default(''),
    address: text('address').notNull().default(''),
    latitude: doublePrecision('latitude').notNull(),
    longitude: doublePrecision('longitude').notNull(),
    /** A spot check answered within this distance is "at the station". */
    radiusMetres: integer('radius_metres').notNull().default(300),
    /** Opening hours in the organization's wall time, HH:mm; the station is open between them every day. */
    opensAt: text('opens_at').notNull().default('08:30'),
    closesAt: text('closes_at').notNull().default('17:30'),
    /** 站长: one of the members stationed there. */
    leadMemberId: uuid('lead_member_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    unique('stations_org_name_unique').on(t.orgId, t.name),
    foreignKey({ columns: [t.orgId, t.leadMemberId], foreignColumns: [members.orgId, members.id] }),
    index('stations_org_township_idx').on(t.orgId, t.township, t.name),
    check(
      'stations_text_length',
      sql`char_length(${t.name}) between 1 and 80 and char_length(${t.township}) between 1 and 40
        and char_length(${t.village}) <= 40 and char_length(${t.address}) <= 200`,
    ),
    check('stations_position', sql`${t.latitude} between -90 and 90 and ${t.longitude} between -180 and 180`),
    check('stations_radius', sql`${t.radiusMetres} between 10 and 5000`),
    check(
      'stations_hours_format',
      sql`${t.opensAt} ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' and ${t.closesAt} ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' and ${t.opensAt} < ${t.closesAt}`,
    ),
    tenantIsolation(),
  ],
).enableRLS();

/** Who is stationed where (驻站); a member may serve several stations. */
export const stationMembers = pgTable(
  'station_members',
  {
    orgId: uuid('org_id').notNull(),
    stationId: uuid('station_id').notNull(),
    memberId: uuid('member_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.stationId, t.memberId] }),
    foreignKey({ columns: [t.orgId, t.stationId], foreignColumns: [stations.orgId, stations.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.orgId, t.memberId], foreignColumns: [members.orgId, members.id] }).onDelete('cascade'),
    index('station_members_member_idx').on(t.orgId, t.memberId),
    tenantIsolation(),
  ],
).enableRLS();

/** 政策咨询, 代办服务, 医疗健康, 法律援助, 养老助老, 关爱儿童, 就业帮扶, other. */
export const stationServiceCategoryEnum = pgEnum('station_service_category', [
  'POLICY',
  'ERRANDS',
  'HEALTH',
  'LEGAL',
  'ELDERLY',
  'CHILDREN',
  'EMPLOYMENT',
  'OTHER',
]);
export const STATION_SERVICE_CATEGORIES = stationServiceCategoryEnum.enumValues;

/** Resolved at the station (当场办结) or referred on (转办). */
export const stationVisitOutcomeEnum = pgEnum('station_visit_outcome', ['RESOLVED', 'REFERRED']);

/** The station logbook (服务台账): one visit and the service given. */
export const stationVisits = pgTable(
  'station_visits',
  {
    orgId: uuid('org_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    stationId: uuid('station_id').notNull(),
    /** The member who wrote it down. */
    recordedBy: uuid('recorded_by').notNull(),
    /** Who came (来访人): shown masked to everyone but admins. */
    visitorName: text('visitor_name').notNull(),
    /** What for (事由). */
    purpose: text('purpose').notNull(),
    category: stationServiceCategoryEnum('category').notNull(),
    minutes: integer('minutes').notNull(),
    outcome: stationVisitOutcomeEnum('outcome').notNull(),
    /** When the visit took place (the clock's now unless told otherwise). */
    visitedAt: timestamp('visited_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.stationId], foreignColumns: [stations.orgId, stations.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.orgId, t.recordedBy], foreignColumns: [members.orgId, members.id] }),
    // A station's day, and the organization's day (the big screen, the reports).
    index('station_visits_station_idx').on(t.orgId, t.stationId, t.visitedAt),
    index('station_visits_org_idx').on(t.orgId, t.visitedAt),
    check(
      'station_visits_text_length',
      sql`char_length(${t.visitorName}) between 1 and 60 and char_length(${t.purpose}) between 1 and 500`,
    ),
    check('station_visits_minutes', sql`${t.minutes} between 1 and 1440`),
    tenantIsolation(),
  ],
).enableRLS();

/** PENDING until answered (ANSWERED) or, past its time, UNANSWERED; a late answer still turns it ANSWERED. */
export const spotCheckStatusEnum = pgEnum('spot_check_status', ['PENDING', 'ANSWERED', 'UNANSWERED']);

/** The viewer may see this spot check: the person asked, its sender, an admin; or no account (the clock, the board). */
const viewerMaySeeSpotCheck = sql`org_id = app_current_org() and (app_current_account() is null or exists (
  select 1 from members m where m.org_id = app_current_org() and m.account_id = app_current_account() and m.active
    and (m.role = 'ADMIN' or m.id = spot_checks.member_id or m.id = spot_checks.sent_by)))`;

export const spotChecks = pgTable(
  'spot_checks',
  {
    orgId: uuid('org_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    /** The person asked to check in. */
    memberId: uuid('member_id').notNull(),
    /** The station they were asked at (its people were picked, or theirs); null: none. */
    stationId: uuid('station_id'),
    sentBy: uuid('sent_by').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true, precision: 3 }).notNull(),
    /** Unanswered by then: marked UNANSWERED by the clock; answered after it: late. */
    dueAt: timestamp('due_at', { withTimezone: true, precision: 3 }).notNull(),
    status: spotCheckStatusEnum('status').notNull().default('PENDING'),
    answeredAt: timestamp('answered_at', { withTimezone: true, precision: 3 }),
    /** The position answered with (erased after the retention period). */
    latitude: doublePrecision('latitude'),
    longitude: doublePrecision('longitude'),
    accuracyMetres: doublePrecision('accuracy_metres'),
    /** From the station's position (erased with the position). */
    distanceMetres: doublePrecision('distance_metres'),
    /** Answered within the station's radius: kept after the position is erased (the history). */
    atStation: boolean('at_station'),
    positionErasedAt: timestamp('position_erased_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.memberId], foreignColumns: [members.orgId, members.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.orgId, t.sentBy], foreignColumns: [members.orgId, members.id] }),
    foreignKey({ columns: [t.orgId, t.stationId], foreignColumns: [stations.orgId, stations.id] }).onDelete('set null'),
    index('spot_checks_member_idx').on(t.orgId, t.memberId, t.sentAt),
    index('spot_checks_sender_idx').on(t.orgId, t.sentBy, t.sentAt),
    // The clock's two scans across organizations: pending past due, and positions past retention.
    index('spot_checks_pending_due_idx')
      .on(t.dueAt)
      .where(sql`${t.status} = 'PENDING'`),
    index('spot_checks_position_kept_idx')
      .on(t.answeredAt)
      .where(sql`${t.latitude} is not null`),
    check('spot_checks_due_after_sent', sql`${t.dueAt} > ${t.sentAt}`),
    check('spot_checks_answered', sql`(${t.status} = 'ANSWERED') = (${t.answeredAt} is not null)`),
    check(
      'spot_checks_position',
      sql`(${t.latitude} is null) = (${t.longitude} is null) and (${t.latitude} is null or (${t.latitude} between -90 and 90 and ${t.longitude} between -180 and 180))`,
    ),
    pgPolicy('spot_checks_viewer', {
      for: 'all',
      to: appRole,
      using: viewerMaySeeSpotCheck,
      withCheck: viewerMaySeeSpotCheck,
    }),
  ],
).enableRLS();

export type Station = typeof stations.$inferSelect;
export type StationVisit = typeof stationVisits.$inferSelect;
export type StationServiceCategory = (typeof STATION_SERVICE_CATEGORIES)[number];
export type StationVisitOutcome = (typeof stationVisitOutcomeEnum.enumValues)[number];
export type SpotCheck = typeof spotChecks.$inferSelect;
export type SpotCheckStatus = (typeof spotCheckStatusEnum.enumValues)[number];
