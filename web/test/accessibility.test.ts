/**
 * axe-core (bundled from node_modules, injected into the page) on every route
 * of the app, signed out, as the admin, and as the sponsor: no serious or
 * critical violation anywhere, in Chinese and in English, on a desktop and a
 * phone-sized screen for the pages people use on the go.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, demoAssociation, launchBrowser, newPage, signIn } from './browser';

const demo = demoAssociation('accessibility');
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

function isViolations(value: unknown): value is Violation[] {
  return Array.isArray(value);
}

/** The serious and critical violations on the page as it is now. */
async function seriousViolations(page: Page): Promise<Violation[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  const found: unknown = await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((result) =>
    result.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        targets: violation.nodes.slice(0, 5).map((node) => node.target.join(' ')),
      })))`);
  if (!isViolations(found)) throw new Error('axe gave no result');
  return found;
}

/** The first link on a page whose path matches, e.g. an activity's page from the list. */
async function firstPath(page: Page, from: string, pattern: RegExp): Promise<string> {
  await page.goto(from);
  const hrefs = await page.locator('a[href]').evaluateAll((links) => links.map((link) => link.getAttribute('href')));
  const found = hrefs.find((href): href is string => typeof href === 'string' && pattern.test(href));
  if (!found) throw new Error(`no link like ${String(pattern)} on ${from}`);
  return found.split('?')[0] ?? found;
}

async function audit(page: Page, paths: string[]): Promise<Record<string, Violation[]>> {
  const failures: Record<string, Violation[]> = {};
  for (const path of paths) {
    await page.goto(path);
    const violations = await seriousViolations(page);
    if (violations.length > 0) failures[path] = violations;
  }
  return failures;
}

describe('accessibility (axe-core) on every route', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser.close();
  });

  it('finds nothing serious on the public pages, in both languages and on a phone', async () => {
    const o = `/o/${demo.slug}`;
    const paths = [
      '/',
      '/signin',
      '/register',
      '/verify',
      '/verify/QC-0000-0000',
      '/invite/no-such-token',
      o,
      `${o}/help`,
      '/no-such-page',
    ];
    for (const options of [
      { locale: 'zh-CN' },
      { locale: 'en-US' },
      { locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true },
    ]) {
      const page = await newPage(browser, { ...options, bypassCSP: true });
      // The association's pages speak Chinese unless one chooses English.
      if (options.locale === 'en-US')
        await page.context().addCookies([{ name: 'qicai_locale', value: 'en', url: baseUrl() }]);
      expect(await audit(page, paths), JSON.stringify(options)).toEqual({});
      await page.context().close();
    }
  }, 180_000);

  it('finds nothing serious on any page an admin sees', async () => {
    const page = await newPage(browser, { bypassCSP: true, viewport: { width: 1280, height: 900 } });
    await signIn(page, demo.admin.phone);
    const o = `/o/${demo.slug}`;
    const activity = await firstPath(page, `${o}/activities`, /\/activities\/[0-9a-f-]{36}$/);
    const member = await firstPath(page, `${o}/members`, /\/members\/[0-9a-f-]{36}$/);
    const request = await firstPath(page, `${o}/requests`, /\/requests\/[0-9a-f-]{36}$/);
    const child = await firstPath(page, `${o}/sponsorship/children`, /\/children\/[0-9a-f-]{36}$/);
    const sponsor = await firstPath(page, `${o}/sponsorship/sponsors`, /\/sponsors\/[0-9a-f-]{36}$/);
    const sponsorship = await firstPath(page, child, /\/sponsorships\/[0-9a-f-]{36}$/).catch(() => null);
    const station = await firstPath(page, `${o}/stations`, /\/stations\/[0-9a-f-]{36}$/);
    const history = await firstPath(page, station, /\/spot-checks\/history\/[0-9a-f-]{36}$/);
    const paths = [
      '/orgs/new',
      `${o}/home`,
      `${o}/activities`,
      `${o}/activities/new`,
      activity,
      `${activity}/edit`,
      `${activity}/attendance`,
      `${activity}/qr`,
      `${o}/approvals`,
      `${o}/display-tokens`,
      `${o}/hours`,
      `${o}/hours/certificates`,
      `${o}/hours/certificates/seal`,
      `${o}/hours/leaderboard`,
      `${o}/hours/settings`,
      `${o}/members`,
      `${o}/members?status=ALL&sort=WORK_UNIT`,
      `${o}/members/new`,
      `${o}/members/import`,
      `${o}/members/invitations`,
      `${o}/members/requests`,
      member,
      `${member}/edit`,
      `${o}/notifications`,
      `${o}/profile`,
      `${o}/reports`,
      `${o}/requests`,
      request,
      `${request}/activity`,
      `${o}/sponsorship`,
      `${o}/sponsorship/children`,
      `${o}/sponsorship/children/new`,
      child,
      `${child}/edit`,
      `${o}/sponsorship/matching`,
      `${o}/sponsorship/sponsors`,
      `${o}/sponsorship/sponsors/new`,
      sponsor,
      `${sponsor}/edit`,
      ...(sponsorship ? [sponsorship] : []),
      `${o}/teams/red`,
      `${o}/teams/red/edit`,
      `${o}/stations`,
      `${o}/stations/import`,
      station,
      `${station}/edit`,
      `${o}/spot-checks`,
      history,
      `${o}/board`,
      `${o}/board/stations`,
      `${o}/audit`,
      `${o}/audit?kind=member`,
      `${o}/export`,
      `${o}/help`,
      `${o}/activities/00000000-0000-4000-8000-000000000000`,
    ];
    expect(await audit(page, paths)).toEqual({});
    await page.context().close();
  }, 300_000);

  it('finds nothing serious on the pages a member and a sponsor see, on a phone', async () => {
    const o = `/o/${demo.slug}`;
    const member = await newPage(browser, { bypassCSP: true, viewport: { width: 390, height: 844 }, isMobile: true });
    await signIn(member, demo.member.phone);
    const activity = await firstPath(member, `${o}/activities`, /\/activities\/[0-9a-f-]{36}$/);
    expect(
      await audit(member, [
        `${o}/home`,
        `${o}/activities`,
        activity,
        `${activity}/check-in`,
        `${o}/hours`,
        `${o}/members`,
        `${o}/profile`,
        `${o}/notifications`,
        `${o}/stations`,
        `${o}/spot-checks`,
      ]),
    ).toEqual({});
    await member.context().close();
    const sponsor = await newPage(browser, { bypassCSP: true });
    await signIn(sponsor, demo.sponsor.phone);
    expect(await audit(sponsor, [`${o}/sponsor`, `${o}/sponsor/claim`, '/'])).toEqual({});
    await sponsor.context().close();
  }, 180_000);
});
