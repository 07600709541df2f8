/** What the resolvers of service hours' GraphQL types receive (codegen mappers). */
export type { MemberHoursView as MemberHoursParent } from './service.ts';

export interface LeaderboardEntryParent {
  rank: number;
  memberId: string;
  minutes: number;
}

export interface TeamHoursParent {
  teamId: string;
  minutes: number;
}
