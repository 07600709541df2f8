/**
 * Seed builders for certificates and reports: service records as the hours
 * module leaves them once a lead has decided (approved, declined) or not yet —
 * an approved one counted in the rollups, as an approval counts it.
 */
import { members, serviceRecords, withTenant, type ServiceRecordStatus } from '@qicai/db';
import { and, eq } from 'drizzle-orm';
import { adjustRollups } from '../src/modules/hours/repository.ts';
import type { TestApp } from './helper.ts';
import { testClock } from './clock.ts';

export interface RecordFields {
  memberId: string;
  teamId?: string | null;
  /** `YYYY-MM-DD`. */
  date: string;
  minutes: number;
  activityName?: string;
  status?: ServiceRecordStatus;
}

let nextHour = 0;

/** A service record of `minutes` on `date` (at a distinct hour, so a member's records never overlap). */
export async function serviceRecord(testApp: TestApp, orgId: string, fields: RecordFields): Promise<string> {
  const status = fields.status ?? 'APPROVED';
  const startsAt = new Date(`${fields.date}T00:00:00+08:00`);
  startsAt.setUTCMinutes((nextHour++ % 20) * 60);
  const endsAt = new Date(startsAt.getTime() + Math.max(fields.minutes, 60) * 60_000);
  const [row] = await withTenant(testApp.database.db, { orgId, accountId: null }, async (tx) => {
    if (status === 'APPROVED') {
      const [year, month] = fields.date.split('-').map(Number);
      await adjustRollups(tx, orgId, [
        {
          memberId: fields.memberId,
          teamId: fields.teamId ?? null,
          year: year ?? 0,
          month: month ?? 0,
          minutes: fields.minutes,
          records: 1,
        },
      ]);
    }
    return tx
      .insert(serviceRecords)
      .values({
        orgId,
        memberId: fields.memberId,
        teamId: fields.teamId ?? null,
        activityName: fields.activityName ?? '河道清理',
        serviceDate: fields.date,
        place: '新墙河大桥',
        content: '清理河岸垃圾',
        minutes: fields.minutes,
        organizingUnit: '岳阳县七彩之光志愿者协会',
        activityLead: '李队长',
        source: 'SELF_REPORTED',
        status,
        startsAt,
        endsAt,
        decidedAt: status === 'PENDING' ? null : testClock.now(),
        declineReason: status === 'DECLINED' ? '不符合' : null,
      })
      .returning({ id: serviceRecords.id });
  });
  if (!row) throw new Error('no service record inserted');
  return row.id;
}

export const ISSUE_CERTIFICATE = `mutation ($input: IssueCertificateInput!) {
  issueCertificate(input: $input) { id number periodFrom periodTo minutes activityCount verificationUrl member { id displayName } } }`;
export const CERTIFICATE_FILE = `query ($number: String!) { certificateFile(number: $number) { fileName contentType base64 } }`;
export const VERIFY_CERTIFICATE = `query ($number: String!) {
  verifyCertificate(number: $number) { number memberName minutes periodFrom periodTo organizationName } }`;
export const HOURS_REPORT = `query ($input: HoursReportInput!) {
  hoursReport(input: $input) { from to groupBy totalMinutes totalRecords
    rows { key label minutes records member { id displayName } team { id colour } } } }`;
export const HOURS_REPORT_FILE = `query ($input: HoursReportInput!, $format: ReportFileFormat!, $locale: Locale) {
  hoursReportFile(input: $input, format: $format, locale: $locale) { fileName contentType base64 } }`;

export interface IssuedCertificate {
  id: string;
  number: string;
  periodFrom: string;
  periodTo: string;
  minutes: number;
  activityCount: number;
  verificationUrl: string;
  member: { id: string; displayName: string };
}

export interface HoursReportData {
  from: string;
  to: string;
  groupBy: string;
  totalMinutes: number;
  totalRecords: number;
  rows: {
    key: string;
    label: string;
    minutes: number;
    records: number;
    member: { id: string; displayName: string } | null;
    team: { id: string; colour: string } | null;
  }[];
}

/** Gives a member the name their certificate will carry. */
export async function renameMember(testApp: TestApp, orgId: string, memberId: string, displayName: string) {
  await withTenant(testApp.database.db, { orgId, accountId: null }, (tx) =>
    tx
      .update(members)
      .set({ displayName })
      .where(and(eq(members.orgId, orgId), eq(members.id, memberId))),
  );
}
