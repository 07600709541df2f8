/**
 * The one-to-one rule and sponsors' capacity under concurrency (rule 11):
 * requests fired at the same moment, and the database's own walls when the
 * service is bypassed.
 */
import { pgError, queryRows, sponsorships, withTenant } from '@qicai/db';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, expectNoErrors, TestApp, type Client } from './helper.ts';
import {
  CONFIRM,
  createSponsor,
  propose,
  PROPOSE,
  registerChild,
  sponsor,
  sponsorshipOrganization,
  type SponsorshipOrg,
} from './sponsorship-seed.ts';
import { testClock } from './clock.ts';

describe('sponsorship under concurrency', () => {
  let testApp: TestApp;
  let org: SponsorshipOrg;
  let secondAdmin: Client;

  beforeAll(async () => {
    testApp = await TestApp.start();
    org = await sponsorshipOrganization(testApp);
    secondAdmin = (await testApp.signUp({ displayName: '第二管理员' })).in(org.slug);
    await testApp.addMember(org.orgId, secondAdmin, 'ADMIN');
  });
  afterAll(async () => {
    await testApp.close();
  });

  const activeOf = (by: 'child' | 'sponsor', id: string) =>
    withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, (tx) =>
      tx
        .select({ id: sponsorships.id, sponsorId: sponsorships.sponsorId })
        .from(sponsorships)
        .where(
          and(
            eq(by === 'child' ? sponsorships.childId : sponsorships.sponsorId, id),
            eq(sponsorships.status, 'ACTIVE'),
          ),
        ),
    );

  it('two admins confirming different sponsors for one child at once: exactly one sponsorship, the other a coded error', async () => {
    const rounds = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const childId = await registerChild(org.admin);
        const first = await propose(org.admin, childId, await createSponsor(org.admin));
        const second = await propose(org.admin, childId, await createSponsor(org.admin));
        return { childId, first, second };
      }),
    );
    const results = await Promise.all(
      rounds.flatMap(({ first, second }) => [
        org.admin.gql<{ confirmSponsorship: { id: string } }>(CONFIRM, { id: first }),
        secondAdmin.gql<{ confirmSponsorship: { id: string } }>(CONFIRM, { id: second }),
      ]),
    );
    for (const [index, round] of rounds.entries()) {
      const pair = [results[2 * index], results[2 * index + 1]];
      const succeeded = pair.filter((result) => result?.data?.confirmSponsorship);
      expect(succeeded).toHaveLength(1);
      expect(pair.map((result) => (result ? errorCode(result) : 'missing')).filter(Boolean)).toEqual([
        'ALREADY_SPONSORED',
      ]);
      const active = await activeOf('child', round.childId);
      expect(active.map((row) => row.id)).toEqual([succeeded[0]?.data?.confirmSponsorship.id]);
    }
  });

  it('a sponsor offered two children cannot get a third, however many confirmations run at once', async () => {
    const sponsorId = await createSponsor(org.admin, { childrenOffered: 2 });
    const proposals = await Promise.all(
      Array.from({ length: 6 }, async () => propose(org.admin, await registerChild(org.admin), sponsorId)),
    );
    const results = await Promise.all(
      proposals.map((id, index) => (index % 2 === 0 ? org.admin : secondAdmin).gql(CONFIRM, { id })),
    );
    expect(results.filter((result) => !result.errors)).toHaveLength(2);
    expect(results.map(errorCode).filter(Boolean).sort()).toEqual(Array(4).fill('SPONSOR_FULL'));
    expect(await activeOf('sponsor', sponsorId)).toHaveLength(2);

    // Nor may a third be proposed now.
    const third = await org.admin.gql(PROPOSE, { childId: await registerChild(org.admin), sponsorId });
    expect(errorCode(third)).toBe('SPONSOR_FULL');
  });

  describe('the database’s own walls, below the service', () => {
    /** Inserts an active sponsorship directly, as the application role. */
    const insertActive = (childId: string, sponsorId: string) =>
      withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, (tx) =>
        tx.execute(
          sql`insert into sponsorships (org_id, child_id, sponsor_id, status, proposed_by, confirmed_at)
              values (${org.orgId}, ${childId}, ${sponsorId}, 'ACTIVE', ${org.adminMemberId}, ${testClock.now().toISOString()}::timestamptz)`,
        ),
      );

    it('a child never has two active sponsorships (partial unique index)', async () => {
      const childId = await registerChild(org.admin);
      await sponsor(org.admin, childId, await createSponsor(org.admin));
      const second = insertActive(childId, await createSponsor(org.admin));
      await expect(second).rejects.toSatisfy(
        (error) =>
          pgError(error)?.code === '23505' && pgError(error)?.constraint === 'sponsorships_one_active_per_child',
      );
    });

    it('a sponsor never exceeds the children offered (trigger locking the sponsor), even for inserts at the same moment', async () => {
      const sponsorId = await createSponsor(org.admin, { childrenOffered: 1 });
      const childIds = await Promise.all(Array.from({ length: 4 }, () => registerChild(org.admin)));
      const outcomes = await Promise.allSettled(childIds.map((childId) => insertActive(childId, sponsorId)));
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') {
          expect(pgError(outcome.reason)).toEqual({ code: '23514', constraint: 'sponsorships_within_capacity' });
        }
      }
      expect(await activeOf('sponsor', sponsorId)).toHaveLength(1);
    });

    it('the application role may not delete children, sponsors or sponsorships: history is kept', async () => {
      for (const table of ['children', 'sponsors', 'sponsorships', 'sponsorship_support']) {
        const remove = withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, (tx) =>
          queryRows(tx, sql`delete from ${sql.identifier(table)}`),
        );
        await expect(remove, table).rejects.toSatisfy((error) => pgError(error)?.code === '42501');
      }
    });
  });

  it('leaves every sponsor within capacity and every child with at most one active sponsorship', async () => {
    const [check] = await withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, (tx) =>
      queryRows<{ overfull: number; doubled: number }>(
        tx,
        sql`select
          (select count(*)::int from sponsors s where children_offered <
             (select count(*) from sponsorships sp where sp.sponsor_id = s.id and sp.status = 'ACTIVE')) as overfull,
          (select count(*)::int from (select child_id from sponsorships where status = 'ACTIVE'
             group by child_id having count(*) > 1) doubled) as doubled`,
      ),
    );
    expect(check).toEqual({ overfull: 0, doubled: 0 });
    expectNoErrors(await org.admin.gql(`{ openProposals { id } }`));
  });
});
