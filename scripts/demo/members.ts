/**
 * The demo roster's personal fields: every one of the sixty members gets a
 * mobile number (the three who sign in, their accounts' numbers), a gender
 * and a few skills, so the roster, its search and its privacy have something
 * to show. Deterministic (demo.random).
 */
import { accounts, members } from '@qicai/db';
import { and, eq } from 'drizzle-orm';
import type { DomainSeed } from './domains.ts';

const SKILLS = ['急救', '法律咨询', '心理疏导', '驾驶', '医疗', '护理', '教学', '摄影', '文艺演出', '电脑维修', '手语'];

export const seedMembers: DomainSeed = async (tx, demo) => {
  const pick = <Item>(items: readonly Item[]): Item => items[Math.floor(demo.random() * items.length)] as Item;
  const signIns = [demo.admin, demo.lead, demo.member];
  const contact = new Map<string, { phone: string | null; email: string | null }>();
  for (const person of signIns) {
    const [account] = await tx
      .select({ phone: accounts.phone, email: accounts.email })
      .from(accounts)
      .where(eq(accounts.id, person.accountId));
    if (account) contact.set(person.memberId, account);
  }
  // 周丽华, 李建国, 王小红: as their names read.
  const knownGenders = new Map([
    [demo.admin.memberId, 'FEMALE' as const],
    [demo.lead.memberId, 'MALE' as const],
    [demo.member.memberId, 'FEMALE' as const],
  ]);
  for (const [index, memberId] of demo.memberIds.entries()) {
    const known = contact.get(memberId);
    const skillCount = Math.floor(demo.random() * 3);
    const skills = [...new Set(Array.from({ length: skillCount }, () => pick(SKILLS)))];
    await tx
      .update(members)
      .set({
        phone: known?.phone ?? String(13_907_300_000 + index * 37),
        email: known?.email ?? null,
        gender: knownGenders.get(memberId) ?? (demo.random() < 0.5 ? 'MALE' : 'FEMALE'),
        skills: memberId === demo.member.memberId ? ['护理', '急救'] : skills,
      })
      .where(and(eq(members.orgId, demo.orgId), eq(members.id, memberId)));
  }
};
