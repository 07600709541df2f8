import * as XLSX from '@e965/xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSpreadsheet } from '../src/modules/members/roster-file.ts';
import { activityOrganization, errorOf, type ActivityOrganization } from './activities-seed.ts';
import { HOURS_REPORT, HOURS_REPORT_FILE, serviceRecord, type HoursReportData } from './certificates-seed.ts';
import { errorCode, expectNoErrors, TestApp } from './helper.ts';
import { UPDATE_MEMBER } from './members-seed.ts';
import { testClock } from './clock.ts';

let testApp: TestApp;
let org: ActivityOrganization;
const year = testClock.now().getUTCFullYear() - 1;
const period = { from: `${year}-02-01`, to: `${year}-09-30` };

interface Seeded {
  memberId: string;
  teamId: string | null;
  date: string;
  minutes: number;
  status: 'APPROVED' | 'PENDING' | 'DECLINED';
}
const seeded: Seeded[] = [];

/** A small deterministic generator: the same records every run. */
function generator(seed: number) {
  let state = seed;
  return (below: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    // The high bits: a power-of-two LCG's low bits repeat with a short period.
    return Math.floor((state / 2 ** 31) * below);
  };
}

async function report(client: ActivityOrganization['admin'], groupBy: string, input = period) {
  const result = await client.gql<{ hoursReport: HoursReportData }>(HOURS_REPORT, { input: { ...input, groupBy } });
  expectNoErrors(result);
  if (!result.data) throw new Error('no report');
  return result.data.hoursReport;
}

function approvedInPeriod(filter: (record: Seeded) => boolean = () => true): Seeded[] {
  return seeded.filter(
    (record) =>
      record.status === 'APPROVED' && record.date >= period.from && record.date <= period.to && filter(record),
  );
}

function sumBy(records: Seeded[], key: (record: Seeded) => string): Map<string, { minutes: number; records: number }> {
  const sums = new Map<string, { minutes: number; records: number }>();
  for (const record of records) {
    const sum = sums.get(key(record)) ?? { minutes: 0, records: 0 };
    sum.minutes += record.minutes;
    sum.records += 1;
    sums.set(key(record), sum);
  }
  return sums;
}

beforeAll(async () => {
  testApp = await TestApp.start();
  org = await activityOrganization(testApp, 4);
  const random = generator(7);
  const teamIds = [org.teams['RED'], org.teams['GREEN'], org.teams['WHITE'], null];
  const statuses = ['APPROVED', 'APPROVED', 'PENDING', 'DECLINED'] as const;
  for (let index = 0; index < 60; index++) {
    const member = org.members[random(org.members.length)];
    if (!member) throw new Error('no member');
    const record: Seeded = {
      memberId: member.memberId,
      teamId: teamIds[random(teamIds.length)] ?? null,
      // January to October: some before and after the period.
      date: `${year}-${String(1 + random(10)).padStart(2, '0')}-${String(1 + random(28)).padStart(2, '0')}`,
      minutes: 15 * (1 + random(24)),
      status: statuses[random(statuses.length)] ?? 'APPROVED',
    };
    seeded.push(record);
    await serviceRecord(testApp, org.orgId, record);
  }
  // Around the turns of the year, outside the period: for periods across years and months' edges.
  for (let index = 0; index < 24; index++) {
    const member = org.members[random(org.members.length)];
    if (!member) throw new Error('no member');
    const record: Seeded = {
      memberId: member.memberId,
      teamId: teamIds[random(teamIds.length)] ?? null,
      date: `${year - (index % 2)}-${String(11 + random(2)).padStart(2, '0')}-${String(1 + random(30)).padStart(2, '0')}`,
      minutes: 15 * (1 + random(24)),
      status: statuses[random(statuses.length)] ?? 'APPROVED',
    };
    seeded.push(record);
    await serviceRecord(testApp, org.orgId, record);
  }
});

afterAll(async () => {
  await testApp.close();
});

describe('hours reports', () => {
  it('total, by member, team and month, exactly the approved records of the period (admin: every team)', async () => {
    const approved = approvedInPeriod();
    expect(approved.length).toBeGreaterThan(10);
    // The mix covers every grouping: several members, teams (and none), months.
    expect(new Set(approved.map((record) => record.teamId)).size).toBe(4);
    const total = approved.reduce((sum, record) => sum + record.minutes, 0);

    const byMember = await report(org.admin, 'MEMBER');
    expect(byMember.totalMinutes).toBe(total);
    expect(byMember.totalRecords).toBe(approved.length);
    const memberSums = sumBy(approved, (record) => record.memberId);
    expect(
      new Map(byMember.rows.map((row) => [row.member?.id, { minutes: row.minutes, records: row.records }])),
    ).toEqual(memberSums);
    // Most hours first.
    expect(byMember.rows.map((row) => row.minutes)).toEqual(
      [...byMember.rows.map((row) => row.minutes)].sort((a, b) => b - a),
    );

    const byTeam = await report(org.admin, 'TEAM');
    expect(byTeam.totalMinutes).toBe(total);
    const teamSums = sumBy(approved, (record) => record.teamId ?? 'none');
    expect(
      new Map(byTeam.rows.map((row) => [row.team?.id ?? 'none', { minutes: row.minutes, records: row.records }])),
    ).toEqual(teamSums);
    expect(byTeam.rows.find((row) => row.team?.id === org.teams['RED'])?.team?.colour).toBe('RED');

    const byMonth = await report(org.admin, 'MONTH');
    expect(byMonth.totalMinutes).toBe(total);
    const monthSums = sumBy(approved, (record) => record.date.slice(0, 7));
    expect(byMonth.rows.map((row) => row.label)).toEqual([...monthSums.keys()].sort());
    for (const row of byMonth.rows)
      expect({ minutes: row.minutes, records: row.records }).toEqual(monthSums.get(row.label));
  });

  it('sums every period as its records do: whole years and months from the rollups, the edges from the records', async () => {
    const periods = [
      { from: `${year}-01-01`, to: `${year}-12-31` },
      { from: `${year}-01-01`, to: `${year}-10-15` },
      { from: `${year}-03-10`, to: `${year}-07-20` },
      { from: `${year}-05-02`, to: `${year}-05-29` },
      { from: `${year - 1}-12-15`, to: `${year}-02-10` },
      { from: `${year - 1}-11-01`, to: `${year}-11-30` },
      { from: `${year}-06-06`, to: `${year}-06-06` },
    ];
    for (const input of periods) {
      const inPeriod = seeded.filter(
        (record) => record.status === 'APPROVED' && record.date >= input.from && record.date <= input.to,
      );
      const byMember = await report(org.admin, 'MEMBER', input);
      const label = `${input.from} … ${input.to}`;
      expect(byMember.totalMinutes, label).toBe(inPeriod.reduce((sum, record) => sum + record.minutes, 0));
      expect(byMember.totalRecords, label).toBe(inPeriod.length);
      expect(
        new Map(byMember.rows.map((row) => [row.member?.id, { minutes: row.minutes, records: row.records }])),
        label,
      ).toEqual(sumBy(inPeriod, (record) => record.memberId));
      const byTeam = await report(org.admin, 'TEAM', input);
      expect(
        new Map(byTeam.rows.map((row) => [row.team?.id ?? 'none', { minutes: row.minutes, records: row.records }])),
        label,
      ).toEqual(sumBy(inPeriod, (record) => record.teamId ?? 'none'));
      const byMonth = await report(org.admin, 'MONTH', input);
      const monthSums = sumBy(inPeriod, (record) => record.date.slice(0, 7));
      expect(
        byMonth.rows.map((row) => row.label),
        label,
      ).toEqual([...monthSums.keys()].sort());
      for (const row of byMonth.rows)
        expect({ minutes: row.minutes, records: row.records }, label).toEqual(monthSums.get(row.label));
      // A lead's: their team's records only, every grouping.
      const red = org.teams['RED'];
      const ofRed = inPeriod.filter((record) => record.teamId === red);
      const leadMonths = await report(org.lead, 'MONTH', input);
      expect(leadMonths.totalMinutes, label).toBe(ofRed.reduce((sum, record) => sum + record.minutes, 0));
      const leadMembers = await report(org.lead, 'MEMBER', input);
      expect(new Map(leadMembers.rows.map((row) => [row.member?.id, row.minutes])), label).toEqual(
        new Map([...sumBy(ofRed, (record) => record.memberId)].map(([id, sum]) => [id, sum.minutes])),
      );
    }
  });

  it('pages a long report: the rows asked for, the count and totals of all of them', async () => {
    const all = await report(org.admin, 'MEMBER');
    expect(all.rows.length).toBeGreaterThan(2);
    const result = await org.admin.gql<{ hoursReport: HoursReportData & { rowCount: number } }>(
      `query ($input: HoursReportInput!) { hoursReport(input: $input) { rowCount totalMinutes totalRecords
        rows { key minutes records } } }`,
      { input: { ...period, groupBy: 'MEMBER', first: 2, offset: 1 } },
    );
    expectNoErrors(result);
    const page = result.data?.hoursReport;
    expect(page?.rows.map((row) => row.key)).toEqual(all.rows.slice(1, 3).map((row) => row.key));
    expect(page?.rowCount).toBe(all.rows.length);
    expect(page?.totalMinutes).toBe(all.totalMinutes);
    expect(page?.totalRecords).toBe(all.totalRecords);
    // Past the end: no rows, the same totals.
    const beyond = await org.admin.gql<{ hoursReport: { rowCount: number; totalMinutes: number; rows: unknown[] } }>(
      `query ($input: HoursReportInput!) { hoursReport(input: $input) { rowCount totalMinutes rows { key } } }`,
      { input: { ...period, groupBy: 'MEMBER', first: 10, offset: 1_000 } },
    );
    expect(beyond.data?.hoursReport).toEqual({ rowCount: all.rows.length, totalMinutes: all.totalMinutes, rows: [] });
    const refused = await org.admin.gql(HOURS_REPORT, { input: { ...period, groupBy: 'MEMBER', first: 0 } });
    expect(errorOf(refused)).toMatchObject({ code: 'VALIDATION', fields: { first: 'OUT_OF_RANGE' } });
  });

  it('sums by 政治面貌: party members, League members and the masses, in file and on screen', async () => {
    // The members' statuses as the admin sets them; everyone else (the lead) stays 群众.
    const statuses = ['CPC_MEMBER', 'CYL_MEMBER', 'CPC_MEMBER', 'CPC_PROBATIONARY_MEMBER'] as const;
    const statusOf = new Map<string, string>();
    for (const [index, member] of org.members.entries()) {
      const status = statuses[index % statuses.length] ?? 'MASSES';
      statusOf.set(member.memberId, status);
      expectNoErrors(
        await org.admin.gql(UPDATE_MEMBER, { input: { memberId: member.memberId, politicalStatus: status } }),
      );
    }
    const approved = approvedInPeriod();
    const expected = sumBy(approved, (record) => statusOf.get(record.memberId) ?? 'MASSES');
    const result = await org.admin.gql<{
      hoursReport: {
        totalMinutes: number;
        rows: { key: string; politicalStatus: string; minutes: number; records: number }[];
      };
    }>(
      `query ($input: HoursReportInput!) { hoursReport(input: $input) { totalMinutes
        rows { key politicalStatus minutes records } } }`,
      { input: { ...period, groupBy: 'POLITICAL_STATUS' } },
    );
    expectNoErrors(result);
    const rows = result.data?.hoursReport.rows ?? [];
    expect(new Map(rows.map((row) => [row.politicalStatus, { minutes: row.minutes, records: row.records }]))).toEqual(
      expected,
    );
    expect(rows.map((row) => row.key)).toEqual(rows.map((row) => `political:${row.politicalStatus}`));
    expect(result.data?.hoursReport.totalMinutes).toBe(approved.reduce((sum, record) => sum + record.minutes, 0));

    const file = await org.admin.gql<{ hoursReportFile: { base64: string } }>(HOURS_REPORT_FILE, {
      input: { ...period, groupBy: 'POLITICAL_STATUS' },
      format: 'CSV',
      locale: 'zh',
    });
    expectNoErrors(file);
    const sheet = readSpreadsheet(Buffer.from(file.data?.hoursReportFile.base64 ?? '', 'base64'));
    expect(sheet.rows[0]?.cells[0]).toBe('政治面貌');
    const labels = sheet.rows.slice(1, 1 + rows.length).map((row) => row.cells[0]);
    const zh: Record<string, string> = {
      CPC_MEMBER: '中共党员',
      CPC_PROBATIONARY_MEMBER: '中共预备党员',
      CYL_MEMBER: '共青团员',
      MASSES: '群众',
    };
    expect(labels).toEqual(rows.map((row) => zh[row.politicalStatus]));
  });

  it("gives a lead their own teams' records only", async () => {
    const red = org.teams['RED'];
    const approved = approvedInPeriod((record) => record.teamId === red);
    const byTeam = await report(org.lead, 'TEAM');
    expect(byTeam.rows.map((row) => row.team?.id)).toEqual(approved.length > 0 ? [red] : []);
    expect(byTeam.totalMinutes).toBe(approved.reduce((sum, record) => sum + record.minutes, 0));
    const byMember = await report(org.lead, 'MEMBER');
    expect(byMember.totalMinutes).toBe(byTeam.totalMinutes);
    expect(new Map(byMember.rows.map((row) => [row.member?.id, row.minutes]))).toEqual(
      new Map([...sumBy(approved, (record) => record.memberId)].map(([id, sum]) => [id, sum.minutes])),
    );
  });

  it('answers in a fixed number of SQL statements, however many rows', async () => {
    const statementsFor = async (input: { from: string; to: string }) => {
      const before = testApp.statements;
      const result = await report(org.admin, 'MEMBER', input);
      return { statements: testApp.statements - before, rows: result.rows.length };
    };
    const day = approvedInPeriod()[0]?.date ?? period.from;
    const narrow = await statementsFor({ from: day, to: day });
    expect(narrow.rows).toBeGreaterThan(0);
    const wide = await statementsFor(period);
    expect(wide.rows).toBeGreaterThan(narrow.rows);
    expect(wide.statements).toBe(narrow.statements);
  });

  it('is for leads and admins only, over a valid period', async () => {
    const member = org.members[0];
    if (!member) throw new Error('no member');
    expect(errorCode(await member.client.gql(HOURS_REPORT, { input: { ...period, groupBy: 'TEAM' } }))).toBe(
      'FORBIDDEN',
    );
    expect(
      errorCode(await testApp.anonymous(org.slug).gql(HOURS_REPORT, { input: { ...period, groupBy: 'TEAM' } })),
    ).toBe('UNAUTHENTICATED');
    const reversed = await org.admin.gql(HOURS_REPORT, {
      input: { from: period.to, to: period.from, groupBy: 'TEAM' },
    });
    expect(errorOf(reversed)).toMatchObject({ code: 'VALIDATION', fields: { to: 'ENDS_BEFORE_START' } });
  });

  it('exports the same figures as .xlsx and .csv', async () => {
    const byTeam = await report(org.admin, 'TEAM');
    const xlsx = await org.admin.gql<{ hoursReportFile: { fileName: string; contentType: string; base64: string } }>(
      HOURS_REPORT_FILE,
      { input: { ...period, groupBy: 'TEAM' }, format: 'XLSX', locale: 'zh' },
    );
    expectNoErrors(xlsx);
    expect(xlsx.data?.hoursReportFile.fileName).toBe(`hours-by-team-${period.from}-${period.to}.xlsx`);
    const workbook = XLSX.read(Buffer.from(xlsx.data?.hoursReportFile.base64 ?? '', 'base64'), { type: 'buffer' });
    const sheet = workbook.Sheets[workbook.SheetNames[0] ?? ''];
    if (!sheet) throw new Error('no sheet');
    const rows = XLSX.utils.sheet_to_json<unknown[]>(sheet, { header: 1, raw: true });
    expect(rows[0]).toEqual(['队伍', '服务时长（小时）', '记录数']);
    expect(rows.at(-1)).toEqual(['合计', Math.round((byTeam.totalMinutes / 60) * 100) / 100, byTeam.totalRecords]);
    expect(rows.slice(1, -1).map((row) => row[0])).toEqual(
      expect.arrayContaining(['红色旗帜', '绿色卫士', '（未归队）']),
    );

    const csv = await org.admin.gql<{ hoursReportFile: { base64: string; contentType: string } }>(HOURS_REPORT_FILE, {
      input: { ...period, groupBy: 'MONTH' },
      format: 'CSV',
      locale: 'en',
    });
    expectNoErrors(csv);
    expect(csv.data?.hoursReportFile.contentType).toBe('text/csv; charset=utf-8');
    const table = readSpreadsheet(Buffer.from(csv.data?.hoursReportFile.base64 ?? '', 'base64')).rows.map(
      (row) => row.cells,
    );
    expect(table[0]).toEqual(['Month', 'Hours', 'Records']);
    expect(table.at(-1)?.[2]).toBe(String(byTeam.totalRecords));
  });

  it('exports for leads and admins only', async () => {
    const member = org.members[0];
    if (!member) throw new Error('no member');
    const refused = await member.client.gql(HOURS_REPORT_FILE, {
      input: { ...period, groupBy: 'TEAM' },
      format: 'CSV',
    });
    expect(errorCode(refused)).toBe('FORBIDDEN');
  });
});
