/**
 * The association's seal (公章) on its certificates: an admin uploads it as a
 * PNG with transparency (the red of the seal over the text, as a stamp
 * leaves it) with the signing person's title (签发人, e.g. 会长); every
 * certificate issued from then on is printed with it (see certificates.ts).
 *
 * Offices keep their seal as a scan: often a JPEG renamed .png, or a PNG on
 * a white ground that would print a white square over the text. Both are
 * refused with the reason, before anything is stored.
 */
import type { CertificateSeal } from '@qicai/db';
import { crc32 } from 'node:zlib';
import { requireAdmin } from '../../shared/access.ts';
import { recordAudit } from '../../shared/audit.ts';
import type { RequestContext } from '../../shared/context.ts';
import { FieldChecker, ValidationError } from '../../shared/errors.ts';
import * as repository from './certificates-repository.ts';

/** At most 512 KB: a seal at 600 dpi is a few tens of KB; the check in migration 0035 says the same. */
export const SEAL_MAX_BYTES = 512 * 1024;
/** Pixels a side: below, a printed seal (about 4 cm) is blurred; above, a file of no use. */
export const SEAL_MIN_SIDE = 100;
export const SEAL_MAX_SIDE = 2000;
export const SIGNER_TITLE_MAX_LENGTH = 30;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Why a file is not a seal the certificates can carry: the `seal` field's code. */
export type SealProblem = 'NOT_PNG' | 'TOO_LARGE' | 'NO_TRANSPARENCY' | 'UNSUPPORTED_PNG' | 'SIZE_OUT_OF_RANGE';

/**
 * Reads a PNG's header and chunks (each chunk's CRC checked, as a damaged or
 * cut-off upload fails it): its size, or why it cannot be a seal. 8-bit,
 * non-interlaced images are what the PDF writer embeds as they are.
 */
export function inspectSealPng(bytes: Buffer): { width: number; height: number } | { problem: SealProblem } {
  if (bytes.length > SEAL_MAX_BYTES) return { problem: 'TOO_LARGE' };
  if (bytes.length < PNG_SIGNATURE.length + 25 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) {
    return { problem: 'NOT_PNG' };
  }
  let offset = 8;
  let header: { width: number; height: number; bitDepth: number; colourType: number; interlace: number } | undefined;
  let transparencyChunk = false;
  let ended = false;
  while (offset + 12 <= bytes.length && !ended) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    const end = offset + 12 + length;
    if (end > bytes.length) return { problem: 'NOT_PNG' };
    const crc = bytes.readUInt32BE(offset + 8 + length);
    if (crc32(bytes.subarray(offset + 4, offset + 8 + length)) !== crc) return { problem: 'NOT_PNG' };
    if (header === undefined && type !== 'IHDR') return { problem: 'NOT_PNG' };
    if (type === 'IHDR') {
      if (length !== 13) return { problem: 'NOT_PNG' };
      header = {
        width: bytes.readUInt32BE(offset + 8),
        height: bytes.readUInt32BE(offset + 12),
        bitDepth: bytes.readUInt8(offset + 16),
        colourType: bytes.readUInt8(offset + 17),
        interlace: bytes.readUInt8(offset + 20),
      };
    }
    if (type === 'tRNS') transparencyChunk = true;
    if (type === 'IEND') ended = true;
    offset = end;
  }
  if (!header || !ended) return { problem: 'NOT_PNG' };
  // Colour types 4 (grey + alpha) and 6 (RGBA) carry an alpha channel; a palette or RGB image, a tRNS chunk.
  const alpha = header.colourType === 4 || header.colourType === 6;
  if (!alpha && !transparencyChunk) return { problem: 'NO_TRANSPARENCY' };
  if (header.bitDepth !== 8 || header.interlace !== 0) return { problem: 'UNSUPPORTED_PNG' };
  const sides = [header.width, header.height];
  if (sides.some((side) => side < SEAL_MIN_SIDE || side > SEAL_MAX_SIDE)) return { problem: 'SIZE_OUT_OF_RANGE' };
  return { width: header.width, height: header.height };
}

/** Base64 as a browser's FileReader or `btoa` writes it, with or without a `data:image/png;base64,` prefix. */
function decodeBase64(text: string): Buffer | undefined {
  const body = text.replace(/^data:[^,]*;base64,/, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 !== 0) return undefined;
  return Buffer.from(body, 'base64');
}

/** The association's current seal, if any. Admins only. */
export async function currentSeal(ctx: RequestContext): Promise<CertificateSeal | null> {
  const admin = await requireAdmin(ctx);
  return (await ctx.tenant((tx) => repository.findCurrentSeal(tx, admin.orgId))) ?? null;
}

/**
 * Sets the seal: a new image replaces the current one (which stays, for the
 * certificates issued under it); without one, only the signer's title of the
 * current seal changes. Audited.
 */
export async function setSeal(
  ctx: RequestContext,
  input: { pngBase64?: string | null | undefined; signerTitle?: string | null | undefined },
): Promise<CertificateSeal> {
  const admin = await requireAdmin(ctx);
  const signerTitle = input.signerTitle?.trim() || null;
  const fields = new FieldChecker().check(
    (signerTitle?.length ?? 0) <= SIGNER_TITLE_MAX_LENGTH,
    'signerTitle',
    'TOO_LONG',
  );
  let image: { png: Buffer; width: number; height: number } | undefined;
  if (input.pngBase64) {
    // Base64 of more than SEAL_MAX_BYTES is not decoded at all.
    const tooLong = input.pngBase64.length > Math.ceil(SEAL_MAX_BYTES / 3) * 4 + 64;
    const png = tooLong ? undefined : decodeBase64(input.pngBase64);
    const inspected = tooLong
      ? { problem: 'TOO_LARGE' as const }
      : png
        ? inspectSealPng(png)
        : { problem: 'NOT_PNG' as const };
    if ('problem' in inspected) fields.check(false, 'seal', inspected.problem);
    else if (png) image = { png, ...inspected };
  }
  fields.throwIfAny();
  return ctx.tenant(async (tx) => {
    const current = await repository.findCurrentSeal(tx, admin.orgId);
    let seal: CertificateSeal;
    if (image) {
      if (current) await repository.retireSeal(tx, admin.orgId, current.id, ctx.clock.now());
      seal = await repository.insertSeal(tx, {
        orgId: admin.orgId,
        png: image.png,
        width: image.width,
        height: image.height,
        signerTitle,
        uploadedByMemberId: admin.id,
        uploadedAt: ctx.clock.now(),
      });
    } else {
      if (!current) throw new ValidationError({ seal: 'REQUIRED' });
      seal = await repository.updateSealTitle(tx, admin.orgId, current.id, signerTitle);
    }
    await recordAudit(tx, ctx, admin.orgId, {
      action: image ? 'certificate_seal.uploaded' : 'certificate_seal.updated',
      subjectType: 'certificate_seal',
      subjectId: seal.id,
      detail: image
        ? { fields: ['seal', 'signerTitle'], bytes: image.png.length, width: image.width, height: image.height }
        : { fields: ['signerTitle'] },
    });
    return seal;
  });
}

/** Certificates issued from now on carry no seal; those issued under it keep it. Audited. */
export async function removeSeal(ctx: RequestContext): Promise<boolean> {
  const admin = await requireAdmin(ctx);
  return ctx.tenant(async (tx) => {
    const current = await repository.findCurrentSeal(tx, admin.orgId);
    if (!current) return false;
    await repository.retireSeal(tx, admin.orgId, current.id, ctx.clock.now());
    await recordAudit(tx, ctx, admin.orgId, {
      action: 'certificate_seal.removed',
      subjectType: 'certificate_seal',
      subjectId: current.id,
    });
    return true;
  });
}
