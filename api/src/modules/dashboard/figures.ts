/**
 * The board's figures that belong to other domains, one function per domain,
 * each a fixed number of statements over that domain's rollups or indexes.
 * A domain that is not part of this build answers null, and the screen shows
 * a dash rather than a made-up zero.
 */
import type { TeamColour, Tx } from '@qicai/db';

export interface Period {
  from: Date;
  to: Date;
}

export interface HoursFigures {
  thisMonthMinutes: number;
  thisYearMinutes: number;
  /** This year's minutes per team id. */
  teamYearMinutes: Map<string, number>;
  /** Minutes per month, keyed YYYY-MM in the organization's time zone. */
  monthMinutes: Map<string, number>;
  /** The latest approvals, newest first. */
  latestApprovals: ApprovalFeedRow[];
}

export interface ApprovalFeedRow {
  displayName: string;
  colour: TeamColour | null;
  title: string;
  at: Date;
  minutes: number;
}

export interface HoursQuery {
  orgId: string;
  month: Period;
  year: Period;
  /** The first day of each of the last twelve months (YYYY-MM-01), oldest first. */
  trendMonths: string[];
  feedLimit: number;
}

/** Approved service hours (服务时长) from the hours domain's rollups; null: no service records in this build. */
export function hoursFigures(_tx: Tx, _query: HoursQuery): Promise<HoursFigures | null> {
  return Promise.resolve(null);
}

export interface RequestFigures {
  open: number;
  solved: number;
}

/** Requests from the public (群众需求) by state; null: no requests in this build. */
export function requestFigures(_tx: Tx, _orgId: string): Promise<RequestFigures | null> {
  return Promise.resolve(null);
}
