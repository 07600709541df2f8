/** Certificates' SQL: plain functions of a transaction, every one filtered by organization (but the public check). */
import {
  certificates,
  certificateSeals,
  queryRows,
  serviceRecords,
  type Certificate,
  type CertificateActivitySnapshot,
  type CertificateSeal,
  type Db,
} from '@qicai/db';
import { and, asc, between, desc, eq, inArray, isNull, sql } from 'drizzle-orm';

/** The member's approved records in a period (by service date), in date order: what a certificate states. */
export async function findApprovedService(
  db: Db,
  orgId: string,
  memberId: string,
  period: { from: string; to: string },
): Promise<CertificateActivitySnapshot[]> {
  return db
    .select({ name: serviceRecords.activityName, date: serviceRecords.serviceDate, minutes: serviceRecords.minutes })
    .from(serviceRecords)
    .where(
      and(
        eq(serviceRecords.orgId, orgId),
        eq(serviceRecords.memberId, memberId),
        eq(serviceRecords.status, 'APPROVED'),
        between(serviceRecords.serviceDate, period.from, period.to),
      ),
    )
    .orderBy(asc(serviceRecords.serviceDate), asc(serviceRecords.startsAt));
}

export async function insertCertificate(db: Db, values: typeof certificates.$inferInsert): Promise<Certificate> {
  const [row] = await db.insert(certificates).values(values).returning();
  if (!row) throw new Error('no certificate inserted');
  return row;
}

export async function findCertificateByNumber(db: Db, orgId: string, number: string): Promise<Certificate | undefined> {
  const [row] = await db
    .select()
    .from(certificates)
    .where(and(eq(certificates.orgId, orgId), eq(certificates.number, number)));
  return row;
}

export async function findCertificatesOfMember(db: Db, orgId: string, memberId: string): Promise<Certificate[]> {
  return db
    .select()
    .from(certificates)
    .where(and(eq(certificates.orgId, orgId), eq(certificates.memberId, memberId)))
    .orderBy(desc(certificates.issuedAt));
}

export async function findCertificatesByIds(db: Db, orgId: string, ids: string[]): Promise<Certificate[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(certificates)
    .where(and(eq(certificates.orgId, orgId), inArray(certificates.id, ids)));
}

export type VerifiedCertificate = {
  member_name: string;
  minutes: number;
  period_from: string;
  period_to: string;
  organization_name: string;
  sealed: boolean;
};

/**
 * The public check, across organizations: through `verify_certificate`
 * (migration certificates_rls), which returns only what the page shows.
 */
export async function verifyCertificateNumber(db: Db, number: string): Promise<VerifiedCertificate | undefined> {
  const [row] = await queryRows<VerifiedCertificate>(
    db,
    sql`select member_name, minutes, period_from::text as period_from, period_to::text as period_to, organization_name,
          sealed from verify_certificate(${number})`,
  );
  return row;
}

// The association's seal (公章)

export async function findCurrentSeal(db: Db, orgId: string): Promise<CertificateSeal | undefined> {
  const [row] = await db
    .select()
    .from(certificateSeals)
    .where(and(eq(certificateSeals.orgId, orgId), isNull(certificateSeals.removedAt)));
  return row;
}

/** A seal by id, current or not: a certificate prints the one it was issued under. */
export async function findSealById(db: Db, orgId: string, id: string): Promise<CertificateSeal | undefined> {
  const [row] = await db
    .select()
    .from(certificateSeals)
    .where(and(eq(certificateSeals.orgId, orgId), eq(certificateSeals.id, id)));
  return row;
}

export async function insertSeal(db: Db, values: typeof certificateSeals.$inferInsert): Promise<CertificateSeal> {
  const [row] = await db.insert(certificateSeals).values(values).returning();
  if (!row) throw new Error('no seal inserted');
  return row;
}

export async function retireSeal(db: Db, orgId: string, id: string, at: Date): Promise<void> {
  await db
    .update(certificateSeals)
    .set({ removedAt: at })
    .where(and(eq(certificateSeals.orgId, orgId), eq(certificateSeals.id, id), isNull(certificateSeals.removedAt)));
}

export async function updateSealTitle(
  db: Db,
  orgId: string,
  id: string,
  signerTitle: string | null,
): Promise<CertificateSeal> {
  const [row] = await db
    .update(certificateSeals)
    .set({ signerTitle })
    .where(and(eq(certificateSeals.orgId, orgId), eq(certificateSeals.id, id)))
    .returning();
  if (!row) throw new Error('no seal updated');
  return row;
}
