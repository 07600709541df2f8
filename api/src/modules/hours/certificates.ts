/**
 * Certificates (志愿服务证明, rule 7): a member issues one for any period,
 * free, as often as they like; it states their approved hours and the
 * activities behind them; anyone can check it by its number.
 */
import type { Certificate, CertificateSnapshot } from '@qicai/db';
import { pgError } from '@qicai/db';
import { isAdmin, requireMember, requireOrganization } from '../../shared/access.ts';
import { recordAudit } from '../../shared/audit.ts';
import type { RequestContext } from '../../shared/context.ts';
import { FieldChecker, notFound, ValidationError } from '../../shared/errors.ts';

import { newCertificateNumber, normalizeCertificateNumber } from './certificate-number.ts';
import * as repository from './certificates-repository.ts';
import { isLocalDate, localDateAt } from '../../kernel/time.ts';

/** A number collides with an existing one about once in 10^12 issues; a few tries are plenty. */
const NUMBER_ATTEMPTS = 3;

export function verificationUrl(ctx: RequestContext, number: string): string {
  return new URL(`/verify/${encodeURIComponent(number)}`, ctx.config.publicUrl).toString();
}

export async function issueCertificate(ctx: RequestContext, input: { from: string; to: string }): Promise<Certificate> {
  const member = await requireMember(ctx);
  const organization = requireOrganization(ctx);
  const today = localDateAt(ctx.clock.now(), organization.timeZone);
  const fields = new FieldChecker()
    .check(isLocalDate(input.from), 'from', 'INVALID')
    .check(isLocalDate(input.to), 'to', 'INVALID');
  fields.throwIfAny();
  new FieldChecker()
    .check(input.from <= input.to, 'to', 'ENDS_BEFORE_START')
    .check(input.to <= today, 'to', 'IN_FUTURE')
    .throwIfAny();
  const period = { from: input.from, to: input.to };
  return ctx.tenant(async (tx) => {
    const activities = await repository.findApprovedService(tx, member.orgId, member.id, period);
    const minutes = activities.reduce((sum, activity) => sum + activity.minutes, 0);
    if (minutes === 0) throw new ValidationError({ period: 'NO_HOURS' });
    // Issued under the association's seal of the day, if it has one (kept by id: a later seal changes nothing here).
    const seal = await repository.findCurrentSeal(tx, member.orgId);
    const snapshot: CertificateSnapshot = {
      memberName: member.displayName,
      organizationName: organization.name,
      activities,
      issuedOn: today,
      ...(seal ? { seal: { id: seal.id, signerTitle: seal.signerTitle } } : {}),
    };
    for (let attempt = 1; ; attempt++) {
      const number = newCertificateNumber(Number(today.slice(0, 4)));
      try {
        // A savepoint: a colliding number fails only this statement, and the next try goes on.
        const certificate = await tx.transaction((savepoint) =>
          repository.insertCertificate(savepoint, {
            orgId: member.orgId,
            number,
            memberId: member.id,
            periodFrom: period.from,
            periodTo: period.to,
            minutes,
            snapshot,
          }),
        );
        await recordAudit(tx, ctx, member.orgId, {
          action: 'certificate.issued',
          subjectType: 'certificate',
          subjectId: certificate.id,
          detail: { number, from: period.from, to: period.to, minutes, activities: activities.length },
        });
        return certificate;
      } catch (error) {
        if (pgError(error)?.code !== '23505' || attempt >= NUMBER_ATTEMPTS) throw error;
      }
    }
  });
}

export async function myCertificates(ctx: RequestContext): Promise<Certificate[]> {
  const member = await requireMember(ctx);
  return ctx.tenant((tx) => repository.findCertificatesOfMember(tx, member.orgId, member.id));
}

/** The PDF: for the certificate's member and the organization's admins; anyone else is told it does not exist. */
export async function certificateFile(
  ctx: RequestContext,
  typedNumber: string,
): Promise<{ fileName: string; contentType: string; base64: string }> {
  const viewer = await requireMember(ctx);
  const number = normalizeCertificateNumber(typedNumber);
  const certificate = number
    ? await ctx.tenant((tx) => repository.findCertificateByNumber(tx, viewer.orgId, number))
    : undefined;
  if (!certificate || (certificate.memberId !== viewer.id && !isAdmin(viewer))) throw notFound('Certificate');
  const sealed = certificate.snapshot.seal;
  const seal = sealed ? await ctx.tenant((tx) => repository.findSealById(tx, viewer.orgId, sealed.id)) : undefined;
  // Rendering (fonts, subsetting) takes tens of milliseconds of CPU: in a worker thread.
  const pdf = await ctx.work('renderCertificatePdf', {
    number: certificate.number,
    memberName: certificate.snapshot.memberName,
    minutes: certificate.minutes,
    period: { from: certificate.periodFrom, to: certificate.periodTo },
    activities: certificate.snapshot.activities,
    organizationName: certificate.snapshot.organizationName,
    issuedOn: certificate.snapshot.issuedOn,
    verificationUrl: verificationUrl(ctx, certificate.number),
    ...(seal && sealed ? { seal: { png: seal.png, signerTitle: sealed.signerTitle } } : {}),
  });
  return { fileName: `${certificate.number}.pdf`, contentType: 'application/pdf', base64: pdf.toString('base64') };
}

/** Public: what a certificate states, by its number (typed in any form); null when there is none. */
export async function verifyCertificate(ctx: RequestContext, typedNumber: string) {
  const number = normalizeCertificateNumber(typedNumber);
  if (!number) return null;
  const found = await ctx.tenant((tx) => repository.verifyCertificateNumber(tx, number));
  if (!found) return null;
  return {
    number,
    memberName: found.member_name,
    minutes: found.minutes,
    periodFrom: found.period_from,
    periodTo: found.period_to,
    organizationName: found.organization_name,
    sealed: found.sealed,
  };
}
