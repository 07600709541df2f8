/**
 * The association's seal (公章) on certificates: an admin uploads it (a PNG
 * with transparency) with the signer's title; certificates issued from then
 * on carry it — the very image, found among the PDF's images — and still
 * verify, saying they are sealed. Files offices really have are refused with
 * the reason; a certificate keeps the seal it was issued under.
 */
import { auditLog, withTenant } from '@qicai/db';
import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityOrganization, errorOf, type ActivityOrganization } from './activities-seed.ts';
import { CERTIFICATE_FILE, ISSUE_CERTIFICATE, serviceRecord, type IssuedCertificate } from './certificates-seed.ts';
import { testClock } from './clock.ts';
import { errorCode, expectNoErrors, TestApp, type Client } from './helper.ts';
import { pdfImages } from './pdf-images.ts';
import { pdfText } from './pdf-text.ts';
import { jpegNamedPng, sealPng } from './seal-png.ts';

const SET_SEAL = `mutation ($input: SetCertificateSealInput!) {
  setCertificateSeal(input: $input) { id width height signerTitle pngBase64 } }`;
const REMOVE_SEAL = `mutation { removeCertificateSeal }`;
const CURRENT_SEAL = `{ certificateSeal { id width height signerTitle } }`;
const VERIFY = `query ($number: String!) { verifyCertificate(number: $number) { number memberName minutes sealed } }`;

let testApp: TestApp;
let org: ActivityOrganization;
let member: Client;
const year = testClock.now().getUTCFullYear() - 1;

async function issueIn(month: string): Promise<IssuedCertificate> {
  const result = await member.gql<{ issueCertificate: IssuedCertificate }>(ISSUE_CERTIFICATE, {
    input: { from: `${year}-${month}-01`, to: `${year}-${month}-28` },
  });
  expectNoErrors(result);
  if (!result.data) throw new Error('no certificate');
  return result.data.issueCertificate;
}

async function pdfOf(client: Client, number: string): Promise<Buffer> {
  const result = await client.gql<{ certificateFile: { base64: string } }>(CERTIFICATE_FILE, { number });
  expectNoErrors(result);
  return Buffer.from(result.data?.certificateFile.base64 ?? '', 'base64');
}

async function verify(number: string) {
  const result = await testApp
    .anonymous()
    .gql<{ verifyCertificate: { memberName: string; sealed: boolean } | null }>(VERIFY, { number });
  expectNoErrors(result);
  return result.data?.verifyCertificate;
}

beforeAll(async () => {
  testApp = await TestApp.start();
  org = await activityOrganization(testApp, 1);
  const [first] = org.members;
  if (!first) throw new Error('no member');
  member = first.client;
  // Approved service in each of four months: one certificate a month.
  for (const [index, month] of ['03', '04', '05', '06'].entries()) {
    await serviceRecord(testApp, org.orgId, {
      memberId: first.memberId,
      teamId: org.teams['RED'],
      date: `${year}-${month}-1${index}`,
      minutes: 120,
      activityName: '送党课下乡',
    });
  }
});
afterAll(async () => {
  await testApp.close();
});

describe('the seal on certificates', () => {
  it('is printed on a certificate issued after it is set — the same image, with its transparency — which still verifies, as sealed', async () => {
    const unsealed = await issueIn('03');
    const seal = sealPng({ size: 240 });
    const set = await org.admin.gql<{ setCertificateSeal: { width: number; height: number; signerTitle: string } }>(
      SET_SEAL,
      { input: { pngBase64: `data:image/png;base64,${seal.png.toString('base64')}`, signerTitle: ' 会长 ' } },
    );
    expectNoErrors(set);
    expect(set.data?.setCertificateSeal).toMatchObject({ width: 240, height: 240, signerTitle: '会长' });

    const sealed = await issueIn('04');
    const pdf = await pdfOf(member, sealed.number);
    const images = pdfImages(pdf);
    const printed = images.find((image) => image.width === 240 && image.height === 240 && image.softMask !== null);
    expect(printed, 'the seal among the PDF images').toBeDefined();
    expect(printed?.samples.equals(seal.rgb)).toBe(true);
    const mask = images.find((image) => image.object === printed?.softMask);
    // The alpha channel: transparent around the ring, inked on it.
    expect(mask?.samples.length).toBe(240 * 240);
    expect(mask?.samples[0]).toBe(0);
    expect(mask?.samples.includes(0xe6)).toBe(true);
    const { text } = await pdfText(pdf);
    expect(text).toContain('签发人 Signed by：会长');
    expect(text).toContain(sealed.number);

    expect(await verify(sealed.number)).toMatchObject({ memberName: sealed.member.displayName, sealed: true });
    // Issued before the seal: printed as it was, and verified as unsealed.
    expect(pdfImages(await pdfOf(member, unsealed.number))).toEqual([]);
    expect(await verify(unsealed.number)).toMatchObject({ sealed: false });
    // The admin prints it too.
    expect(pdfImages(await pdfOf(org.admin, sealed.number)).some((image) => image.width === 240)).toBe(true);
  });

  it('refuses what offices keep as a seal but a certificate cannot carry, with the reason, keeping the seal set', async () => {
    const before = await org.admin.gql<{ certificateSeal: { id: string } | null }>(CURRENT_SEAL);
    const refusal = async (pngBase64: string, signerTitle?: string) =>
      errorOf(await org.admin.gql(SET_SEAL, { input: { pngBase64, signerTitle } }))?.['fields'];
    const base64 = (bytes: Buffer) => bytes.toString('base64');
    const scan = sealPng({ ground: 'white' });
    expect(await refusal(base64(jpegNamedPng))).toEqual({ seal: 'NOT_PNG' });
    expect(await refusal(base64(scan.png))).toEqual({ seal: 'NO_TRANSPARENCY' });
    // Cut off in transit: the chunks' checksums fail.
    const whole = sealPng().png;
    expect(await refusal(base64(whole.subarray(0, Math.floor(whole.length / 2))))).toEqual({ seal: 'NOT_PNG' });
    expect(await refusal('这不是图片')).toEqual({ seal: 'NOT_PNG' });
    expect(await refusal(base64(sealPng({ size: 60 }).png))).toEqual({ seal: 'SIZE_OUT_OF_RANGE' });
    // Over 512 KB (a PNG with 600 KB after its end): refused before it is read.
    expect(await refusal(base64(Buffer.concat([whole, Buffer.alloc(600 * 1024)])))).toEqual({ seal: 'TOO_LARGE' });
    expect(
      await refusal(base64(whole), '岳阳县七彩之光志愿者协会会长兼秘书长兼理事会常务副理事长兼党支部书记'),
    ).toEqual({
      signerTitle: 'TOO_LONG',
    });
    const after = await org.admin.gql<{ certificateSeal: { id: string } | null }>(CURRENT_SEAL);
    expect(after.data?.certificateSeal?.id).toBe(before.data?.certificateSeal?.id);
  });

  it('is set by admins only, and no other association sees it', async () => {
    const seal = base64Seal();
    expect(errorCode(await member.gql(SET_SEAL, { input: { pngBase64: seal } }))).toBe('FORBIDDEN');
    expect(errorCode(await member.gql(CURRENT_SEAL))).toBe('FORBIDDEN');
    expect(errorCode(await member.gql(REMOVE_SEAL))).toBe('FORBIDDEN');
    const other = await activityOrganization(testApp, 0);
    const theirs = await other.admin.gql<{ certificateSeal: unknown }>(CURRENT_SEAL);
    expectNoErrors(theirs);
    expect(theirs.data?.certificateSeal).toBeNull();
  });

  it('is kept by the certificates issued under it when replaced or removed, and every change is audited', async () => {
    const underFirst = await issueIn('05');
    const firstImages = pdfImages(await pdfOf(member, underFirst.number));
    const replacement = sealPng({ size: 300 });
    expectNoErrors(
      await org.admin.gql(SET_SEAL, {
        input: { pngBase64: replacement.png.toString('base64'), signerTitle: '理事长' },
      }),
    );
    // A new seal: certificates issued before print the old one, unchanged.
    expect(pdfImages(await pdfOf(member, underFirst.number))).toEqual(firstImages);
    // Only the title: the image stays.
    const retitled = await org.admin.gql<{ setCertificateSeal: { width: number; signerTitle: string } }>(SET_SEAL, {
      input: { signerTitle: '秘书长' },
    });
    expect(retitled.data?.setCertificateSeal).toMatchObject({ width: 300, signerTitle: '秘书长' });
    const removed = await org.admin.gql<{ removeCertificateSeal: boolean }>(REMOVE_SEAL);
    expect(removed.data?.removeCertificateSeal).toBe(true);
    expect((await org.admin.gql<{ removeCertificateSeal: boolean }>(REMOVE_SEAL)).data?.removeCertificateSeal).toBe(
      false,
    );
    expect((await org.admin.gql<{ certificateSeal: unknown }>(CURRENT_SEAL)).data?.certificateSeal).toBeNull();
    expect(pdfImages(await pdfOf(member, underFirst.number))).toEqual(firstImages);
    expect(await verify(underFirst.number)).toMatchObject({ sealed: true });
    const afterRemoval = await issueIn('06');
    expect(pdfImages(await pdfOf(member, afterRemoval.number))).toEqual([]);
    expect(await verify(afterRemoval.number)).toMatchObject({ sealed: false });
    // A title alone needs a seal to go with.
    expect(errorOf(await org.admin.gql(SET_SEAL, { input: { signerTitle: '会长' } }))?.['fields']).toEqual({
      seal: 'REQUIRED',
    });

    const audited = await withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, (tx) =>
      tx
        .select({ action: auditLog.action, detail: auditLog.detail })
        .from(auditLog)
        .where(and(eq(auditLog.orgId, org.orgId), like(auditLog.action, 'certificate_seal.%'))),
    );
    expect(audited.map((entry) => entry.action).sort()).toEqual([
      'certificate_seal.removed',
      'certificate_seal.updated',
      'certificate_seal.uploaded',
      'certificate_seal.uploaded',
    ]);
    // Field names and sizes, never the image.
    expect(JSON.stringify(audited)).not.toContain(replacement.png.toString('base64').slice(0, 40));
  });
});

function base64Seal(): string {
  return sealPng().png.toString('base64');
}
