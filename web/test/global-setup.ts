/**
 * Starts the real Qicai — production web build, API, a fresh database with
 * the demo organization — on a free port for the browser tests.
 */
import { loadConfig, startServer, systemClock } from '@qicai/api';
import { testClockStartedAt } from '@qicai/api/testing';
import { createTestDatabase } from '@qicai/db/testing';
import { seedDemo, type DemoSignIn } from '@qicai/scripts/demo';
import { ensureWebBuild } from '@qicai/scripts/web-build';
import { readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import type { TestProject } from 'vitest/node';
import { startFakeMail } from './fake-mail';
import { startFakeSms } from './fake-sms';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    /** The fake SMS provider the server texts through (fake-sms.ts): where a test reads the codes sent. */
    smsInboxUrl: string;
    /** The SMTP server the server mails through (fake-mail.ts): where a test reads the mail sent. */
    mailInboxUrl: string;
    /** When the server's test clock started (ms): the test files' clocks start with it (browser.ts). */
    clockStartedAt: number;
    /** Each test file's own copy of the demo association, by the file's name (activities, board, …). */
    demos: Record<string, { slug: string; signIns: readonly [DemoSignIn, DemoSignIn, DemoSignIn, DemoSignIn] }>;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

/** Members besides the demo's sixty in the roster table tests' association. */
const CROWD = 3000;

export default async function setup(project: TestProject) {
  const port = await freePort();
  // Codes go by SMS through the real Alibaba Cloud adapter, to a fake provider on this machine.
  const sms = await startFakeSms();
  // Email through the real SMTP adapter, to an SMTP server in this process.
  const mail = await startFakeMail();
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    PORT: String(port),
    HOST: '127.0.0.1',
    SMS_PROVIDER: 'aliyun',
    SMS_ACCESS_KEY_ID: 'LTAI5tBrowserTests',
    SMS_ACCESS_KEY_SECRET: 'browser-tests-secret',
    SMS_SIGN_NAME: '七彩志愿',
    SMS_ENDPOINT: sms.url,
    SMS_TEMPLATE_VERIFICATION_CODE: 'SMS_465391022',
    SMS_TEMPLATE_PASSWORD_RESET_CODE: 'SMS_465391024',
    SMS_TEMPLATE_ACCOUNT_EXISTS: 'SMS_465391025',
    SMS_TEMPLATE_INVITATION: 'SMS_465391026',
    SMTP_URL: mail.smtpUrl,
    MAIL_FROM: '七彩志愿 <no-reply@qicai.example.cn>',
  });
  ensureWebBuild(config.webBuildDir);
  const testDatabase = await createTestDatabase();
  const database = await testDatabase.open();
  // No file sees what another changed: each signs in to an association of its own.
  const files = readdirSync(new URL('.', import.meta.url)).filter((file) => file.endsWith('.test.ts'));
  const clockStartedAt = systemClock.now().getTime();
  const testClock = testClockStartedAt(clockStartedAt);
  const demos: Record<string, Awaited<ReturnType<typeof seedDemo>>> = {};
  const app = await startServer({
    config,
    database,
    clock: testClock,
    handleSignals: false,
    beforeListen: async (server) => {
      for (const [index, file] of files.entries()) {
        const name = file.replace(/\.test\.ts$/, '');
        demos[name] = await seedDemo(server.database.db, {
          copy: index + 1,
          slug: `web-${name}`,
          now: testClock.now(),
          // The roster table's tests sort, filter and act on a roster of thousands.
          crowd: name === 'roster-table' ? CROWD : 0,
        });
      }
    },
  });
  project.provide('baseUrl', config.publicUrl.origin);
  project.provide('smsInboxUrl', sms.url);
  project.provide('mailInboxUrl', mail.inboxUrl);
  project.provide('demos', demos);
  project.provide('clockStartedAt', clockStartedAt);
  return async () => {
    await app.close();
    await sms.close();
    await mail.close();
    await testDatabase.drop();
  };
}
