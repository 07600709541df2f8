/**
 * The roster's search, filters and order as they travel in the page's address
 * (?q=&team=&category=&role=&status=&sort=), so a filtered roster can be
 * linked, paged and exported as it is shown.
 */
import type {
  MemberCategory,
  MemberFilter,
  MemberRole,
  MemberSort,
  MemberStatus,
} from '$lib/graphql/__generated__/operations';

export const CATEGORIES: readonly MemberCategory[] = ['PARTY_MEMBER', 'ACTIVIST', 'CITIZEN'];
export const ROLES: readonly MemberRole[] = ['ADMIN', 'LEAD', 'MEMBER'];
export const STATUSES: readonly MemberStatus[] = ['ACTIVE', 'INACTIVE', 'ALL'];
export const SORTS: readonly MemberSort[] = ['NAME', 'NAME_DESC', 'JOINED_NEWEST', 'JOINED_OLDEST'];

export interface RosterView {
  search: string;
  teamId: string;
  category: MemberCategory | '';
  role: MemberRole | '';
  status: MemberStatus;
  sort: MemberSort;
}

function oneOf<Value extends string>(values: readonly Value[], text: string | null): Value | undefined {
  return values.find((value) => value === text);
}

export function rosterViewFrom(params: URLSearchParams): RosterView {
  return {
    search: params.get('q')?.trim() ?? '',
    teamId: params.get('team') ?? '',
    category: oneOf(CATEGORIES, params.get('category')) ?? '',
    role: oneOf(ROLES, params.get('role')) ?? '',
    status: oneOf(STATUSES, params.get('status')) ?? 'ACTIVE',
    sort: oneOf(SORTS, params.get('sort')) ?? 'NAME',
  };
}

/** The API's arguments for a view. */
export function rosterArguments(view: RosterView): { search: string | null; filter: MemberFilter; sort: MemberSort } {
  return {
    search: view.search || null,
    filter: {
      teamId: view.teamId || null,
      category: view.category || null,
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
  if (view.category) params.set('category', view.category);
  if (view.role) params.set('role', view.role);
  if (view.status !== 'ACTIVE') params.set('status', view.status);
  if (view.sort !== 'NAME') params.set('sort', view.sort);
  for (const [name, value] of Object.entries(extra)) params.set(name, value);
  const text = params.toString();
  return text ? `?${text}` : '';
}
