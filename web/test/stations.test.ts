/**
 * Service stations in a browser: a stationed member keeps the logbook on a
 * phone; an admin sends a spot check (随机打卡) and the member, on a phone
 * whose position is emulated, answers it — the admin's screen shows the
 * answer without a reload within 5 s; the stations' big screen shows 120
 * stations at 1920×1080 without scrolling.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAssociation, launchBrowser, newPage, signIn } from './browser';

const demo = demoAssociation('stations');
const SITE = { latitude: 29.1446, longitude: 113.1287 };
/** The member's phone: 120 m north of the station, ±15 m. */
const NEAR = { latitude: SITE.latitude + 120 / 111_195, longitude: SITE.longitude, accuracy: 15 };
const PHONE = { width: 390, height: 844 };

/** A GraphQL call through the page's own session (the public API, as the app's pages make them). */
async function gql<Data>(page: Page, query: string, variables: Record<string, unknown> = {}): Promise<Data> {
  const response = await page.request.post('/graphql', {
    data: { query, variables },
    headers: { 'x-qicai-org': demo.slug },
  });
  const body = (await response.json()) as { data: Data; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

describe('service stations in a browser', () => {
  let browser: Browser;
  let admin: Page;
  let member: Page;
  let stationPath: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    admin = await newPage(browser);
    await signIn(admin, demo.admin.phone);
    member = await newPage(browser, { viewport: PHONE, geolocation: NEAR, permissions: ['geolocation'] });
    await signIn(member, demo.member.phone);
  });
  afterAll(async () => {
    await browser.close();
  });

  it('lets an admin create a station and station a member there', async () => {
    await admin.goto(`/o/${demo.slug}/stations`);
    await admin.getByLabel(/^(名称|Name)$/).fill('新墙镇清水村服务站');
    await admin.getByLabel(/^(乡镇|Township)$/).fill('新墙镇');
    await admin.getByLabel(/^(纬度|Latitude)$/).fill(String(SITE.latitude));
    await admin.getByLabel(/^(经度|Longitude)$/).fill(String(SITE.longitude));
    await admin.getByRole('button', { name: /新建服务站|New station/ }).click();
    await admin.waitForURL(/\/stations\/[0-9a-f-]{36}\?created=1$/);
    stationPath = new URL(admin.url()).pathname;
    const stationId = stationPath.split('/').at(-1) ?? '';

    const { organization } = await gql<{ organization: { viewerMember: { id: string } } }>(
      member,
      `{ organization { viewerMember { id } } }`,
    );
    await gql(admin, `mutation ($input: SetStationMembersInput!) { setStationMembers(input: $input) { id } }`, {
      input: { stationId, memberIds: [organization.viewerMember.id], leadMemberId: organization.viewerMember.id },
    });
  });

  it('keeps the logbook on a phone', async () => {
    await member.goto(stationPath);
    await member.waitForSelector('html[data-hydrated]');
    await member.getByLabel(/^(来访人|Visitor)$/).fill('王建国');
    await member.getByLabel(/^(事由|What for)$/).fill('咨询城乡居民医保缴费');
    await member.getByLabel(/^(服务类别|Service)$/).selectOption('POLICY');
    await member.getByLabel(/^(用时（分钟）|Time taken \(minutes\))$/).fill('15');
    await member.getByRole('button', { name: /^(登记来访|Record a visit)$/ }).click();
    await expect
      .poll(() => member.getByRole('status').allTextContents())
      .toContainEqual(expect.stringMatching(/已登记|Recorded/));
    // The form fits the phone: nothing wider than the screen.
    const overflow = await member.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await member.reload();
    // A member sees the visitor masked; the admin the name.
    await expect.poll(() => member.locator('.visits').textContent()).toContain('王*国');
    await admin.goto(stationPath);
    await expect.poll(() => admin.locator('.visits').textContent()).toContain('王建国');
  });

  it('brings a spot check answered on a phone to the admin’s screen without a reload, within 5 s', async () => {
    await admin.goto(stationPath);
    await admin.waitForSelector('html[data-hydrated]');
    await admin.getByRole('button', { name: /向全站人员发起随机打卡|Spot-check everyone stationed here/ }).click();
    await expect
      .poll(() => admin.getByRole('status').allTextContents())
      .toContainEqual(expect.stringMatching(/已发出|sent/));

    await admin.goto(`/o/${demo.slug}/spot-checks`);
    await admin.waitForSelector('html[data-hydrated]');
    await expect.poll(() => admin.locator('.live').textContent()).toMatch(/实时更新中|Updating live/);
    await admin.evaluate(() => {
      document.body.dataset['marker'] = 'still-here';
    });
    const sent = admin.getByTestId('sent-spot-check').first();
    expect(await sent.getAttribute('data-status')).toBe('PENDING');

    await member.goto(`/o/${demo.slug}/spot-checks`);
    await member.waitForSelector('html[data-hydrated]');
    await member.getByRole('button', { name: /立即打卡|Check in now/ }).click();
    const answeredAt = performance.now();
    await expect
      .poll(() => member.getByRole('status').allTextContents())
      .toContainEqual(expect.stringMatching(/已打卡|Checked in/));

    await expect.poll(() => sent.getAttribute('data-status'), { timeout: 5000 }).toBe('ANSWERED');
    expect(performance.now() - answeredAt).toBeLessThan(5000);
    expect(await admin.evaluate(() => document.body.dataset['marker'])).toBe('still-here');
    const text = (await sent.textContent()) ?? '';
    expect(text).toMatch(/在站|At the station/);
    expect(text).toMatch(/1[12]\d ?(m|米)/);
  });

  it('shows 120 stations on the big screen at 1920×1080 without scrolling', async () => {
    const rows = Array.from({ length: 120 }, (_, index) => {
      const township = [
        '新墙镇',
        '荣家湾镇',
        '黄沙街镇',
        '筻口镇',
        '公田镇',
        '杨林街镇',
        '张谷英镇',
        '长湖乡',
        '步仙镇',
        '月田镇',
      ][index % 10];
      const number = String(index + 1).padStart(3, '0');
      return `${township}第${number}村服务站,${township},${(29 + index / 1000).toFixed(4)},${(113 + index / 1000).toFixed(4)}`;
    });
    const csv = ['站点名称,所属乡镇,纬度,经度', ...rows].join('\n');
    const { importStations } = await gql<{ importStations: { created: number } }>(
      admin,
      `mutation ($content: String!) { importStations(fileName: "stations.csv", contentBase64: $content) { created } }`,
      { content: Buffer.from(csv, 'utf8').toString('base64') },
    );
    expect(importStations.created).toBe(120);

    const screen = await newPage(browser, { viewport: { width: 1920, height: 1080 } });
    await signIn(screen, demo.admin.phone);
    await screen.goto(`/o/${demo.slug}/board/stations`);
    await screen.waitForSelector('html[data-hydrated]');
    expect(await screen.getByTestId('station-tile').count()).toBe(121);
    const fits = await screen.evaluate(() => {
      const board = document.querySelector('[data-testid=station-board]');
      const tiles = [...document.querySelectorAll('[data-testid=station-tile]')];
      return {
        overflow: board ? board.scrollHeight - board.clientHeight : -1,
        outside: tiles.filter((tile) => {
          const box = tile.getBoundingClientRect();
          return box.bottom > window.innerHeight || box.right > window.innerWidth || box.height < 20;
        }).length,
      };
    });
    expect(fits).toEqual({ overflow: 0, outside: 0 });
  });
});
