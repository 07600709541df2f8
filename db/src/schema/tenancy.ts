/**
 * Tenancy: the organizations (tenants) and the pieces every tenant table uses.
 *
 * Row-level security is the second wall behind the `org_id` filter every query
 * carries: each request's transaction sets `app.org_id` (see `withTenant` in
 * ../tenant.ts) and the policies below compare rows against it. With nothing
 * set, `app_current_org()` is NULL and no row matches.
 */
import { sql } from 'drizzle-orm';
import { check, jsonb, pgEnum, pgPolicy, pgRole, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** The database role every application query runs as: not a superuser, no BYPASSRLS, owns nothing. */
export const APP_ROLE = 'qicai_app';
export const appRole = pgRole(APP_ROLE).existing();

/** `app_current_org()` and `app_current_account()` are created by migration 0000. */
export const currentOrg = sql`app_current_org()`;
export const currentAccount = sql`app_current_account()`;

/** The policy every tenant table carries: rows of the organization set for this transaction, read and write. */
export const tenantIsolation = () =>
  pgPolicy('tenant_isolation', {
    for: 'all',
    to: appRole,
    using: sql`org_id = app_current_org()`,
    withCheck: sql`org_id = app_current_org()`,
  });

export const localeEnum = pgEnum('locale', ['zh', 'en']);

export interface OrganizationSettings {
  /** Check-in is accepted within this distance of an activity's site, in metres. */
  checkInRadiusMetres?: number;
  /** Check-in opens this many minutes before an activity starts (and closes at its end). */
  checkInOpensMinutesBefore?: number;
  /** Travel time is not service time (志愿服务记录办法); on by default. */
  excludeTravelTime?: boolean;
  /** Star levels (星级) by accumulated approved hours, ascending; default 100 / 300 / 600 / 1000 / 1500. */
  starThresholdsHours?: number[];
  /**
   * The association's own days off (`YYYY-MM-DD`) for the 10-working-day rule, on top of the State
   * Council's holidays and make-up working days (hours/rules.ts).
   */
  holidays?: string[];
  /** The association's own working days (`YYYY-MM-DD`) on days that would otherwise be off. */
  workingDays?: string[];
  /**
   * No SMS at night: an SMS due between `start` and `end` (local `HH:MM` in the organization's time
   * zone; `start` after `end` spans midnight) waits until `end`. Absent: SMS at any hour.
   */
  quietHours?: { start: string; end: string };
}

export const organizations = pgTable(
  'organizations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug').notNull().unique(),
    name: text('name').notNull(),
    timeZone: text('time_zone').notNull().default('Asia/Shanghai'),
    defaultLocale: localeEnum('default_locale').notNull().default('zh'),
    settings: jsonb('settings').$type<OrganizationSettings>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('organizations_slug_format', sql`${t.slug} ~ '^[a-z0-9][a-z0-9-]{1,46}[a-z0-9]$'`),
    check('organizations_name_length', sql`char_length(${t.name}) between 2 and 120`),
    // An organization's public page (name, slug, teams) is public, so every
    // organization row is readable; only the organization set for the
    // transaction can be changed.
    pgPolicy('organizations_read', { for: 'select', to: appRole, using: sql`true` }),
    pgPolicy('organizations_create', { for: 'insert', to: appRole, withCheck: sql`id = app_current_org()` }),
    pgPolicy('organizations_update', {
      for: 'update',
      to: appRole,
      using: sql`id = app_current_org()`,
      withCheck: sql`id = app_current_org()`,
    }),
  ],
).enableRLS();

export type Organization = typeof organizations.$inferSelect;
