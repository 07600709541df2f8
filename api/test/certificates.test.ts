import { queryRows, withTenant } from '@qicai/db';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityOrganization, errorOf, type ActivityOrganization } from './activities-seed.ts';
import {
  CERTIFICATE_FILE,
  ISSUE_CERTIFICATE,
  renameMember,
  serviceRecord,
  VERIFY_CERTIFICATE,
  type IssuedCertificate,
} from './certificates-seed.ts';
import { errorCode, expectNoErrors, TestApp, withoutRowLevelSecurity } from './helper.ts';
import { APPROVE, dataOf, outsideService, report } from './hours-seed.ts';
import { pdfText } from './pdf-text.ts';
import { testClock } from './clock.ts';

let testApp: TestApp;
let org: ActivityOrganization;
let other: ActivityOrganization;
const year = testClock.now().getUTCFullYear() - 1;
const period = { from: `${year}-01-01`, to: `${year}-12-31` };

async function issue(client: ActivityOrganization['admin'], input = period) {
  const result = await client.gql<{ issueCertificate: IssuedCertificate }>(ISSUE_CERTIFICATE, { input });
  expectNoErrors(result);
  if (!result.data) throw new Error('no certificate');
  return result.data.issueCertificate;
}

beforeAll(async () => {
  testApp = await TestApp.start();
  org = await activityOrganization(testApp, 2);
  other = await activityOrganization(testApp, 1);
  const [member] = org.members;
  if (!member) throw new Error('no member');
  await renameMember(testApp, org.orgId, member.memberId, '欧阳晓燕');
  const red = org.teams['RED'];
  await serviceRecord(testApp, org.orgId, {
    memberId: member.memberId,
    teamId: red,
    date: `${year}-03-05`,
    minutes: 300,
    activityName: '送党课下乡',
  });
  await serviceRecord(testApp, org.orgId, {
    memberId: member.memberId,
    teamId: red,
    date: `${year}-05-12`,
    minutes: 450,
    activityName: '关爱留守儿童',
  });
  // Not approved, or outside the period: not on the certificate.
  await serviceRecord(testApp, org.orgId, {
    memberId: member.memberId,
    teamId: red,
    date: `${year}-06-01`,
    minutes: 120,
    status: 'PENDING',
  });
  await serviceRecord(testApp, org.orgId, {
    memberId: member.memberId,
    teamId: red,
    date: `${year}-06-02`,
    minutes: 90,
    status: 'DECLINED',
  });
  await serviceRecord(testApp, org.orgId, {
    memberId: member.memberId,
    teamId: red,
    date: `${year - 1}-12-31`,
    minutes: 60,
  });
});

afterAll(async () => {
  await testApp.close();
});

describe('issuing a certificate', () => {
  it('states the approved hours of the period and the activities behind them', async () => {
    const member = org.members[0];
    if (!member) throw new Error('no member');
    const certificate = await issue(member.client);
    expect(certificate).toMatchObject({
      periodFrom: period.from,
      periodTo: period.to,
      minutes: 750,
      activityCount: 2,
      member: { id: member.memberId, displayName: '欧阳晓燕' },
    });
    expect(certificate.number).toMatch(/^QC-\d{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    expect(certificate.verificationUrl).toMatch(new RegExp(`/verify/${certificate.number}$`));
  });

  it('is free and can be issued again at any time, each with its own number', async () => {
    const member = org.members[0];
    if (!member) throw new Error('no member');
    const [first, second] = await Promise.all([issue(member.client), issue(member.client)]);
    expect(first.number).not.toBe(second.number);
    const mine = await member.client.gql<{ myCertificates: { number: string }[] }>(`{ myCertificates { number } }`);
    expect(mine.data?.myCertificates.map((certificate) => certificate.number)).toEqual(
      expect.arrayContaining([first.number, second.number]),
    );
  });

  it('is refused for a period without approved hours, a reversed period, or one in the future', async () => {
    const member = org.members[1];
    if (!member) throw new Error('no member');
    const empty = await member.client.gql(ISSUE_CERTIFICATE, { input: period });
    expect(errorOf(empty)).toMatchObject({ code: 'VALIDATION', fields: { period: 'NO_HOURS' } });
    const reversed = await member.client.gql(ISSUE_CERTIFICATE, { input: { from: period.to, to: period.from } });
    expect(errorOf(reversed)).toMatchObject({ code: 'VALIDATION', fields: { to: 'ENDS_BEFORE_START' } });
    const future = await member.client.gql(ISSUE_CERTIFICATE, {
      input: { from: period.from, to: `${year + 3}-01-01` },
    });
    expect(errorOf(future)).toMatchObject({ code: 'VALIDATION', fields: { to: 'IN_FUTURE' } });
  });

  it('needs a member of the organization', async () => {
    const stranger = (await testApp.signUp()).in(org.slug);
    expect(errorCode(await stranger.gql(ISSUE_CERTIFICATE, { input: period }))).toBe('NOT_FOUND');
    expect(errorCode(await testApp.anonymous(org.slug).gql(ISSUE_CERTIFICATE, { input: period }))).toBe(
      'UNAUTHENTICATED',
    );
  });
});

describe('a certificate after the real approval flow', () => {
  it('counts hours the member reported once a lead has approved them, and not before', async () => {
    const member = org.members[1];
    if (!member) throw new Error('no member');
    const record = await report(
      member.client,
      outsideService({ endedMinutesAgo: 24 * 60, minutes: 150, teamId: org.teams['RED'] }),
    );
    const period = { from: record.serviceDate, to: record.serviceDate };
    const pending = await member.client.gql(ISSUE_CERTIFICATE, { input: period });
    expect(errorOf(pending)).toMatchObject({ code: 'VALIDATION', fields: { period: 'NO_HOURS' } });
    dataOf(await org.lead.gql(APPROVE, { ids: [record.id] }));
    const certificate = await issue(member.client, period);
    expect(certificate).toMatchObject({ minutes: 150, activityCount: 1 });
    const verified = await testApp
      .anonymous()
      .gql<{ verifyCertificate: { minutes: number } | null }>(VERIFY_CERTIFICATE, { number: certificate.number });
    expect(verified.data?.verifyCertificate?.minutes).toBe(150);
  });
});

describe('the certificate PDF', () => {
  it("contains the member's Chinese name and the hours as extractable text", async () => {
    const member = org.members[0];
    if (!member) throw new Error('no member');
    const certificate = await issue(member.client);
    const result = await member.client.gql<{
      certificateFile: { fileName: string; contentType: string; base64: string };
    }>(CERTIFICATE_FILE, { number: certificate.number });
    expectNoErrors(result);
    const file = result.data?.certificateFile;
    expect(file).toMatchObject({ fileName: `${certificate.number}.pdf`, contentType: 'application/pdf' });
    const { text } = await pdfText(Buffer.from(file?.base64 ?? '', 'base64'));
    expect(text).toContain('欧阳晓燕');
    expect(text).toContain('累计志愿服务时长 12.5 小时');
    expect(text).toContain('送党课下乡');
    expect(text).toContain(certificate.number);
    expect(text).toContain('七彩之光测试协会');
  });

  it('is for its member and the organization’s admins only', async () => {
    const member = org.members[0];
    const colleague = org.members[1];
    const outsider = other.members[0];
    if (!member || !colleague || !outsider) throw new Error('no member');
    const { number } = await issue(member.client);
    expectNoErrors(await org.admin.gql(CERTIFICATE_FILE, { number }));
    expect(errorCode(await colleague.client.gql(CERTIFICATE_FILE, { number }))).toBe('NOT_FOUND');
    // Another organization's member, naming their own organization or this one.
    expect(errorCode(await outsider.client.gql(CERTIFICATE_FILE, { number }))).toBe('NOT_FOUND');
    expect(errorCode(await outsider.client.in(org.slug).gql(CERTIFICATE_FILE, { number }))).toBe('NOT_FOUND');
    expect(errorCode(await other.admin.gql(CERTIFICATE_FILE, { number }))).toBe('NOT_FOUND');
    expect(errorCode(await testApp.anonymous(org.slug).gql(CERTIFICATE_FILE, { number }))).toBe('UNAUTHENTICATED');
  });
});

describe('public verification', () => {
  it('confirms a certificate by its number, with no sign-in and no organization, showing only name, hours, period and organization', async () => {
    const member = org.members[0];
    if (!member) throw new Error('no member');
    const { number } = await issue(member.client);
    const result = await testApp
      .anonymous()
      .gql<{ verifyCertificate: Record<string, unknown> | null }>(VERIFY_CERTIFICATE, { number });
    expectNoErrors(result);
    expect(result.data?.verifyCertificate).toEqual({
      number,
      memberName: '欧阳晓燕',
      minutes: 750,
      periodFrom: period.from,
      periodTo: period.to,
      organizationName: '七彩之光测试协会',
    });
    // Typed by hand: lower case, spaces, no hyphens.
    const typed = number.toLowerCase().replace(/-/g, ' ');
    const again = await testApp.anonymous().gql<{ verifyCertificate: { number: string } | null }>(VERIFY_CERTIFICATE, {
      number: typed,
    });
    expect(again.data?.verifyCertificate?.number).toBe(number);
    // The query offers nothing more: asking for the member's id is a validation error.
    const prying = await testApp
      .anonymous()
      .gql(`query ($number: String!) { verifyCertificate(number: $number) { memberId } }`, { number });
    expect(errorCode(prying)).toBe('GRAPHQL_VALIDATION');
  });

  it('does not confirm a made-up number, or a malformed one', async () => {
    for (const number of ['QC-2026-7KQ2-M9XD-4TPA', 'QC-2026-0000-0000-0000', 'nonsense', "' or 1=1 --"]) {
      const result = await testApp.anonymous().gql<{ verifyCertificate: unknown }>(VERIFY_CERTIFICATE, { number });
      expectNoErrors(result);
      expect(result.data?.verifyCertificate, number).toBeNull();
    }
  });

  // A test of row-level security itself: not in the run without it.
  it.skipIf(withoutRowLevelSecurity)(
    'leaves certificates invisible to the application outside their organization',
    async () => {
      // Row-level security: a transaction with no organization set sees no certificate row.
      const rows = await withTenant(testApp.database.db, { orgId: null, accountId: null }, (tx) =>
        queryRows<{ count: number }>(tx, sql`select count(*)::int as count from certificates`),
      );
      expect(rows[0]?.count).toBe(0);
      const own = await withTenant(testApp.database.db, { orgId: other.orgId, accountId: null }, (tx) =>
        queryRows<{ count: number }>(tx, sql`select count(*)::int as count from certificates`),
      );
      expect(own[0]?.count).toBe(0);
    },
  );
});
