/**
 * The sections of an organization's members' area, in the order of its
 * navigation bar. A new section adds one entry.
 */
import type { MessageKey } from '$lib/i18n';
import type { MemberRole } from '$lib/graphql/__generated__/operations';

export interface SectionLink {
  label: MessageKey;
  /** The section's path below /o/<slug>. */
  path: string;
  /** Who sees the link; everyone if absent. */
  roles?: readonly MemberRole[];
}

export const ORGANIZATION_SECTIONS: readonly SectionLink[] = [
  { label: 'nav.organizationHome', path: '/home' },
  { label: 'nav.activities', path: '/activities' },
  { label: 'nav.hours', path: '/hours' },
  { label: 'nav.approvals', path: '/approvals', roles: ['ADMIN', 'LEAD'] },
  { label: 'nav.notifications', path: '/notifications' },
  { label: 'nav.members', path: '/members' },
  { label: 'nav.requests', path: '/requests', roles: ['ADMIN', 'LEAD'] },
  { label: 'nav.stations', path: '/stations' },
  { label: 'nav.spotChecks', path: '/spot-checks' },
  { label: 'nav.sponsorship', path: '/sponsorship', roles: ['ADMIN'] },
  { label: 'nav.reports', path: '/reports', roles: ['ADMIN', 'LEAD'] },
  { label: 'nav.board', path: '/display-tokens', roles: ['ADMIN'] },
  { label: 'nav.audit', path: '/audit', roles: ['ADMIN'] },
  { label: 'nav.profile', path: '/profile' },
];
