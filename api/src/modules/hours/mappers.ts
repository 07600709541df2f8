import type { Member } from '@qicai/db';
import type { StarLevel } from './rules.ts';

/** What the resolvers of service hours' GraphQL types receive (codegen mappers). */
export interface MemberHoursParent {
  memberId: string;
  thisYearMinutes: number;
  allTimeMinutes: number;
  star: StarLevel;
}

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
