/**
 * What the sponsorship module's GraphQL types resolve from, where that is not
 * a row as the database gives it (see the mappers in scripts/codegen.ts).
 */
import type { Child, ChildCircumstance, Gender, Sponsor, SponsorshipUpdate, SupportRecord, Visit } from '@qicai/db';

/** A child whose personal fields are held: every child but a deleted one (the database's checks say so). */
export type PersonalChild = Child & {
  familyName: string;
  givenName: string;
  gender: Gender;
  dateOfBirth: string;
  township: string;
  village: string;
  circumstances: ChildCircumstance[];
  needs: string;
  guardianName: string;
  guardianRelation: string;
  guardianPhone: string;
};

export function hasPersonalFields(child: Child): child is PersonalChild {
  return (
    child.deletedAt === null &&
    child.familyName !== null &&
    child.givenName !== null &&
    child.gender !== null &&
    child.dateOfBirth !== null &&
    child.township !== null &&
    child.village !== null &&
    child.circumstances !== null &&
    child.needs !== null &&
    child.guardianName !== null &&
    child.guardianRelation !== null &&
    child.guardianPhone !== null
  );
}

/** A visit with its child: reading its notes is a read of the child's personal fields, audited against the child. */
export type VisitRecord = Visit & { childId: string };

export type TimelineItem =
  | { kind: 'SUPPORT'; on: string; support: SupportRecord }
  | { kind: 'VISIT'; on: string; visit: VisitRecord }
  | { kind: 'UPDATE'; on: string; update: SponsorshipUpdate };

export interface SponsorViewParent {
  sponsor: Sponsor;
}

/** The minimal view of a sponsored child: nothing else of the child is loaded for a sponsor. */
export interface SponsoredChildRecord {
  sponsorshipId: string;
  childId: string;
  givenName: string;
  dateOfBirth: string;
  grade: number | null;
  needs: string;
  confirmedAt: Date;
}
