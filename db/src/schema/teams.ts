/**
 * Teams: every organization has exactly the seven colours (七彩), each with its
 * own name, mission and leads; a member may be in several teams.
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { members } from './people.ts';
import { organizations, tenantIsolation } from './tenancy.ts';

/** In the article's order: 红 绿 白 橙 紫 金 蓝. */
export const teamColourEnum = pgEnum('team_colour', ['RED', 'GREEN', 'WHITE', 'ORANGE', 'PURPLE', 'GOLD', 'BLUE']);
export const TEAM_COLOURS = teamColourEnum.enumValues;

export const teams = pgTable(
  'teams',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    colour: teamColourEnum('colour').notNull(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull(),
    missionZh: text('mission_zh').notNull(),
    missionEn: text('mission_en').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    // With the enum of seven and no DELETE granted to the application, this keeps every organization at exactly one team per colour.
    unique('teams_org_colour_unique').on(t.orgId, t.colour),
    check(
      'teams_name_length',
      sql`char_length(${t.nameZh}) between 1 and 40 and char_length(${t.nameEn}) between 1 and 60`,
    ),
    check('teams_mission_length', sql`char_length(${t.missionZh}) <= 500 and char_length(${t.missionEn}) <= 1000`),
    tenantIsolation(),
  ],
).enableRLS();

export const teamMemberships = pgTable(
  'team_memberships',
  {
    orgId: uuid('org_id').notNull(),
    teamId: uuid('team_id').notNull(),
    memberId: uuid('member_id').notNull(),
    /** 队长: leads schedule the team's activities and approve its hours. */
    isLead: boolean('is_lead').notNull().default(false),
    joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.teamId, t.memberId] }),
    foreignKey({ columns: [t.orgId, t.teamId], foreignColumns: [teams.orgId, teams.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.orgId, t.memberId], foreignColumns: [members.orgId, members.id] }).onDelete('cascade'),
    index('team_memberships_member_idx').on(t.orgId, t.memberId),
    // A team's leads among its thousands of members (every list of teams shows them).
    index('team_memberships_leads_idx')
      .on(t.orgId, t.teamId, t.memberId)
      .where(sql`${t.isLead}`),
    tenantIsolation(),
  ],
).enableRLS();

export type Team = typeof teams.$inferSelect;
export type TeamColour = (typeof TEAM_COLOURS)[number];
export type TeamMembership = typeof teamMemberships.$inferSelect;
