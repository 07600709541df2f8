/**
 * The roster's search, filters and order as they travel in the page's address
 * (?q=&team=&political=&stage=&role=&status=&sort=&size=), so a filtered roster can be
 * linked, reloaded, paged and exported as it is shown.
 */
import type {
  MemberFilter,
  MemberRole,
  MemberSort,
  MemberStatus,
  PartyStage,
  PoliticalStatus,
} from '$lib/graphql/__generated__/operations';
import { t } from '$lib/i18n';

/** 政治面貌 by GB/T 4762, in the standard's order. */
export const POLITICAL_STATUSES: readonly PoliticalStatus[] = [
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
];
export const PARTY_STAGES: readonly PartyStage[] = ['ACTIVIST', 'CANDIDATE'];

export function isPoliticalStatus(text: string | undefined | null): text is PoliticalStatus {
  return POLITICAL_STATUSES.some((status) => status === text);
}

export function isPartyStage(text: string | undefined | null): text is PartyStage {
  return PARTY_STAGES.some((stage) => stage === text);
}

/** "共青团员 · 入党积极分子": the status and, beside it, the stage if any. */
export function politicalLabel(member: {
  politicalStatus?: PoliticalStatus | null;
  partyStage?: PartyStage | null;
}): string | null {
  if (!member.politicalStatus) return null;
  const status = t(`politicalStatus.${member.politicalStatus}`);
  return member.partyStage ? `${status} · ${t(`partyStage.${member.partyStage}`)}` : status;
}
export const ROLES: readonly MemberRole[] = ['ADMIN', 'LEAD', 'MEMBER'];
export const STATUSES: readonly MemberStatus[] = ['ACTIVE', 'INACTIVE', 'ALL'];
export const SORTS: readonly MemberSort[] = [
  'NAME',
  'NAME_DESC',
  'JOINED_NEWEST',
  'JOINED_OLDEST',
  'WORK_UNIT',
  'WORK_UNIT_DESC',
  'HOURS_THIS_YEAR_DESC',
  'HOURS_THIS_YEAR',
];
/** Orders by others' figures, which only admins see (the API refuses them to anyone else). */
export const ADMIN_SORTS: readonly MemberSort[] = ['HOURS_THIS_YEAR_DESC', 'HOURS_THIS_YEAR'];
/** Rows a page of the roster table may have (the API's page is at most 100). */
export const PAGE_SIZES = [50, 100] as const;
export type PageSize = (typeof PAGE_SIZES)[number];

/** The table's sortable columns: the order a header's first click gives, and its reverse. */
export const SORTABLE_COLUMNS = {
  name: ['NAME', 'NAME_DESC'],
  workUnit: ['WORK_UNIT', 'WORK_UNIT_DESC'],
  joined: ['JOINED_OLDEST', 'JOINED_NEWEST'],
  // Most hours first: who served most is what an office looks for.
  hours: ['HOURS_THIS_YEAR_DESC', 'HOURS_THIS_YEAR'],
} as const satisfies Record<string, readonly [MemberSort, MemberSort]>;

/** The orders that read a column backwards (Z to A, newest or most first): what aria-sort calls descending. */
const DESCENDING_SORTS: readonly MemberSort[] = [
  'NAME_DESC',
  'JOINED_NEWEST',
  'WORK_UNIT_DESC',
  'HOURS_THIS_YEAR_DESC',
];

/** Where a column header's link goes (its first order, or the other if already so) and the aria-sort it shows. */
export function columnSort(
  column: keyof typeof SORTABLE_COLUMNS,
  current: MemberSort,
): { next: MemberSort; ariaSort: 'ascending' | 'descending' | 'none' } {
  const [first, second] = SORTABLE_COLUMNS[column];
  if (current !== first && current !== second) return { next: first, ariaSort: 'none' };
  return {
    next: current === first ? second : first,
    ariaSort: DESCENDING_SORTS.includes(current) ? 'descending' : 'ascending',
  };
}

export interface RosterView {
  search: string;
  teamId: string;
  politicalStatus: PoliticalStatus | '';
  partyStage: PartyStage | '';
  role: MemberRole | '';
  status: MemberStatus;
  sort: MemberSort;
  size: PageSize;
}

function oneOf<Value extends string>(values: readonly Value[], text: string | null): Value | undefined {
  return values.find((value) => value === text);
}

export function rosterViewFrom(params: URLSearchParams): RosterView {
  return {
    search: params.get('q')?.trim() ?? '',
    teamId: params.get('team') ?? '',
    politicalStatus: oneOf(POLITICAL_STATUSES, params.get('political')) ?? '',
    partyStage: oneOf(PARTY_STAGES, params.get('stage')) ?? '',
    role: oneOf(ROLES, params.get('role')) ?? '',
    status: oneOf(STATUSES, params.get('status')) ?? 'ACTIVE',
    sort: oneOf(SORTS, params.get('sort')) ?? 'NAME',
    size: PAGE_SIZES.find((size) => String(size) === params.get('size')) ?? 50,
  };
}

/** The API's arguments for a view. */
export function rosterArguments(view: RosterView): { search: string | null; filter: MemberFilter; sort: MemberSort } {
  return {
    search: view.search || null,
    filter: {
      teamId: view.teamId || null,
      politicalStatus: view.politicalStatus || null,
      partyStage: view.partyStage || null,
      role: view.role || null,
      status: view.status,
    },
    sort: view.sort,
  };
}

/** The view as query parameters, leaving out defaults. */
export function rosterParams(view: RosterView, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  if (view.search) params.set('q', view.search);
  if (view.teamId) params.set('team', view.teamId);
  if (view.politicalStatus) params.set('political', view.politicalStatus);
  if (view.partyStage) params.set('stage', view.partyStage);
  if (view.role) params.set('role', view.role);
  if (view.status !== 'ACTIVE') params.set('status', view.status);
  if (view.sort !== 'NAME') params.set('sort', view.sort);
  if (view.size !== 50) params.set('size', String(view.size));
  for (const [name, value] of Object.entries(extra)) params.set(name, value);
  const text = params.toString();
  return text ? `?${text}` : '';
}
