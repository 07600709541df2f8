/**
 * People: accounts (who signs in, across organizations), their sessions, and
 * members (an account's membership of one organization).
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgPolicy,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { appRole, localeEnum, organizations, tenantIsolation } from './tenancy.ts';

/** An account is global: one person signs in once and may belong to several organizations. */
export const accounts = pgTable(
  'accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Stored lower-cased, so the unique constraint is case-insensitive. */
    email: text('email').unique(),
    /** Mainland mobile number, 11 digits. */
    phone: text('phone').unique(),
    passwordHash: text('password_hash').notNull(),
    displayName: text('display_name').notNull(),
    locale: localeEnum('locale'),
    /**
     * When the account proved it receives SMS at `phone` (a code sent there). Only a verified phone
     * links the account to a roster entry with that number; null for a phone never proven (accounts
     * made before codes existed). Changing the phone goes through a code, so it is never stale.
     */
    phoneVerifiedAt: timestamp('phone_verified_at', { withTimezone: true }),
    /** The same for `email` (a code or link sent there). */
    emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('accounts_email_or_phone', sql`${t.email} is not null or ${t.phone} is not null`),
    check('accounts_email_lower', sql`${t.email} = lower(${t.email})`),
    check('accounts_phone_format', sql`${t.phone} ~ '^1[3-9][0-9]{9}$'`),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    /** SHA-256 of the token in the cookie: a leaked table does not give sign-ins away. */
    tokenHash: text('token_hash').primaryKey(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_account_idx').on(t.accountId)],
);

export const accountCodePurposeEnum = pgEnum('account_code_purpose', [
  'REGISTER',
  'VERIFY_PHONE',
  'VERIFY_EMAIL',
  'RESET_PASSWORD',
]);

/**
 * One-time secrets sent to a phone or an address: a 6-digit code (registration,
 * adding or changing a phone or email, a password reset by SMS) or a reset
 * link's token. Only an HMAC of the secret (keyed with APP_SECRET and bound to
 * the purpose and recipient) is stored: six digits are too few for a plain hash.
 * Single use (`used_at`), short-lived (`expires_at`), and dead after a few
 * wrong tries (`attempts`).
 */
export const accountCodes = pgTable(
  'account_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    purpose: accountCodePurposeEnum('purpose').notNull(),
    /** A mainland mobile number or a lower-cased email address. */
    recipient: text('recipient').notNull(),
    secretHash: text('secret_hash').notNull(),
    /** The account it is for; null for a registration (no account until the code comes back). */
    accountId: uuid('account_id').references(() => accounts.id, { onDelete: 'cascade' }),
    /** REGISTER: what the account will be made with (name, password hash, language). */
    registration: jsonb('registration').$type<{
      displayName: string;
      passwordHash: string;
      locale: 'zh' | 'en' | null;
    }>(),
    attempts: integer('attempts').notNull().default(0),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('account_codes_recipient_idx').on(t.recipient, t.purpose, t.createdAt),
    // A reset link carries only its token: looked up by the token's HMAC.
    index('account_codes_secret_idx').on(t.secretHash),
  ],
);

/** Failed sign-ins, counted per login and per address to throttle guessing; kept in the database so every API instance sees them. */
export const signInFailures = pgTable(
  'sign_in_failures',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    key: text('key').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('sign_in_failures_key_at_idx').on(t.key, t.at)],
);

/**
 * 政治面貌 (political status) by the national standard GB/T 4762, in its
 * order (codes 01–13): 中共党员, 中共预备党员, 共青团员, the eight democratic
 * parties' members (民革, 民盟, 民建, 民进, 农工党, 致公党, 九三学社, 台盟),
 * 无党派人士, 群众.
 */
export const politicalStatusEnum = pgEnum('political_status', [
  'CPC_MEMBER',
  'CPC_PROBATIONARY_MEMBER',
  'CYL_MEMBER',
  'RCCK_MEMBER',
  'CDL_MEMBER',
  'CNDCA_MEMBER',
  'CAPD_MEMBER',
  'CPWDP_MEMBER',
  'CZGP_MEMBER',
  'JIUSAN_MEMBER',
  'TDSGL_MEMBER',
  'NON_PARTY',
  'MASSES',
]);
/** Where a party organization has someone on the way to membership: 入党积极分子, then 发展对象. Not one of the 13. */
export const partyStageEnum = pgEnum('party_stage', ['ACTIVIST', 'CANDIDATE']);
export const memberRoleEnum = pgEnum('member_role', ['ADMIN', 'LEAD', 'MEMBER']);
/** 性别, as rosters record it; optional. */
export const genderEnum = pgEnum('gender', ['FEMALE', 'MALE']);

export const members = pgTable(
  'members',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    /** Null for a roster entry whose person has not signed up yet. */
    accountId: uuid('account_id').references(() => accounts.id, { onDelete: 'set null' }),
    displayName: text('display_name').notNull(),
    /** Mainland mobile number, 11 digits; the roster's key (an import matches on it), unique in the organization. */
    phone: text('phone'),
    /** Stored lower-cased. Unlike the phone, not unique: families share an address. */
    email: text('email'),
    gender: genderEnum('gender'),
    politicalStatus: politicalStatusEnum('political_status').notNull().default('MASSES'),
    /** Only for someone not yet in the party (a member or probationary member has gone past it). */
    partyStage: partyStageEnum('party_stage'),
    /** 工作单位 / 职能部门 */
    workUnit: text('work_unit'),
    /** Free tags (first aid, law, driving, …): matched against an activity's required skills. */
    skills: text('skills')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    role: memberRoleEnum('role').notNull().default('MEMBER'),
    active: boolean('active').notNull().default(true),
    joinedOn: date('joined_on').notNull().defaultNow(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    unique('members_org_account_unique').on(t.orgId, t.accountId),
    unique('members_org_phone_unique').on(t.orgId, t.phone),
    index('members_account_idx').on(t.accountId),
    // The roster's orders: by name, and by date joined; both end on id for keyset paging.
    index('members_org_name_idx').on(t.orgId, t.displayName, t.id),
    index('members_org_joined_idx').on(t.orgId, t.joinedOn, t.id),
    check('members_display_name_length', sql`char_length(${t.displayName}) between 1 and 60`),
    check('members_phone_format', sql`${t.phone} ~ '^1[3-9][0-9]{9}$'`),
    check('members_email_lower', sql`${t.email} = lower(${t.email})`),
    check(
      'members_party_stage_outside_party',
      sql`${t.partyStage} is null or ${t.politicalStatus} not in ('CPC_MEMBER', 'CPC_PROBATIONARY_MEMBER')`,
    ),
    check('members_work_unit_length', sql`char_length(${t.workUnit}) <= 100`),
    tenantIsolation(),
    // A signed-in person sees their own memberships in every organization,
    // which is how the viewer's list of organizations is read.
    pgPolicy('own_memberships', { for: 'select', to: appRole, using: sql`account_id = app_current_account()` }),
  ],
).enableRLS();

/**
 * The roster search's index (migration 0019 keeps it, by trigger, from
 * members.search_text): every character and pair of characters of a member's
 * search text that is not ASCII. Chinese names are mostly two or three
 * characters and a search is often two ("王芳"): too short for pg_trgm. And
 * under row-level security PostgreSQL may use an index only through leakproof
 * operators, which rules out a GIN index over an expression; equality on a
 * btree is leakproof. A search of one character looks itself up, a longer one
 * its pairs, and the LIKE on the search text then confirms the match.
 */
export const memberSearchGrams = pgTable(
  'member_search_grams',
  {
    orgId: uuid('org_id').notNull(),
    gram: text('gram').notNull(),
    memberId: uuid('member_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.gram, t.memberId] }),
    // No foreign key: the triggers of migration 0019 keep it, deletions included; a key would
    // check each of the ~20 rows per member one by one, which doubled a county import's time.
    index('member_search_grams_member_idx').on(t.orgId, t.memberId),
    tenantIsolation(),
  ],
).enableRLS();

/**
 * Members whose search grams are still to be written (migration 0023): a
 * roster import defers them (31,000 members make ~700,000 grams, most of an
 * import's time), lists its members here in its own transaction, and builds
 * their grams after it commits, a few hundred members per short transaction.
 * Until then the roster search reads these members without the index, so it
 * finds them all the same; whatever a crash leaves here, the next drain does.
 */
export const memberSearchBacklog = pgTable(
  'member_search_backlog',
  {
    orgId: uuid('org_id').notNull(),
    memberId: uuid('member_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.memberId] }), tenantIsolation()],
).enableRLS();

export type Account = typeof accounts.$inferSelect;
export type AccountCode = typeof accountCodes.$inferSelect;
export type AccountCodePurpose = (typeof accountCodePurposeEnum.enumValues)[number];
export type Member = typeof members.$inferSelect;
export type PoliticalStatus = (typeof politicalStatusEnum.enumValues)[number];
export type PartyStage = (typeof partyStageEnum.enumValues)[number];
export type MemberRole = (typeof memberRoleEnum.enumValues)[number];
export type Gender = (typeof genderEnum.enumValues)[number];
