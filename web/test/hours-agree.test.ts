/**
 * The same minutes read as the same hours wherever they are shown: the big
 * screen, my hours, a certificate (its page and its PDF), the public
 * verification page and the hours report files all round by the kernel's one
 * rule (90 minutes → 1.5, 745 → 12.42; the big screen once said 2 for 90).
 * Pages are read as the server renders them, over HTTP: no browser needed.
 */
import * as XLSX from '@e965/xlsx';
import { DEFAULT_TIME_ZONE, localDateAt } from '@qicai/api/kernel/time';
import { DEMO_PASSWORD } from '@qicai/scripts/demo';
import { beforeAll, describe, expect, it } from 'vitest';
import { pdfText } from '../../api/test/pdf-text';
import { baseUrl, demoAssociation, testClock } from './browser';

const demo = demoAssociation('hours-agree');
const DAY_MS = 86_400_000;

/** A signed-in person talking to the server under test as a browser would: cookies kept, the organization named. */
class Session {
  private readonly cookies = new Map<string, string>();

  static async signIn(login: string): Promise<Session> {
    const session = new Session();
    await session.gql(`mutation ($input: SignInInput!) { signIn(input: $input) { account { id } } }`, {
      input: { login, password: DEMO_PASSWORD },
    });
    return session;
  }

  private async send(
    path: string,
    init: { method?: string; headers?: Record<string, string>; body?: string } = {},
  ): Promise<Response> {
    const response = await fetch(new URL(path, baseUrl()), {
      ...init,
      redirect: 'manual',
      headers: { ...init.headers, cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const separator = pair.indexOf('=');
      this.cookies.set(pair.slice(0, separator).trim(), pair.slice(separator + 1).trim());
    }
    if (!response.ok) throw new Error(`${path}: ${String(response.status)} ${await response.text()}`);
    return response;
  }

  async gql<Data>(query: string, variables: Record<string, unknown> = {}): Promise<Data> {
    const response = await this.send('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-qicai-org': demo.slug },
      body: JSON.stringify({ query, variables }),
    });
    const result = (await response.json()) as { data?: Data; errors?: unknown[] };
    if (result.errors?.length || !result.data) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
    return result.data;
  }

  /** A page as the server renders it (in Chinese, the association's language). */
  async page(path: string): Promise<string> {
    return (await this.send(path)).text();
  }

  async file(path: string): Promise<Buffer> {
    return Buffer.from(await (await this.send(path)).arrayBuffer());
  }
}

/** The inner HTML of each element whose opening tag has this attribute (no element of the same name inside). */
function elementsWith(html: string, attribute: string): string[] {
  return [...html.matchAll(new RegExp(`<(\\w+)[^>]*\\b${attribute}[^>]*>`, 'g'))].map((match) => {
    const start = match.index + match[0].length;
    return html.slice(start, html.indexOf(`</${match[1] ?? ''}>`, start));
  });
}

/** HTML as a reader sees it: tags and comments gone, spaces collapsed. */
function textOf(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->|<[^>]*>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The figures a text states as hours: "服务 1.5 小时 · 社区夜间巡逻" → ["1.5"]. */
function hoursIn(text: string | undefined): string[] {
  return [...(text ?? '').matchAll(/([\d,.]+) 小时/g)].map((match) => match[1] ?? '');
}

/** The text of the element that mentions `name`, among those with this attribute. */
function mentioning(html: string, attribute: string, name: string): string | undefined {
  return elementsWith(html, attribute)
    .map(textOf)
    .find((text) => text.includes(name));
}

/** The rows of an hours report file: label → hours as the file states them. */
function csvHours(file: Buffer): Map<string, string> {
  const lines = file
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .split('\r\n');
  return new Map(lines.map((line) => line.split(',')).map(([label = '', hours = '']) => [label, hours]));
}

function xlsxHours(file: Buffer): Map<string, unknown> {
  const book = XLSX.read(file);
  const sheet = book.Sheets[book.SheetNames[0] ?? ''];
  if (!sheet) throw new Error('no sheet');
  const rows = XLSX.utils.sheet_to_json<unknown[]>(sheet, { header: 1 });
  return new Map(rows.map(([label, hours]) => [String(label), hours]));
}

describe('hours agree everywhere', () => {
  const suffix = String(testClock.now().getTime() % 100_000);
  /** 90 minutes two days ago, 655 the day before: 745 minutes together. */
  const short = { name: `社区夜间巡逻 ${suffix}`, day: '', minutes: 90 };
  const long = { name: `防汛值守 ${suffix}`, day: '', minutes: 655 };
  let admin: Session;
  let person: Session;
  let personName: string;

  beforeAll(async () => {
    const dayAgo = (days: number) =>
      localDateAt(new Date(testClock.now().getTime() - days * DAY_MS), DEFAULT_TIME_ZONE);
    short.day = dayAgo(2);
    long.day = dayAgo(3);
    admin = await Session.signIn(demo.admin.phone);
    // The demo's sponsor is no member yet, so has no service: the records below are all theirs.
    person = await Session.signIn(demo.sponsor.phone);
    const { inviteMember } = await admin.gql<{ inviteMember: { link: string } }>(
      `mutation ($input: InviteMemberInput!) { inviteMember(input: $input) { link } }`,
      { input: { phone: demo.sponsor.phone } },
    );
    const { acceptInvitation } = await person.gql<{ acceptInvitation: { member: { displayName: string } } }>(
      `mutation ($token: String!) { acceptInvitation(token: $token) { member { displayName } } }`,
      { token: new URL(inviteMember.link).pathname.split('/').pop() },
    );
    personName = acceptInvitation.member.displayName;
    const { organization } = await person.gql<{ organization: { teams: { id: string; colour: string }[] } }>(
      `{ organization { teams { id colour } } }`,
    );
    const red = organization.teams.find((team) => team.colour === 'RED')?.id;
    await person.gql(`mutation ($teamId: ID!) { joinTeam(teamId: $teamId) { id } }`, { teamId: red });

    const ids: string[] = [];
    for (const [record, startsAt, endsAt] of [
      [short, '19:00', '20:30'],
      [long, '08:00', '18:55'],
    ] as const) {
      const { reportServiceHours } = await person.gql<{ reportServiceHours: { id: string; minutes: number } }>(
        `mutation ($input: ServiceHoursInput!) { reportServiceHours(input: $input) { id minutes } }`,
        {
          input: {
            activityName: record.name,
            teamId: red,
            place: '荣家湾镇新华社区',
            content: '巡逻值守，提醒居民注意安全',
            organizingUnit: '荣家湾镇新华社区居委会',
            activityLead: '张主任',
            startsAt: `${record.day}T${startsAt}`,
            endsAt: `${record.day}T${endsAt}`,
          },
        },
      );
      expect(reportServiceHours.minutes).toBe(record.minutes);
      ids.push(reportServiceHours.id);
    }
    await admin.gql(`mutation ($ids: [ID!]!) { approveServiceRecords(ids: $ids) { id } }`, { ids });
  });

  it('the big screen and my hours show each record’s hours alike', async () => {
    const board = await person.page(`/o/${demo.slug}/board`);
    // The feed's lines: "王** 服务 1.5 小时 · 社区夜间巡逻 …".
    const feed = (elementsWith(board, 'data-testid="board-feed"')[0] ?? '').split('</li>').map(textOf);
    expect(hoursIn(feed.find((text) => text.includes(short.name)))).toEqual(['1.5']);
    expect(hoursIn(feed.find((text) => text.includes(long.name)))).toEqual(['10.92']);

    const hours = await person.page(`/o/${demo.slug}/hours`);
    expect(elementsWith(hours, 'data-testid="hours-all-time"').map(textOf)).toEqual(['12.42 小时']);
    expect(hoursIn(mentioning(hours, 'data-testid="service-record"', short.name))).toEqual(['1.5']);
    expect(hoursIn(mentioning(hours, 'data-testid="service-record"', long.name))).toEqual(['10.92']);
  });

  it('certificates, their PDFs and the verification page state the same hours', async () => {
    for (const [from, hours] of [
      [short.day, '1.5'],
      [long.day, '12.42'],
    ] as const) {
      const { issueCertificate } = await person.gql<{ issueCertificate: { number: string } }>(
        `mutation ($input: IssueCertificateInput!) { issueCertificate(input: $input) { number } }`,
        { input: { from, to: short.day } },
      );
      const { number } = issueCertificate;
      const list = await person.page(`/o/${demo.slug}/hours/certificates`);
      expect(hoursIn(mentioning(list, `data-certificate="${number}"`, number))).toEqual([hours]);
      const { text } = await pdfText(await person.file(`/o/${demo.slug}/hours/certificates/${number}.pdf`));
      expect(text).toContain(`累计志愿服务时长 ${hours} 小时`);
      const verified = await new Session().page(`/verify/${number}`);
      expect(elementsWith(verified, 'data-field="hours"').map(textOf)).toEqual([`${hours} 小时`]);
    }
  });

  it('the hours report files state the same hours', async () => {
    for (const [from, hours] of [
      [short.day, 1.5],
      [long.day, 12.42],
    ] as const) {
      const query = `from=${from}&to=${short.day}&groupBy=member`;
      const csv = csvHours(await admin.file(`/o/${demo.slug}/reports/export?${query}&format=csv`));
      expect(csv.get(personName)).toBe(String(hours));
      const xlsx = xlsxHours(await admin.file(`/o/${demo.slug}/reports/export?${query}&format=xlsx`));
      expect(xlsx.get(personName)).toBe(hours);
    }
  });
});
