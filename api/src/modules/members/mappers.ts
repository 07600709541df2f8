/** The objects behind the members module's GraphQL types that are not plain rows (see scripts/codegen.ts). */
import type { Account, Invitation, JoinRequest, Member, RosterImportRow } from '@qicai/db';

/** A page of members; `count` answers totalCount when it is asked for (the roster), absent elsewhere (a team's page). */
export interface MemberConnectionParent {
  nodes: Member[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  count?: () => Promise<number>;
}

/** An invitation as it was just made: the only time its token (in the link) exists outside the invitee's hands. */
export interface CreatedInvitationParent {
  invitation: Invitation;
  link: string;
}

/** What the holder of an invitation link sees before accepting. */
export interface InvitationPreviewParent {
  invitation: Invitation;
}

export interface JoinRequestParent extends JoinRequest {
  account: Account;
}

export interface RosterFileParent {
  fileName: string;
  contentType: string;
  base64: string;
  rowCount: number;
}

/** A row of an import, with its import's header (to name the column of each problem). */
export interface RosterImportRowParent extends RosterImportRow {
  headerCells: string[];
}
