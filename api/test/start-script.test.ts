/**
 * `pnpm start` (scripts/start.ts) as someone trying Qicai on phones runs it
 * (issue 19): with HOST=0.0.0.0 it prints each address phones on the LAN can
 * use, with HTTPS=self-signed how to trust its certificate (the authority's
 * file and SHA-256 fingerprint), and the printed addresses answer over HTTPS
 * to a client trusting that file; on the default host it says how to open
 * it to the LAN. The web build is a stand-in (the pages are the browser
 * tests' business), so that no build runs here.
 */
import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@qicai/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lanAddresses, lanAddressesServedAt } from '../src/shared/own-addresses.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '0.0.0.0', () => {
      const address = probe.address();
      probe.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

/** GET over HTTPS trusting only `ca`; the status. */
function getTrusting(url: string, ca: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const sent = request(url, { ca }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    sent.on('error', reject);
    sent.end();
  });
}

/**
 * Runs `pnpm start`'s script with `settings` until it has printed all it
 * prints, then `whileRunning` with its output; stops it after.
 */
async function started(
  settings: Record<string, string>,
  whileRunning: (output: string) => Promise<void> = () => Promise.resolve(),
): Promise<string> {
  const environment: Record<string, string | undefined> = { ...process.env, ...settings, QICAI_DEMO: '0' };
  // Set for the tests' own processes: not what a person's shell has.
  delete environment['API_URL'];
  delete environment['NODE_ENV'];
  const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['scripts/start.ts'], {
    cwd: ROOT,
    env: environment,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let errors = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    errors += chunk;
  });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  try {
    await expect
      .poll(() => (child.exitCode === null ? output : `exited: ${output} ${errors}`), {
        timeout: 90_000,
        interval: 100,
      })
      .toContain('Stop with Ctrl+C.');
    await whileRunning(output);
    return output;
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

describe('pnpm start', () => {
  let testDatabase: TestDatabase;
  let dataDir: string;
  let webBuildDir: string;
  beforeAll(async () => {
    testDatabase = await createTestDatabase('postgres');
    dataDir = mkdtempSync(join(tmpdir(), 'qicai-start-'));
    webBuildDir = mkdtempSync(join(tmpdir(), 'qicai-web-build-'));
    // Newer than every source it would be built from: `pnpm start` builds nothing.
    writeFileSync(
      join(webBuildDir, 'handler.js'),
      `export function handler(request, response) { response.end('pages'); }\n`,
    );
  });
  afterAll(async () => {
    await testDatabase.drop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(webBuildDir, { recursive: true, force: true });
  });

  it('prints each LAN address with HOST=0.0.0.0, with HTTPS=self-signed how to trust it, and those addresses answer', async () => {
    const port = await freePort();
    const settings = {
      HOST: '0.0.0.0',
      HTTPS: 'self-signed',
      PORT: String(port),
      DATA_DIR: dataDir,
      DATABASE_URL: testDatabase.url ?? '',
      WEB_BUILD_DIR: webBuildDir,
    };
    await started(settings, async (output) => {
      expect(output).toContain(`Qicai 七彩 is running at https://localhost:${String(port)}`);
      expect(output).toContain('On this network (phones on the same Wi-Fi):');
      const printed = [...output.matchAll(/^ {4}(https:\/\/\S+)$/gm)].map((match) => match[1] ?? '');
      expect(printed).toEqual(
        [...lanAddressesServedAt('0.0.0.0'), hostname()].map((host) => `https://${host}:${String(port)}`),
      );

      // An IPv6 address is refused on 0.0.0.0: none is printed there.
      for (const address of lanAddresses().filter((lan) => lan.startsWith('[')))
        expect(output).not.toContain(`https://${address}:`);

      const authorityFile = join(dataDir, 'tls', 'qicai-local-ca.pem');
      const authority = readFileSync(authorityFile, 'utf8');
      expect(output).toContain(`authority certificate: ${authorityFile}`);
      expect(output).toContain(`SHA-256 ${new X509Certificate(authority).fingerprint256}`);
      expect(output).toMatch(/Android: .+Install a certificate › CA certificate/s);
      expect(output).toMatch(/iPhone: .+Certificate Trust Settings/s);

      // Each printed address a phone can be given (an IP address: the host name may not resolve here),
      // and the loopback one, answers over HTTPS to a client that trusts only the printed authority.
      const reachable = [`https://127.0.0.1:${String(port)}`, ...printed.filter((url) => /^https:\/\/\d/.test(url))];
      for (const url of reachable) expect(await getTrusting(`${url}/healthz`, authority), url).toBe(200);
    });
  }, 120_000);

  it('says how to open it to phones when it listens on this computer only', async () => {
    const port = await freePort();
    const output = await started({
      PORT: String(port),
      DATA_DIR: dataDir,
      DATABASE_URL: testDatabase.url ?? '',
      WEB_BUILD_DIR: webBuildDir,
    });
    expect(output).toContain(`Qicai 七彩 is running at http://localhost:${String(port)}`);
    expect(output).toContain('Only this computer can reach it: HOST=0.0.0.0 pnpm start opens it to phones on the LAN.');
    expect(output).not.toContain('On this network');
    expect(output).not.toContain('authority certificate');
  }, 120_000);
});
