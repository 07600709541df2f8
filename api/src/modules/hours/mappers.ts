import type { Member } from '@qicai/db';

/** What the resolvers of service hours' GraphQL types receive (codegen mappers). */
export type { MemberHoursView as MemberHoursParent } from './totals.ts';

export interface LeaderboardEntryParent {
  rank: number;
  /** Read with the rollup, in the same statement. */
  member: Member;
  minutes: number;
  starLevel: number;
}

export interface TeamHoursParent {
  teamId: string;
  minutes: number;
}
