/**
 * Service stations in a browser: a stationed member keeps the logbook on a
 * phone; an admin sends a spot check (随机打卡) and the member, on a phone
 * whose position is emulated, answers it — the admin's screen shows the
 * answer without a reload within 5 s and in the person's history; the
 * admin stations people with a lead on the edit page, reads the month on the
 * reports page and its .xlsx, and imports stations from a workbook through a
 * preview; the stations' big screen shows 120 stations at 1920×1080 without
 * scrolling.
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

    // The people and the lead are chosen on the station's edit page, the member found by name.
    await admin.getByRole('link', { name: /^(编辑服务站|Edit station)$/ }).click();
    await admin.waitForURL(/\/edit$/);
    await admin.getByLabel(/按姓名查找志愿者|Find members by name/).fill(demo.member.name);
    await admin.getByRole('button', { name: /^(查找|Find)$/ }).click();
    await admin.waitForURL(/\?q=/);
    await admin.waitForSelector('html[data-hydrated]');
    await admin.getByLabel(new RegExp(`^(驻站|Stationed): ${demo.member.name}$`)).check();
    await admin.getByLabel(new RegExp(`^(设为站长|Lead): ${demo.member.name}$`)).check();
    await admin.getByRole('button', { name: /保存驻站人员|Save the people/ }).click();
    await admin.waitForURL(/\?saved=1$/);
    await expect.poll(() => admin.locator('.people').textContent()).toContain(demo.member.name);
    await expect.poll(() => admin.locator('.people').textContent()).toMatch(/站长|Lead/);
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

  it('shows the answer in the person’s history: to the admin with where, to the person every request', async () => {
    await admin.goto(stationPath);
    await admin
      .getByRole('link', { name: /^(打卡记录|Spot-check history)$/ })
      .first()
      .click();
    await admin.waitForURL(/\/spot-checks\/history\/[0-9a-f-]{36}$/);
    await expect.poll(() => admin.getByTestId('spot-check-summary').textContent()).toMatch(/(共 1 次|1 in all)/);
    const item = admin.getByTestId('history-spot-check').first();
    expect(await item.getAttribute('data-status')).toBe('ANSWERED');
    expect(await item.getAttribute('data-at-station')).toBe('true');
    expect(await item.textContent()).toMatch(/位置|Position/);

    await member.goto(`/o/${demo.slug}/spot-checks`);
    await member.getByRole('link', { name: /查看我收到的全部打卡请求|Every check-in request I was sent/ }).click();
    await member.waitForURL(/\/spot-checks\/history\//);
    await expect.poll(() => member.getByTestId('history-spot-check').count()).toBe(1);
    // The person sees the request and that it was answered at the station, never the position kept for the sender.
    const own = (await member.getByTestId('history-spot-check').first().textContent()) ?? '';
    expect(own).toMatch(/在站|At the station/);
    expect(own).not.toMatch(/位置 \d|Position \d/);
  });

  it('reports the station’s month on the reports page and exports it to .xlsx', async () => {
    await admin.goto(`/o/${demo.slug}/reports`);
    const row = admin.locator(
      `table[data-stations-by=station] tr[data-row^="station:${stationPath.split('/').at(-1) ?? ''}:"]`,
    );
    await expect.poll(() => row.locator('[data-figure=visits]').textContent()).toBe('1');
    expect(await row.locator('[data-figure=spot-checks]').textContent()).toBe('1/1');
    expect(await row.locator('[data-figure=answer-rate]').textContent()).toBe('100%');
    const href = await admin.getByRole('link', { name: /导出 Excel|Export to Excel/ }).getAttribute('href');
    const file = await admin.request.get(href ?? '');
    expect(file.status()).toBe(200);
    expect(file.headers()['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(file.headers()['content-disposition']).toMatch(/station-report-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.xlsx/);
    // Members who are not admins do not read it.
    expect((await member.request.get(href ?? '')).status()).toBe(403);
  });

  it('imports stations from a workbook through a preview, and shows 120 stations on the big screen at 1920×1080 without scrolling', async () => {
    const { stations: existing } = await gql<{ stations: unknown[] }>(admin, `{ stations { id } }`);
    const wanted = 120 - existing.length;
    const rows = Array.from({ length: wanted }, (_, index) => {
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
    // A title row above the header, as offices keep them, and a row without its position.
    const csv = [
      '岳阳县村级服务站名单,,,',
      '站点名称,所属乡镇,纬度,经度',
      ...rows,
      '长湖乡无坐标村服务站,长湖乡,,',
    ].join('\n');
    await admin.goto(`/o/${demo.slug}/stations`);
    await admin.getByRole('link', { name: /^(从表格导入|Import from a workbook)$/ }).click();
    await admin.waitForSelector('html[data-hydrated]');
    await admin.getByLabel(/^(表格文件|Workbook)$/).setInputFiles({
      name: '服务站名单.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv, 'utf8'),
    });
    await admin.getByRole('button', { name: /上传并预览|Upload and preview/ }).click();
    const preview = admin.getByTestId('import-preview');
    await expect.poll(() => preview.locator('tbody tr').count()).toBe(wanted);
    expect(await admin.getByTestId('import-problems').textContent()).toMatch(
      new RegExp(`(第 ${String(wanted + 3)} 行|Row ${String(wanted + 3)})`),
    );
    // Nothing is written before the confirmation.
    expect((await gql<{ stations: unknown[] }>(admin, `{ stations { id } }`)).stations).toHaveLength(existing.length);
    await admin.getByRole('button', { name: /^(确认导入|Import)$/ }).click();
    await expect
      .poll(() => admin.getByTestId('import-done').textContent())
      .toMatch(new RegExp(`(新建 ${String(wanted)} 个|${String(wanted)} stations created)`));

    const screen = await newPage(browser, { viewport: { width: 1920, height: 1080 } });
    await signIn(screen, demo.admin.phone);
    await screen.goto(`/o/${demo.slug}/board/stations`);
    await screen.waitForSelector('html[data-hydrated]');
    expect(await screen.getByTestId('station-tile').count()).toBe(120);
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
