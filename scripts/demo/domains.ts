/**
 * Each domain adds its demo data here, in the demo's one transaction, after
 * the organization, its teams and members exist.
 */
import type { TeamColour, Tx } from '@qicai/db';
import { seedActivities } from './activities.ts';
import { seedHours } from './hours.ts';
import { seedMembers } from './members.ts';
import { seedRequests } from './requests.ts';
import { seedSponsorship } from './sponsorship.ts';
import { seedStations } from './stations.ts';

export interface DemoOrganization {
  orgId: string;
  teamIds: Record<TeamColour, string>;
  /** All sixty members, the three who sign in first. */
  memberIds: string[];
  admin: { memberId: string; accountId: string };
  /** Leads the red team. */
  lead: { memberId: string; accountId: string };
  /** In the red and green teams. */
  member: { memberId: string; accountId: string };
  /** The sponsor who signs in (刘爱华): an account, not a member. */
  sponsor: { accountId: string; phone: string };
  /** What "now" is for the demo's dates (the clock of whoever loads it). */
  now: Date;
  /** The demo's seeded random numbers in [0, 1): use these, not Math.random, so the demo is the same everywhere. */
  random: () => number;
}

export type DomainSeed = (tx: Tx, demo: DemoOrganization) => Promise<void>;

export const DOMAIN_SEEDS: DomainSeed[] = [
  seedMembers,
  seedActivities,
  seedHours,
  seedSponsorship,
  seedRequests,
  seedStations,
];
