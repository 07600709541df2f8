/**
 * HTTPS=self-signed: certificates for trying Qicai on phones on a LAN, where
 * the browser gives position (check-in) and the camera (QR scanning) only to
 * secure pages. Made with `selfsigned` and kept under DATA_DIR/tls: a local
 * authority (made once; the one file a phone is told to trust) and the
 * server's certificate it signs, made again when it is about to expire or
 * when the machine has a name or address it does not cover — the phone's
 * trust survives both.
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface SelfSignedCertificate {
  key: string;
  cert: string;
  /** The local authority's certificate: what a phone installs and trusts. */
  authorityFile: string;
  /** Its SHA-256 fingerprint, to compare with what the phone shows. */
  authorityFingerprint: string;
}

const DAY = 24 * 60 * 60 * 1000;
const AUTHORITY_DAYS = 10 * 365;
/** Under the 825 days iOS accepts for a server certificate. */
const SERVER_DAYS = 365;
/** Made again when fewer days than this are left. */
const RENEW_DAYS = 30;

const bare = (name: string) => name.replace(/^\[|\]$/g, '');

/** Whether `cert` is valid for another RENEW_DAYS from `now` (and, for a server's, covers every name). */
function stillGood(cert: string, now: Date, names: string[] = []): boolean {
  try {
    const x509 = new X509Certificate(cert);
    if (new Date(x509.validTo).getTime() - now.getTime() < RENEW_DAYS * DAY) return false;
    return names.every((name) =>
      isIP(bare(name)) ? x509.checkIP(bare(name)) !== undefined : x509.checkHost(name) !== undefined,
    );
  } catch {
    return false;
  }
}

function read(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/** The local authority, made if missing or expiring. */
async function authority(folder: string, now: Date): Promise<{ key: string; cert: string; file: string }> {
  const file = join(folder, 'qicai-local-ca.pem');
  const keyFile = join(folder, 'qicai-local-ca-key.pem');
  const [cert, key] = [read(file), read(keyFile)];
  if (cert && key && stillGood(cert, now)) return { key, cert, file };
  const made = await generate([{ name: 'commonName', value: 'Qicai local CA (for trying Qicai on a LAN)' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - DAY),
    notAfterDate: new Date(now.getTime() + AUTHORITY_DAYS * DAY),
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  writeFileSync(keyFile, made.private, { mode: 0o600 });
  writeFileSync(file, made.cert);
  return { key: made.private, cert: made.cert, file };
}

/** The server's certificate under `dataDir`/tls covering `names`, made (or made again) if need be. */
export async function selfSignedCertificate(
  dataDir: string,
  names: string[],
  now: Date,
): Promise<SelfSignedCertificate> {
  const folder = join(dataDir, 'tls');
  mkdirSync(folder, { recursive: true });
  const ca = await authority(folder, now);
  const authorityFingerprint = new X509Certificate(ca.cert).fingerprint256;
  const certFile = join(folder, 'qicai-server.pem');
  const keyFile = join(folder, 'qicai-server-key.pem');
  const [cert, key] = [read(certFile), read(keyFile)];
  const signedByAuthority = cert !== undefined && stillGood(cert, now, names) && signedBy(cert, ca.cert);
  if (cert && key && signedByAuthority) return { key, cert, authorityFile: ca.file, authorityFingerprint };
  const made = await generate([{ name: 'commonName', value: names[0] ?? 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - DAY),
    notAfterDate: new Date(now.getTime() + SERVER_DAYS * DAY),
    ca: { key: ca.key, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: names.map((name) =>
          isIP(bare(name)) ? { type: 7 as const, ip: bare(name) } : { type: 2 as const, value: name },
        ),
      },
    ],
  });
  writeFileSync(keyFile, made.private, { mode: 0o600 });
  writeFileSync(certFile, made.cert);
  return { key: made.private, cert: made.cert, authorityFile: ca.file, authorityFingerprint };
}

function signedBy(cert: string, authorityCert: string): boolean {
  try {
    return new X509Certificate(cert).verify(new X509Certificate(authorityCert).publicKey);
  } catch {
    return false;
  }
}
