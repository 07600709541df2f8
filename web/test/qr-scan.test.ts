/**
 * QR scanning where the browser has no BarcodeDetector (iOS Safari, WeChat):
 * the bundled WebAssembly decoder reads the lead's QR code from the camera —
 * here Chromium's fake camera, fed a video of the code the lead's page shows —
 * and the page sends its check-in code.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { encode } from 'uqr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, demoAssociation, launchBrowser, newPage, signIn, testClock, saveActivity } from './browser';

const demo = demoAssociation('qr-scan');
const { lead, member } = demo;
const SITE = { latitude: 29.1446, longitude: 113.1287 };

/** A one-frame Y4M video (what Chromium's fake camera plays, in a loop) of the QR code of `text`. */
function qrVideo(text: string, file: string): void {
  const { data } = encode(text, { ecc: 'M', border: 4 });
  const [width, height, scale] = [640, 480, 7];
  const size = data.length * scale;
  const [left, top] = [Math.floor((width - size) / 2), Math.floor((height - size) / 2)];
  const luma = Buffer.alloc(width * height, 235);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (data[Math.floor(y / scale)]?.[Math.floor(x / scale)]) luma[(top + y) * width + left + x] = 16;
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\nFRAME\n`);
  writeFileSync(file, Buffer.concat([header, luma, chroma]));
}

describe('QR scanning without BarcodeDetector', () => {
  let browser: Browser;
  let cameraBrowser: Browser | undefined;
  const folder = mkdtempSync(join(tmpdir(), 'qicai-qr-'));
  const title = `浏览器测试：扫码签到 ${testClock.now().getTime() % 100_000}`;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await cameraBrowser?.close();
    await browser.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('decodes the lead’s QR code from the camera with the bundled decoder and sends its code', async () => {
    const leadPage = await newPage(browser);
    await signIn(leadPage, lead.phone);
    await leadPage.goto(`/o/${demo.slug}/activities/new`);
    const activityPath = await saveActivity(leadPage, {
      title,
      category: 'LECTURE',
      site: SITE,
      startsIn: 5,
      endsIn: 65,
    });

    const memberPage = await newPage(browser);
    await signIn(memberPage, member.phone);
    await memberPage.goto(activityPath);
    await memberPage.getByRole('button', { name: '报名' }).click();
    await expect.poll(() => memberPage.getByRole('status').first().textContent()).toBe('报名成功。');
    await memberPage.context().close();

    // What the lead's phone shows: the check-in link with its code.
    await leadPage.goto(`${activityPath}/qr`);
    const link = await leadPage.locator('svg.qr').getAttribute('data-qr-text');
    const code = new URL(link ?? '').searchParams.get('code');
    expect(code).toMatch(/^[0-9A-Z]{8}$/);
    await leadPage.context().close();

    const video = join(folder, 'qr.y4m');
    qrVideo(link ?? '', video);
    cameraBrowser = await chromium.launch({
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--no-first-run',
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-video-capture=${video}`,
      ],
    });
    const context = await cameraBrowser.newContext({
      baseURL: baseUrl(),
      locale: 'en-US',
      viewport: { width: 390, height: 844 },
      permissions: ['camera'],
    });
    // As in iOS Safari and WeChat's browser: no Barcode Detection API.
    await context.addInitScript(() => {
      Reflect.deleteProperty(window, 'BarcodeDetector');
    });
    const page = await context.newPage();
    const wasmFetched: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('.wasm')) wasmFetched.push(new URL(request.url()).origin);
    });
    const sent = page.waitForRequest((request) => request.method() === 'POST' && request.url().includes('?/code'));
    await signIn(page, member.phone);
    await page.goto(`${activityPath}/check-in`);
    expect(await page.locator('#code').inputValue()).toBe('');
    await page.getByRole('button', { name: '用摄像头扫码' }).click();

    // The decoded code fills the field and is sent; the decoder came from this server.
    const request = await sent;
    expect(new URLSearchParams(request.postData() ?? '').get('code')).toBe(code);
    expect(wasmFetched).toEqual([new URL(baseUrl()).origin]);
    await context.close();
  });
});
