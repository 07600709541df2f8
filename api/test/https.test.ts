/**
 * HTTPS=self-signed: the server answers over TLS with a certificate that a
 * client trusting only the local authority under DATA_DIR/tls accepts for the
 * machine's addresses; the certificate is kept across restarts and made again
 * for a name it does not cover, signed by the same authority.
 */
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { selfSignedCertificate } from '../src/tls.ts';
import { testClock } from './clock.ts';
import { TestApp } from './helper.ts';

/** GET over HTTPS trusting only `ca` (without it, the public authorities); the status. */
function getTrusting(url: string, ca?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const sent = request(url, ca ? { ca } : {}, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    sent.on('error', reject);
    sent.end();
  });
}

describe('HTTPS=self-signed', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'qicai-tls-'));
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves HTTPS that a client trusting the local authority accepts at 127.0.0.1 and localhost', async () => {
    const testApp = await TestApp.start({ HTTPS: 'self-signed', DATA_DIR: dataDir, HOST: '127.0.0.1' });
    try {
      expect(testApp.app.initialConfig.https).toBeTruthy();
      await testApp.app.listen({ host: '127.0.0.1', port: 0 });
      const address = testApp.app.server.address();
      if (!address || typeof address === 'string') throw new Error('no port');
      const ca = readFileSync(join(dataDir, 'tls', 'qicai-local-ca.pem'), 'utf8');
      expect(await getTrusting(`https://127.0.0.1:${address.port}/healthz`, ca)).toBe(200);
      expect(await getTrusting(`https://localhost:${address.port}/healthz`, ca)).toBe(200);
      // Without the authority, the certificate is refused (it is no public one).
      await expect(getTrusting(`https://127.0.0.1:${address.port}/healthz`)).rejects.toThrow(
        /unable to verify|self-signed|issuer/,
      );
    } finally {
      await testApp.close();
    }
  });

  it('keeps the certificate, and makes it again (same authority) for a name it does not cover', async () => {
    const names = ['localhost', '127.0.0.1', '[::1]'];
    const first = await selfSignedCertificate(dataDir, names, testClock.now());
    const again = await selfSignedCertificate(dataDir, names, testClock.now());
    expect(again.cert).toBe(first.cert);
    const moved = await selfSignedCertificate(dataDir, [...names, '192.168.31.20', 'qicai-laptop'], testClock.now());
    expect(moved.cert).not.toBe(first.cert);
    expect(moved.authorityFingerprint).toBe(first.authorityFingerprint);
    const x509 = new X509Certificate(moved.cert);
    expect(x509.checkIP('192.168.31.20')).toBe('192.168.31.20');
    expect(x509.checkHost('qicai-laptop')).toBe('qicai-laptop');
    expect(x509.checkIP('::1')).toBe('::1');
    expect(x509.verify(new X509Certificate(readFileSync(first.authorityFile, 'utf8')).publicKey)).toBe(true);
    // A year on, less than a month is left: made again.
    const later = new Date(testClock.now().getTime() + 340 * 24 * 60 * 60 * 1000);
    expect((await selfSignedCertificate(dataDir, names, later)).cert).not.toBe(moved.cert);
  });
});
