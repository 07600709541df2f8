import { describe, expect, it } from 'vitest';
import { formatHours } from '../src/kernel/hours.ts';
import { renderCertificatePdf, serviceRows, type CertificateContent } from '../src/modules/hours/certificate-pdf.ts';
import { newCertificateNumber, normalizeCertificateNumber } from '../src/modules/hours/certificate-number.ts';
import { pdfText } from './pdf-text.ts';

const content: CertificateContent = {
  number: 'QC-2026-7KQ2-M9XD-4TPA',
  memberName: '欧阳晓燕',
  minutes: 750,
  period: { from: '2026-01-01', to: '2026-06-30' },
  activities: [
    { name: '送党课下乡', date: '2026-03-05', minutes: 300 },
    { name: '关爱留守儿童暑期课堂', date: '2026-05-12', minutes: 450 },
  ],
  organizationName: '岳阳县七彩之光志愿者协会',
  issuedOn: '2026-11-26',
  verificationUrl: 'https://qicai.example/verify/QC-2026-7KQ2-M9XD-4TPA',
};

describe('the certificate PDF', () => {
  it('states the Chinese name, hours, activities, issuer and number as extractable text', async () => {
    const pdf = await renderCertificatePdf(content);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const { pages, text } = await pdfText(pdf);
    expect(pages).toBe(1);
    expect(text).toContain('志愿服务证明');
    expect(text).toContain('欧阳晓燕');
    expect(text).toContain('累计志愿服务时长 12.5 小时');
    expect(text).toContain('送党课下乡');
    expect(text).toContain('关爱留守儿童暑期课堂');
    expect(text).toContain('岳阳县七彩之光志愿者协会');
    expect(text).toContain('QC-2026-7KQ2-M9XD-4TPA');
    expect(text).toContain('2026年11月26日');
  });

  it('embeds only a subset of the CJK font, so a certificate stays small', async () => {
    const pdf = await renderCertificatePdf(content);
    // The font files are 8 MB each; the subsets of the few dozen characters used are tens of KB.
    expect(pdf.length).toBeLessThan(300_000);
    expect(pdf.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansHans-Regular/);
  });

  it('prints the same file each time for the same certificate', async () => {
    const [first, second] = await Promise.all([renderCertificatePdf(content), renderCertificatePdf(content)]);
    expect(first.equals(second)).toBe(true);
  });

  it('summarises many activities by month, and keeps the total', async () => {
    const activities = Array.from({ length: 40 }, (_, index) => ({
      name: `活动${index}`,
      date: `2026-${String((index % 6) + 1).padStart(2, '0')}-10`,
      minutes: 60,
    }));
    expect(serviceRows(activities, 12).kind).toBe('MONTHS');
    expect(serviceRows(activities, 12).rows.map((row) => row.cells[0])).toEqual([
      '2026-01',
      '2026-02',
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
    ]);
    const { text } = await pdfText(await renderCertificatePdf({ ...content, minutes: 2400, activities }));
    expect(text).toContain('服务记录汇总');
    expect(text).toContain('累计志愿服务时长 40 小时（共 40 次）');
    expect(text).not.toContain('活动39');
  });
});

describe('hours on a certificate', () => {
  it('are minutes over 60 with at most two decimals', () => {
    expect(formatHours(750, 'zh')).toBe('12.5');
    expect(formatHours(60, 'zh')).toBe('1');
    expect(formatHours(745, 'zh')).toBe('12.42');
    expect(formatHours(0, 'zh')).toBe('0');
  });
});

describe('certificate numbers', () => {
  it('are QC, the year and 12 Crockford base32 characters', () => {
    const number = newCertificateNumber(2026);
    expect(number).toMatch(/^QC-2026-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
  });

  it('do not repeat', () => {
    const numbers = new Set(Array.from({ length: 10_000 }, () => newCertificateNumber(2026)));
    expect(numbers.size).toBe(10_000);
  });

  it('use every symbol of the alphabet evenly', () => {
    const counts = new Map<string, number>();
    for (let index = 0; index < 2_000; index++) {
      for (const symbol of newCertificateNumber(2026).slice(8).replace(/-/g, '')) {
        counts.set(symbol, (counts.get(symbol) ?? 0) + 1);
      }
    }
    expect(counts.size).toBe(32);
    // 24,000 symbols over 32: 750 each expected; a skewed draw would be far off.
    for (const count of counts.values()) expect(Math.abs(count - 750)).toBeLessThan(150);
  });

  it('are read back however they were typed', () => {
    expect(normalizeCertificateNumber('qc-2026-7kq2-m9xd-4tpa')).toBe('QC-2026-7KQ2-M9XD-4TPA');
    expect(normalizeCertificateNumber(' QC 2026 7KQ2 M9XD 4TPA ')).toBe('QC-2026-7KQ2-M9XD-4TPA');
    expect(normalizeCertificateNumber('QC20267KQ2M9XD4TPA')).toBe('QC-2026-7KQ2-M9XD-4TPA');
    // I and L read as 1, O as 0.
    expect(normalizeCertificateNumber('QC-2026-7KQ2-M9XD-4TPO')).toBe('QC-2026-7KQ2-M9XD-4TP0');
    expect(normalizeCertificateNumber('QC-2026-IKQ2-M9XD-4TPL')).toBe('QC-2026-1KQ2-M9XD-4TP1');
    expect(normalizeCertificateNumber('QC-2026-7KQ2-M9XD')).toBeNull();
    expect(normalizeCertificateNumber('QC-2026-7KQ2-M9XD-4TPU')).toBeNull();
    expect(normalizeCertificateNumber("QC-2026-7KQ2-M9XD-4TPA' OR 1=1")).toBeNull();
  });
});
