/** Certificate numbers (证明编号) and tracking codes (查询码): Crockford's base32, as people type them. */
import { describe, expect, it } from 'vitest';
import {
  CERTIFICATE_NUMBER_PREFIX,
  newCertificateNumber,
  normalizeCertificateNumber,
} from '../../src/modules/hours/certificate-number.ts';
import {
  formatTrackingCode,
  newTrackingCode,
  normalizeTrackingCode,
} from '../../src/modules/requests/tracking-codes.ts';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

describe('certificate numbers', () => {
  it('prints the year and 12 symbols in groups of four', () => {
    // Bytes 0..11 pick the first twelve symbols; the high bits of a byte are dropped.
    const bytes = Uint8Array.from([7, 19, 23, 2, 20, 9, 29, 13, 4, 26, 22, 10]);
    expect(newCertificateNumber(2026, () => bytes)).toBe('QC-2026-7KQ2-M9XD-4TPA');
    const high = Uint8Array.from(bytes, (byte) => byte | 0xe0);
    expect(newCertificateNumber(2026, () => high)).toBe('QC-2026-7KQ2-M9XD-4TPA');
    expect(newCertificateNumber(2027, (size) => new Uint8Array(size).fill(31))).toBe('QC-2027-ZZZZ-ZZZZ-ZZZZ');
  });

  it('asks for 12 random bytes', () => {
    const sizes: number[] = [];
    newCertificateNumber(2026, (size) => {
      sizes.push(size);
      return new Uint8Array(size);
    });
    expect(sizes).toEqual([12]);
  });

  it('draws from the operating system by default', () => {
    const number = newCertificateNumber(2026);
    expect(number).toMatch(/^QC-2026-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(normalizeCertificateNumber(number)).toBe(number);
    expect(CERTIFICATE_NUMBER_PREFIX).toBe('QC');
  });

  it('reads a number as typed: any case, spaces, hyphens and dashes, I and L as 1, O as 0', () => {
    const printed = 'QC-2026-7KQ2-M9XD-4TP1';
    expect(normalizeCertificateNumber(printed)).toBe(printed);
    expect(normalizeCertificateNumber('qc-2026-7kq2-m9xd-4tp1')).toBe(printed);
    expect(normalizeCertificateNumber('QC20267KQ2M9XD4TP1')).toBe(printed);
    expect(normalizeCertificateNumber(' QC 2026 7KQ2 M9XD 4TPI ')).toBe(printed);
    expect(normalizeCertificateNumber('QC–2026—7KQ2‐M9XD‑4TPL')).toBe(printed);
    expect(normalizeCertificateNumber('QC_2026.7KQ2.M9XD.4TPl')).toBe(printed);
    expect(normalizeCertificateNumber('QC-2026-7KQ2-M9XD-4TPA\u3000')).toBe('QC-2026-7KQ2-M9XD-4TPA');
    expect(normalizeCertificateNumber('QC-2026-OKQ2-M9XD-4TPA')).toBe('QC-2026-0KQ2-M9XD-4TPA');
  });

  it('refuses what cannot be a number', () => {
    expect(normalizeCertificateNumber('')).toBeNull();
    expect(normalizeCertificateNumber('0C-2026-7KQ2-M9XD-4TPA')).toBeNull();
    expect(normalizeCertificateNumber('QC-2026-7KQ2-M9XD-4TP')).toBeNull();
    expect(normalizeCertificateNumber('QC-2026-7KQ2-M9XD-4TPAA')).toBeNull();
    expect(normalizeCertificateNumber('QC-226-7KQ2-M9XD-4TPA')).toBeNull();
    expect(normalizeCertificateNumber('QC-2026-7KQ2-M9XD-4TPU')).toBeNull();
    expect(normalizeCertificateNumber('XQC-2026-7KQ2-M9XD-4TPA')).toBeNull();
    expect(normalizeCertificateNumber('QC-2026-7KQ2-M9XD-4TP*')).toBeNull();
    expect(normalizeCertificateNumber('QC/2026/7KQ2/M9XD/4TPA')).toBeNull();
  });
});

describe('tracking codes', () => {
  it('are ten symbols of Crockford’s base32, fresh each time', () => {
    const codes = Array.from({ length: 20 }, () => newTrackingCode());
    for (const code of codes) {
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/);
      expect(normalizeTrackingCode(code)).toBe(code);
    }
    expect(new Set(codes).size).toBe(20);
  });

  it('read as typed: any case, spaces and hyphens, I and L as 1, O as 0', () => {
    expect(normalizeTrackingCode('K7M2Q9XD3F')).toBe('K7M2Q9XD3F');
    expect(normalizeTrackingCode('k7m2q-9xd3f')).toBe('K7M2Q9XD3F');
    expect(normalizeTrackingCode(' K7M2Q 9XD3F ')).toBe('K7M2Q9XD3F');
    expect(normalizeTrackingCode('K7M2Q\u30009XD3F')).toBe('K7M2Q9XD3F');
    expect(normalizeTrackingCode('KIMLQ-9XDOF')).toBe('K1M1Q9XD0F');
    expect(normalizeTrackingCode('kimlq-9xdof')).toBe('K1M1Q9XD0F');
  });

  it('refuse what cannot be a code', () => {
    expect(normalizeTrackingCode('')).toBeNull();
    expect(normalizeTrackingCode('K7M2Q-9XD3')).toBeNull();
    expect(normalizeTrackingCode('K7M2Q-9XD3FF')).toBeNull();
    expect(normalizeTrackingCode('K7M2Q-9XD3U')).toBeNull();
    expect(normalizeTrackingCode('K7M2Q_9XD3F')).toBeNull();
    expect(normalizeTrackingCode('xK7M2Q9XD3F')).toBeNull();
    expect(normalizeTrackingCode('K7M2Q9XD3Fx')).toBeNull();
  });

  it('show as two groups of five', () => {
    expect(formatTrackingCode('K7M2Q9XD3F')).toBe('K7M2Q-9XD3F');
  });

  it('use every symbol of the alphabet, and no other', () => {
    const seen = new Set(Array.from({ length: 200 }, () => newTrackingCode()).join(''));
    expect([...seen].every((symbol) => CROCKFORD.includes(symbol))).toBe(true);
    expect(seen.size).toBeGreaterThan(28);
  });
});
