/**
 * One-to-one sponsorship (一对一帮扶): the children in need, their sponsors
 * (a person, a party organization 党组织 or a company), the sponsorships that
 * pair them, and the support, visits and updates recorded against each.
 *
 * A child's personal fields are sensitive personal information of a minor
 * (个人信息保护法 art. 28, 31): they are held only with a guardian's recorded
 * consent, and deleting a child nulls them, leaving a tombstone. Migration
 * 0009 adds what drizzle cannot say: the capacity trigger, the revoked
 * DELETEs and the member link that is cleared when a member is removed.
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  foreignKey,
  index,
  integer,
  pgEnum,
  pgPolicy,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { accounts, genderEnum, members } from './people.ts';
import { appRole, organizations, tenantIsolation } from './tenancy.ts';

/** waiting for a sponsor, proposed to one or more, sponsored (one active sponsorship), ended (left the programme). */
export const childStatusEnum = pgEnum('child_status', ['WAITING', 'PROPOSED', 'SPONSORED', 'ENDED']);

/** 留守 left-behind, 贫困 poverty, 残疾 disability, 孤儿 orphaned, other: several may apply. */
export const childCircumstanceEnum = pgEnum('child_circumstance', [
  'LEFT_BEHIND',
  'POVERTY',
  'DISABILITY',
  'ORPHANED',
  'OTHER',
]);

export const children = pgTable(
  'children',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    status: childStatusEnum('status').notNull().default('WAITING'),
    // Personal fields: null only once the child is deleted (the checks below).
    familyName: text('family_name'),
    /** The given name without the surname: all a sponsor sees of the name. */
    givenName: text('given_name'),
    gender: genderEnum('gender'),
    dateOfBirth: date('date_of_birth'),
    /** 乡镇 / 街道: what "same township" matching compares. */
    township: text('township'),
    /** 村 / 社区 */
    village: text('village'),
    school: text('school'),
    /** 0 preschool, 1–6 primary, 7–9 junior middle, 10–12 senior middle; null when not at school. */
    grade: smallint('grade'),
    circumstances: childCircumstanceEnum('circumstances').array(),
    circumstanceNote: text('circumstance_note'),
    needs: text('needs'),
    guardianName: text('guardian_name'),
    guardianRelation: text('guardian_relation'),
    guardianPhone: text('guardian_phone'),
    // The guardian's consent (监护人同意): without it no child is saved.
    consentGivenOn: date('consent_given_on').notNull(),
    consentTextVersion: text('consent_text_version').notNull(),
    consentRecordedBy: uuid('consent_recorded_by').notNull(),
    consentRecordedAt: timestamp('consent_recorded_at', { withTimezone: true }).notNull().defaultNow(),
    /** Since when the child waits for a sponsor (registration, or the end of the last sponsorship). */
    waitingSince: timestamp('waiting_since', { withTimezone: true }).notNull().defaultNow(),
    /** In milliseconds, as JavaScript keeps it: the registry's page cursor holds it exactly. */
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** Set when the record is deleted at a guardian's request: the row stays as a tombstone. */
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.consentRecordedBy], foreignColumns: [members.orgId, members.id] }),
    index('children_org_status_idx').on(t.orgId, t.status, t.createdAt),
    index('children_org_created_idx').on(t.orgId, t.createdAt),
    check(
      'children_personal_present',
      sql`${t.deletedAt} is not null or (${t.familyName} is not null and ${t.givenName} is not null and ${t.gender} is not null
        and ${t.dateOfBirth} is not null and ${t.township} is not null and ${t.village} is not null
        and coalesce(cardinality(${t.circumstances}), 0) > 0 and ${t.needs} is not null and ${t.guardianName} is not null
        and ${t.guardianRelation} is not null and ${t.guardianPhone} is not null)`,
    ),
    check(
      'children_tombstone_empty',
      sql`${t.deletedAt} is null or (${t.familyName} is null and ${t.givenName} is null and ${t.gender} is null
        and ${t.dateOfBirth} is null and ${t.township} is null and ${t.village} is null and ${t.school} is null
        and ${t.grade} is null and ${t.circumstances} is null and ${t.circumstanceNote} is null and ${t.needs} is null
        and ${t.guardianName} is null and ${t.guardianRelation} is null and ${t.guardianPhone} is null
        and ${t.status} = 'ENDED')`,
    ),
    check('children_grade_range', sql`${t.grade} between 0 and 12`),
    check('children_consent_version_length', sql`char_length(${t.consentTextVersion}) between 1 and 40`),
    tenantIsolation(),
  ],
).enableRLS();

/** 个人 a person, 党组织 a party organization (e.g. a 党支部), 企业 a company, or another organization. */
export const sponsorKindEnum = pgEnum('sponsor_kind', [
  'INDIVIDUAL',
  'PARTY_ORGANIZATION',
  'COMPANY',
  'OTHER_ORGANIZATION',
]);

export const sponsors = pgTable(
  'sponsors',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    kind: sponsorKindEnum('kind').notNull(),
    /** The person's or the organization's name. */
    name: text('name').notNull(),
    /** For an organization: whom to talk to. */
    contactName: text('contact_name'),
    phone: text('phone'),
    email: text('email'),
    /** Where the sponsor is (乡镇 / 街道); a child of the same township fits better. */
    township: text('township'),
    /** An individual sponsor who is a member of the organization (foreign key in migration 0009). */
    memberId: uuid('member_id'),
    /** The account that signs in to the sponsor's own view; linked by the sponsor claiming an invitation. */
    accountId: uuid('account_id').references(() => accounts.id, { onDelete: 'set null' }),
    /** SHA-256 of the pending invitation's code, which only the admin who made it ever sees. */
    invitationCodeHash: text('invitation_code_hash'),
    invitationExpiresAt: timestamp('invitation_expires_at', { withTimezone: true }),
    // Preferences. Region, age and gender are hard: matching never pairs against them.
    preferredTownships: text('preferred_townships')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    preferredAgeMin: smallint('preferred_age_min'),
    preferredAgeMax: smallint('preferred_age_max'),
    preferredGender: genderEnum('preferred_gender'),
    /** "Whoever needs it most": children in the hardest circumstances rank first. */
    prefersGreatestNeed: boolean('prefers_greatest_need').notNull().default(false),
    /** How many children the sponsor takes on at most (rule 11: default one). */
    childrenOffered: smallint('children_offered').notNull().default(1),
    /** A monthly amount, in fen (分). */
    monthlyPledgeFen: integer('monthly_pledge_fen'),
    pledgedGoods: text('pledged_goods'),
    notes: text('notes'),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    unique('sponsors_org_account_unique').on(t.orgId, t.accountId),
    unique('sponsors_org_member_unique').on(t.orgId, t.memberId),
    unique('sponsors_org_invitation_unique').on(t.orgId, t.invitationCodeHash),
    index('sponsors_org_name_idx').on(t.orgId, t.name),
    check('sponsors_name_length', sql`char_length(${t.name}) between 1 and 80`),
    check('sponsors_children_offered_range', sql`${t.childrenOffered} between 1 and 100`),
    check(
      'sponsors_age_range',
      sql`(${t.preferredAgeMin} is null or ${t.preferredAgeMin} between 0 and 18)
        and (${t.preferredAgeMax} is null or ${t.preferredAgeMax} between 0 and 18)
        and (${t.preferredAgeMin} is null or ${t.preferredAgeMax} is null or ${t.preferredAgeMin} <= ${t.preferredAgeMax})`,
    ),
    check('sponsors_pledge_positive', sql`${t.monthlyPledgeFen} is null or ${t.monthlyPledgeFen} > 0`),
    check('sponsors_member_is_individual', sql`${t.memberId} is null or ${t.kind} = 'INDIVIDUAL'`),
    tenantIsolation(),
    // A signed-in sponsor finds their own sponsor records in every organization, as members find their memberships.
    pgPolicy('own_sponsor_records', { for: 'select', to: appRole, using: sql`account_id = app_current_account()` }),
  ],
).enableRLS();

export const sponsorshipStatusEnum = pgEnum('sponsorship_status', ['PROPOSED', 'ACTIVE', 'ENDED', 'LAPSED']);

export const sponsorshipEndReasonEnum = pgEnum('sponsorship_end_reason', [
  /** Grew up or finished school: the child leaves the programme. */
  'CHILD_GREW_UP',
  /** Moved away: the child leaves the programme. */
  'CHILD_MOVED',
  /** The family withdrew (or withdrew consent): the child leaves the programme. */
  'FAMILY_WITHDREW',
  /** The sponsor stopped: the child waits for another. */
  'SPONSOR_WITHDREW',
  /** The child's record was deleted at the guardian's request. */
  'RECORD_DELETED',
  'OTHER',
]);

export const sponsorships = pgTable(
  'sponsorships',
  {
    orgId: uuid('org_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    childId: uuid('child_id').notNull(),
    sponsorId: uuid('sponsor_id').notNull(),
    /** proposed → active (confirmed) → ended; or proposed → lapsed. */
    status: sponsorshipStatusEnum('status').notNull().default('PROPOSED'),
    proposedAt: timestamp('proposed_at', { withTimezone: true }).notNull().defaultNow(),
    proposedBy: uuid('proposed_by').notNull(),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    confirmedBy: uuid('confirmed_by'),
    /** When it ended or lapsed, and who did it. */
    closedAt: timestamp('closed_at', { withTimezone: true }),
    closedBy: uuid('closed_by'),
    endReason: sponsorshipEndReasonEnum('end_reason'),
    endNote: text('end_note'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.childId], foreignColumns: [children.orgId, children.id] }),
    foreignKey({ columns: [t.orgId, t.sponsorId], foreignColumns: [sponsors.orgId, sponsors.id] }),
    foreignKey({ columns: [t.orgId, t.proposedBy], foreignColumns: [members.orgId, members.id] }),
    foreignKey({ columns: [t.orgId, t.confirmedBy], foreignColumns: [members.orgId, members.id] }),
    foreignKey({ columns: [t.orgId, t.closedBy], foreignColumns: [members.orgId, members.id] }),
    // Rule 11, the one-to-one rule: a child has at most one active sponsorship, whatever runs at the same moment.
    uniqueIndex('sponsorships_one_active_per_child')
      .on(t.orgId, t.childId)
      .where(sql`status = 'ACTIVE'`),
    // One open proposal per pair.
    uniqueIndex('sponsorships_one_open_proposal_per_pair')
      .on(t.orgId, t.childId, t.sponsorId)
      .where(sql`status = 'PROPOSED'`),
    index('sponsorships_sponsor_idx').on(t.orgId, t.sponsorId, t.status),
    index('sponsorships_child_idx').on(t.orgId, t.childId, t.status),
    check(
      'sponsorships_lifecycle',
      sql`(${t.status} = 'PROPOSED' and ${t.confirmedAt} is null and ${t.closedAt} is null)
        or (${t.status} = 'ACTIVE' and ${t.confirmedAt} is not null and ${t.closedAt} is null)
        or (${t.status} = 'ENDED' and ${t.confirmedAt} is not null and ${t.closedAt} is not null and ${t.endReason} is not null)
        or (${t.status} = 'LAPSED' and ${t.confirmedAt} is null and ${t.closedAt} is not null)`,
    ),
    tenantIsolation(),
  ],
).enableRLS();

export const supportKindEnum = pgEnum('support_kind', ['MONEY', 'GOODS']);

/** Support given to a sponsored child: money (an amount) or goods (a description, perhaps a value). */
export const sponsorshipSupport = pgTable(
  'sponsorship_support',
  {
    orgId: uuid('org_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    sponsorshipId: uuid('sponsorship_id').notNull(),
    kind: supportKindEnum('kind').notNull(),
    givenOn: date('given_on').notNull(),
    /** In fen (分): the money given, or the goods' value if known. */
    amountFen: integer('amount_fen'),
    /** What the goods were; null once the child's record is deleted (it may name the child). */
    description: text('description'),
    recordedBy: uuid('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.sponsorshipId], foreignColumns: [sponsorships.orgId, sponsorships.id] }),
    foreignKey({ columns: [t.orgId, t.recordedBy], foreignColumns: [members.orgId, members.id] }),
    index('sponsorship_support_sponsorship_idx').on(t.orgId, t.sponsorshipId, t.givenOn),
    check('sponsorship_support_amount', sql`${t.amountFen} is null or ${t.amountFen} > 0`),
    check('sponsorship_support_money_has_amount', sql`${t.kind} <> 'MONEY' or ${t.amountFen} is not null`),
    tenantIsolation(),
  ],
).enableRLS();

/** A visit to the child by volunteers (走访). */
export const sponsorshipVisits = pgTable(
  'sponsorship_visits',
  {
    orgId: uuid('org_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    sponsorshipId: uuid('sponsorship_id').notNull(),
    visitedOn: date('visited_on').notNull(),
    /** What the volunteers saw: personal to the child, so admins only, and null once the child is deleted. */
    notes: text('notes'),
    recordedBy: uuid('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.sponsorshipId], foreignColumns: [sponsorships.orgId, sponsorships.id] }),
    foreignKey({ columns: [t.orgId, t.recordedBy], foreignColumns: [members.orgId, members.id] }),
    index('sponsorship_visits_sponsorship_idx').on(t.orgId, t.sponsorshipId, t.visitedOn),
    tenantIsolation(),
  ],
).enableRLS();

/** The volunteers who made a visit. */
export const sponsorshipVisitVolunteers = pgTable(
  'sponsorship_visit_volunteers',
  {
    orgId: uuid('org_id').notNull(),
    visitId: uuid('visit_id').notNull(),
    memberId: uuid('member_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.visitId, t.memberId] }),
    foreignKey({
      columns: [t.orgId, t.visitId],
      foreignColumns: [sponsorshipVisits.orgId, sponsorshipVisits.id],
    }).onDelete('cascade'),
    foreignKey({ columns: [t.orgId, t.memberId], foreignColumns: [members.orgId, members.id] }),
    index('sponsorship_visit_volunteers_member_idx').on(t.orgId, t.memberId),
    tenantIsolation(),
  ],
).enableRLS();

/** News of the child written for the sponsor (近况): the sponsor sees these. */
export const sponsorshipUpdates = pgTable(
  'sponsorship_updates',
  {
    orgId: uuid('org_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    sponsorshipId: uuid('sponsorship_id').notNull(),
    postedOn: date('posted_on').notNull(),
    body: text('body').notNull(),
    postedBy: uuid('posted_by').notNull(),
    postedAt: timestamp('posted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.sponsorshipId], foreignColumns: [sponsorships.orgId, sponsorships.id] }),
    foreignKey({ columns: [t.orgId, t.postedBy], foreignColumns: [members.orgId, members.id] }),
    index('sponsorship_updates_sponsorship_idx').on(t.orgId, t.sponsorshipId, t.postedOn),
    check('sponsorship_updates_body_length', sql`char_length(${t.body}) between 1 and 2000`),
    tenantIsolation(),
  ],
).enableRLS();

export type Child = typeof children.$inferSelect;
export type ChildStatus = (typeof childStatusEnum.enumValues)[number];
export type ChildCircumstance = (typeof childCircumstanceEnum.enumValues)[number];
export type Sponsor = typeof sponsors.$inferSelect;
export type SponsorKind = (typeof sponsorKindEnum.enumValues)[number];
export type Sponsorship = typeof sponsorships.$inferSelect;
export type SponsorshipStatus = (typeof sponsorshipStatusEnum.enumValues)[number];
export type SponsorshipEndReason = (typeof sponsorshipEndReasonEnum.enumValues)[number];
export type SupportRecord = typeof sponsorshipSupport.$inferSelect;
export type SupportKind = (typeof supportKindEnum.enumValues)[number];
export type Visit = typeof sponsorshipVisits.$inferSelect;
export type SponsorshipUpdate = typeof sponsorshipUpdates.$inferSelect;
