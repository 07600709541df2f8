import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAssociation, launchBrowser, newPage, signIn } from './browser';

const COLOURS = ['RED', 'GREEN', 'WHITE', 'ORANGE', 'PURPLE', 'GOLD', 'BLUE'];
const SWATCHES = [
  'rgb(200, 16, 46)',
  'rgb(19, 115, 51)',
  'rgb(244, 241, 234)',
  'rgb(238, 125, 26)',
  'rgb(123, 63, 160)',
  'rgb(201, 154, 6)',
  'rgb(31, 95, 191)',
];
const demo = demoAssociation('foundation');
const { admin } = demo;

/** The team cards on the page: their colours, band colours and names. */
async function teamCards(page: Page) {
  return page.locator('article.team-card').evaluateAll((cards) =>
    cards.map((card) => ({
      colour: card.getAttribute('data-colour'),
      band: getComputedStyle(card.querySelector('.band') as Element).backgroundColor,
      name: card.querySelector('h3')?.textContent.trim(),
    })),
  );
}

describe('the foundation in a browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser.close();
  });

  it('shows the public organization page with its seven teams, without signing in', async () => {
    const page = await newPage(browser);
    await page.goto(`/o/${demo.slug}`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('岳阳县七彩之光志愿者协会');
    const cards = await teamCards(page);
    expect(cards.map((card) => card.colour)).toEqual(COLOURS);
    expect(cards.map((card) => card.band)).toEqual(SWATCHES);
    expect(cards[0]?.name).toBe('红色旗帜');
    // In Chinese by default, although this browser prefers English.
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.context().close();
  });

  it('signs the admin in to the seven teams, switches to English and back, renames a team', async () => {
    const page = await newPage(browser);
    await signIn(page, admin.phone);
    expect(new URL(page.url()).pathname).toBe(`/o/${demo.slug}/home`);
    expect((await teamCards(page)).map((card) => card.band)).toEqual(SWATCHES);
    await expect.poll(() => page.locator('#teams-heading').textContent()).toBe('七支队伍');

    await page.getByRole('button', { name: 'English', exact: true }).click();
    await expect.poll(() => page.locator('#teams-heading').textContent()).toBe('The seven teams');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect((await teamCards(page))[2]?.name).toBe('White Angels');
    await page.getByRole('button', { name: '中文', exact: true }).click();
    await expect.poll(() => page.locator('#teams-heading').textContent()).toBe('七支队伍');

    await page.getByRole('link', { name: '橙色救援' }).click();
    await page.getByRole('link', { name: '编辑队伍' }).click();
    await page.getByLabel('中文名称').fill('橙色应急先锋');
    await page.getByLabel('英文名称').fill('Orange Vanguard');
    await page.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('橙色应急先锋');
    await page.goto(`/o/${demo.slug}/home`);
    expect((await teamCards(page))[3]).toMatchObject({ colour: 'ORANGE', name: '橙色应急先锋' });
    await page.context().close();
  });

  it('keeps what was typed and says what is wrong when a team name is empty', async () => {
    const page = await newPage(browser);
    await signIn(page, admin.email);
    await page.goto(`/o/${demo.slug}/teams/blue/edit`);
    await page.getByLabel('中文名称').fill('');
    await page.getByLabel('英文名称').fill('Blue Counsel and Care');
    // Past the browser's own check, to see the server's answer.
    await page.locator('form.card[method=POST]').evaluate((form) => {
      form.setAttribute('novalidate', '');
    });
    await page.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => page.locator('.field .error').first().textContent()).toBe('请填写此项。');
    expect(await page.getByLabel('英文名称').inputValue()).toBe('Blue Counsel and Care');
    await page.context().close();
  });

  it('keeps what a person types before the page has started its scripts (a slow phone)', async () => {
    const page = await newPage(browser);
    // Hold the app's scripts back until the person has typed, as a slow phone would.
    let releaseScripts = () => {};
    const scriptsReleased = new Promise<void>((resolve) => (releaseScripts = resolve));
    await page.route('**/_app/immutable/**', async (route) => {
      await scriptsReleased;
      await route.continue();
    });
    await page.goto('/signin', { waitUntil: 'commit' });
    await page.getByLabel(/Mobile number or email/).fill(admin.phone);
    releaseScripts();
    await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    expect(await page.getByLabel(/Mobile number or email/).inputValue()).toBe(admin.phone);
    await page.context().close();
  });

  it('works without JavaScript: sign in and switch language', async () => {
    const page = await newPage(browser, { javaScriptEnabled: false });
    await signIn(page, admin.email);
    expect(new URL(page.url()).pathname).toBe(`/o/${demo.slug}/home`);
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await page.waitForLoadState();
    expect(await page.locator('#teams-heading').textContent()).toBe('The seven teams');
    await page.context().close();
  });

  it('sends every field filled in, so a form saved before its scripts run keeps what it held (a team’s missions)', async () => {
    // Without JavaScript the page stays as the server sent it, as a slow phone's does until it hydrates.
    const page = await newPage(browser, { javaScriptEnabled: false });
    await signIn(page, admin.email);
    const redMission = '送党课下乡，把党的理论和政策讲到村组和社区。';
    await page.goto(`/o/${demo.slug}/teams/red/edit`);
    expect(await page.getByLabel('中文使命').inputValue()).toBe(redMission);
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.waitForLoadState();
    await page.goto(`/o/${demo.slug}/teams/red/edit`);
    expect(await page.getByLabel('中文使命').inputValue()).toBe(redMission);
    await page.context().close();
  });

  it('does not let a member edit a team', async () => {
    const member = demo.member;
    const page = await newPage(browser);
    await signIn(page, member.phone);
    await page.goto(`/o/${demo.slug}/teams/red`);
    expect(await page.getByRole('link', { name: '编辑队伍' }).count()).toBe(0);
    const response = await page.goto(`/o/${demo.slug}/teams/red/edit`);
    expect(response?.status()).toBe(403);
    await page.context().close();
  });
});
