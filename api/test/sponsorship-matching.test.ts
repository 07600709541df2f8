/**
 * Matching (rule 13): the assignment algorithm against brute force and a
 * planted answer, and the suggestions through the API — ranked with reasons,
 * never against a sponsor's hard preferences, never beyond their places, and
 * as many pairs as can be made.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  maximumWeightMaximumMatching,
  suggestBatch,
  type AssignmentEdge,
  type MatchChild,
  type MatchSponsor,
} from '../src/modules/sponsorship/matching.ts';
import { expectNoErrors, TestApp } from './helper.ts';
import {
  bornYearsAgo,
  createSponsor,
  propose,
  registerChild,
  sponsor,
  sponsorshipOrganization,
  type SponsorshipOrg,
} from './sponsorship-seed.ts';

/** mulberry32: the same cases on every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The best (pairs, weight) by trying every assignment. */
function bruteForce(leftCount: number, capacities: number[], edges: AssignmentEdge[]): [number, number] {
  let best: [number, number] = [0, 0];
  const used = capacities.map(() => 0);
  const visit = (left: number, pairs: number, weight: number): void => {
    if (left === leftCount) {
      if (pairs > best[0] || (pairs === best[0] && weight > best[1])) best = [pairs, weight];
      return;
    }
    visit(left + 1, pairs, weight);
    for (const edge of edges.filter((candidate) => candidate.left === left)) {
      if ((used[edge.right] ?? 0) >= (capacities[edge.right] ?? 0)) continue;
      used[edge.right] = (used[edge.right] ?? 0) + 1;
      visit(left + 1, pairs + 1, weight + edge.weight);
      used[edge.right] = (used[edge.right] ?? 0) - 1;
    }
  };
  visit(0, 0, 0);
  return best;
}

function checkAssignment(leftCount: number, capacities: number[], edges: AssignmentEdge[], chosen: AssignmentEdge[]) {
  const lefts = new Set(chosen.map((edge) => edge.left));
  expect(lefts.size).toBe(chosen.length);
  capacities.forEach((capacity, right) => {
    expect(chosen.filter((edge) => edge.right === right).length).toBeLessThanOrEqual(capacity);
  });
  for (const edge of chosen) expect(edges).toContain(edge);
  expect(lefts.size).toBeLessThanOrEqual(leftCount);
}

describe('the assignment algorithm', () => {
  it('finds the most pairs, and among them the greatest fit, on 300 random cases checked by brute force', () => {
    const random = seeded(13);
    for (let round = 0; round < 300; round++) {
      const leftCount = 1 + Math.floor(random() * 7);
      const capacities = Array.from({ length: 1 + Math.floor(random() * 4) }, () => Math.floor(random() * 3));
      const edges: AssignmentEdge[] = [];
      for (let left = 0; left < leftCount; left++) {
        capacities.forEach((_capacity, right) => {
          if (random() < 0.45) edges.push({ left, right, weight: Math.floor(random() * 100) });
        });
      }
      const chosen = maximumWeightMaximumMatching(leftCount, capacities, edges, 100);
      checkAssignment(leftCount, capacities, edges, chosen);
      const total = chosen.reduce((sum, edge) => sum + edge.weight, 0);
      expect([chosen.length, total], JSON.stringify({ leftCount, capacities, edges })).toEqual(
        bruteForce(leftCount, capacities, edges),
      );
    }
  });

  it('is not greedy: a tempting pair that would leave a child out is given up', () => {
    // Child 0 fits sponsor 0 best but child 1 can take only sponsor 0; sponsor 1 takes child 0.
    const edges = [
      { left: 0, right: 0, weight: 90 },
      { left: 0, right: 1, weight: 10 },
      { left: 1, right: 0, weight: 20 },
    ];
    const chosen = maximumWeightMaximumMatching(2, [1, 1], edges, 100);
    expect(chosen).toEqual([edges[1], edges[2]]);
  });

  it('pairs every child of a generated case with a planted full assignment, behind lures of better fit', () => {
    const random = seeded(2018);
    const children = 120;
    const capacities = Array.from({ length: 40 }, () => 0);
    const edges: AssignmentEdge[] = [];
    for (let left = 0; left < children; left++) {
      // The planted assignment (low fit), and lures: better-fitting sponsors whose places the others need.
      const planted = left % capacities.length;
      capacities[planted] = (capacities[planted] ?? 0) + 1;
      edges.push({ left, right: planted, weight: Math.floor(random() * 10) });
      for (let extra = 0; extra < 3; extra++) {
        const right = Math.floor(random() * 5);
        if (right !== planted) edges.push({ left, right, weight: 50 + Math.floor(random() * 50) });
      }
    }
    const chosen = maximumWeightMaximumMatching(children, capacities, edges, 100);
    checkAssignment(children, capacities, edges, chosen);
    expect(chosen).toHaveLength(children);
  });

  it('never pairs against hard preferences or beyond free places', () => {
    const random = seeded(7);
    const townships = ['新墙镇', '筻口镇', '荣家湾镇', '黄沙街镇'];
    const kids: MatchChild[] = Array.from({ length: 80 }, (_, index) => ({
      id: `c${index}`,
      gender: random() < 0.5 ? 'FEMALE' : 'MALE',
      age: 4 + Math.floor(random() * 13),
      township: townships[Math.floor(random() * townships.length)] ?? '',
      circumstances: random() < 0.3 ? ['ORPHANED'] : ['LEFT_BEHIND', 'POVERTY'],
      waitingDays: Math.floor(random() * 400),
    }));
    const sponsors: MatchSponsor[] = Array.from({ length: 30 }, (_, index) => {
      const ageMin = random() < 0.5 ? 6 + Math.floor(random() * 4) : null;
      return {
        id: `s${index}`,
        township: random() < 0.5 ? (townships[index % townships.length] ?? null) : null,
        preferredTownships: random() < 0.4 ? [townships[Math.floor(random() * townships.length)] ?? ''] : [],
        preferredAgeMin: ageMin,
        preferredAgeMax: ageMin === null ? null : ageMin + 4,
        preferredGender: random() < 0.3 ? 'FEMALE' : null,
        prefersGreatestNeed: random() < 0.3,
        childrenOffered: 1 + Math.floor(random() * 3),
        activeCount: 0,
        proposedCount: random() < 0.2 ? 1 : 0,
      };
    });
    const pairs = suggestBatch(kids, sponsors);
    expect(pairs.length).toBeGreaterThan(20);
    for (const pair of pairs) {
      const { child, sponsor: chosen } = pair;
      if (chosen.preferredTownships.length > 0) expect(chosen.preferredTownships).toContain(child.township);
      if (chosen.preferredGender) expect(child.gender).toBe(chosen.preferredGender);
      if (chosen.preferredAgeMin !== null) expect(child.age).toBeGreaterThanOrEqual(chosen.preferredAgeMin);
      if (chosen.preferredAgeMax !== null) expect(child.age).toBeLessThanOrEqual(chosen.preferredAgeMax);
    }
    for (const candidate of sponsors) {
      const taken = pairs.filter((pair) => pair.sponsor.id === candidate.id).length;
      expect(taken).toBeLessThanOrEqual(candidate.childrenOffered - candidate.activeCount - candidate.proposedCount);
    }
  });
});

describe('suggestions through the API', () => {
  let testApp: TestApp;
  let org: SponsorshipOrg;

  beforeAll(async () => {
    testApp = await TestApp.start();
    org = await sponsorshipOrganization(testApp);
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('ranks sponsors for a child with the reasons, leaving out those it may not have', async () => {
    const childId = await registerChild(org.admin, {
      gender: 'FEMALE',
      dateOfBirth: bornYearsAgo(10),
      township: '新墙镇',
    });
    const near = await createSponsor(org.admin, {
      name: '新墙镇党委',
      township: '新墙镇',
      preferredAgeMin: 8,
      preferredAgeMax: 12,
      childrenOffered: 2,
    });
    const anywhere = await createSponsor(org.admin, { name: '县城企业', township: '荣家湾镇' });
    await createSponsor(org.admin, { name: '只要男孩', preferredGender: 'MALE', township: '新墙镇' });
    await createSponsor(org.admin, { name: '只要筻口', preferredTownships: ['筻口镇'] });
    const full = await createSponsor(org.admin, { name: '已满', township: '新墙镇' });
    await sponsor(org.admin, await registerChild(org.admin), full);
    await createSponsor(org.admin, { name: '已停', township: '新墙镇', active: false });

    const result = await org.admin.gql<{
      sponsorSuggestions: { sponsor: { id: string }; fit: number; reasons: Record<string, unknown>[] }[];
    }>(
      `query ($id: ID!) { sponsorSuggestions(childId: $id) { sponsor { id } fit
        reasons { code township ageMin ageMax gender circumstances waitingDays placesFree placesOffered } } }`,
      { id: childId },
    );
    expectNoErrors(result);
    const suggestions = result.data?.sponsorSuggestions ?? [];
    expect(suggestions.map((suggestion) => suggestion.sponsor.id)).toEqual([near, anywhere]);
    const codes = (index: number) => suggestions[index]?.reasons.map((reason) => reason.code);
    expect(codes(0)).toEqual(['SAME_TOWNSHIP', 'PREFERRED_AGE', 'HAS_CAPACITY']);
    expect(suggestions[0]?.reasons[0]).toMatchObject({ code: 'SAME_TOWNSHIP', township: '新墙镇' });
    expect(suggestions[0]?.reasons[1]).toMatchObject({ ageMin: 8, ageMax: 12 });
    expect(suggestions[0]?.reasons[2]).toMatchObject({ placesFree: 2, placesOffered: 2 });
    expect(codes(1)).toEqual(['HAS_CAPACITY']);

    // Proposed: that sponsor is not suggested again, and holds the place in the other's ranking.
    await propose(org.admin, childId, near);
    const after = await org.admin.gql<{ sponsorSuggestions: { sponsor: { id: string } }[] }>(
      `query ($id: ID!) { sponsorSuggestions(childId: $id) { sponsor { id } } }`,
      { id: childId },
    );
    expect(after.data?.sponsorSuggestions.map((suggestion) => suggestion.sponsor.id)).toEqual([anywhere]);
  });

  it('ranks children for a sponsor who asked for the greatest need, hardest circumstances first', async () => {
    const local = await sponsorshipOrganization(testApp, '需要测试协会');
    const poor = await registerChild(local.admin, { circumstances: ['POVERTY'] });
    const orphan = await registerChild(local.admin, { circumstances: ['ORPHANED', 'DISABILITY'] });
    const leftBehind = await registerChild(local.admin, { circumstances: ['LEFT_BEHIND', 'POVERTY'] });
    const sponsorId = await createSponsor(local.admin, { prefersGreatestNeed: true, childrenOffered: 3 });
    const result = await local.admin.gql<{
      childSuggestions: { child: { id: string }; reasons: { code: string; circumstances: string[] | null }[] }[];
    }>(`query ($id: ID!) { childSuggestions(sponsorId: $id) { child { id } reasons { code circumstances } } }`, {
      id: sponsorId,
    });
    expectNoErrors(result);
    const ranked = result.data?.childSuggestions ?? [];
    expect(ranked.map((suggestion) => suggestion.child.id)).toEqual([orphan, leftBehind, poor]);
    expect(ranked[0]?.reasons[0]).toEqual({ code: 'GREATEST_NEED', circumstances: ['ORPHANED', 'DISABILITY'] });
  });

  it('the batch pairs as many waiting children as can be, within preferences and places, on a generated case with a known best', async () => {
    const local = await sponsorshipOrganization(testApp, '批量测试协会');
    type Kid = { id: string; township: string; gender: 'FEMALE' | 'MALE'; age: number };
    const kids: Kid[] = [];
    const addChildren = async (count: number, township: string, gender: 'FEMALE' | 'MALE', age: number) => {
      for (let i = 0; i < count; i++) {
        const id = await registerChild(local.admin, { township, gender, dateOfBirth: bornYearsAgo(age) });
        kids.push({ id, township, gender, age });
      }
    };
    // 筻口镇: five children, but only two places that take them there, plus the one place that takes anyone.
    await addChildren(5, '筻口镇', 'MALE', 9);
    // 新墙镇: four children aged 9 (for the sponsor of ages 6–12) and one aged 15 (only the open place takes them).
    await addChildren(4, '新墙镇', 'FEMALE', 9);
    await addChildren(1, '新墙镇', 'FEMALE', 15);
    // 月田镇: three girls for the sponsor who wants girls there.
    await addChildren(3, '月田镇', 'FEMALE', 11);
    // A boy of 月田镇 whom only the open place would take.
    await addChildren(1, '月田镇', 'MALE', 11);

    const sponsors = {
      gangkou: await createSponsor(local.admin, { preferredTownships: ['筻口镇'], childrenOffered: 2 }),
      xinqiang: await createSponsor(local.admin, {
        preferredTownships: ['新墙镇'],
        preferredAgeMin: 6,
        preferredAgeMax: 12,
        childrenOffered: 4,
      }),
      yuetian: await createSponsor(local.admin, {
        preferredTownships: ['月田镇'],
        preferredGender: 'FEMALE',
        childrenOffered: 3,
      }),
      // The open place lures 新墙镇's children (same township): greedily it would go to one who has another.
      open: await createSponsor(local.admin, { township: '新墙镇', childrenOffered: 1 }),
      // A sponsor already full takes nobody.
      full: await createSponsor(local.admin, { childrenOffered: 1 }),
    };
    await sponsor(local.admin, await registerChild(local.admin), sponsors.full);
    const prefs: Record<
      string,
      { townships: string[]; gender?: string; ageMin?: number; ageMax?: number; places: number }
    > = {
      [sponsors.gangkou]: { townships: ['筻口镇'], places: 2 },
      [sponsors.xinqiang]: { townships: ['新墙镇'], ageMin: 6, ageMax: 12, places: 4 },
      [sponsors.yuetian]: { townships: ['月田镇'], gender: 'FEMALE', places: 3 },
      [sponsors.open]: { townships: [], places: 1 },
      [sponsors.full]: { townships: [], places: 0 },
    };
    // Best: 筻口 2 + 新墙 4 + 月田 3 + the open place 1 = 10 of 15 waiting.
    const known = 10;

    const result = await local.admin.gql<{
      batchSuggestion: {
        waitingChildren: number;
        freePlaces: number;
        pairs: { child: { id: string }; sponsor: { id: string }; fit: number; reasons: { code: string }[] }[];
      };
    }>(`{ batchSuggestion { waitingChildren freePlaces pairs { child { id } sponsor { id } fit reasons { code } } } }`);
    expectNoErrors(result);
    const batch = result.data?.batchSuggestion;
    expect(batch?.waitingChildren).toBe(kids.length);
    expect(batch?.freePlaces).toBe(10);
    expect(batch?.pairs).toHaveLength(known);
    for (const pair of batch?.pairs ?? []) {
      const kid = kids.find((candidate) => candidate.id === pair.child.id);
      const wanted = prefs[pair.sponsor.id];
      if (!kid || !wanted) throw new Error('pair of unknown child or sponsor');
      if (wanted.townships.length > 0) expect(wanted.townships).toContain(kid.township);
      if (wanted.gender) expect(kid.gender).toBe(wanted.gender);
      if (wanted.ageMin !== undefined) expect(kid.age).toBeGreaterThanOrEqual(wanted.ageMin);
      if (wanted.ageMax !== undefined) expect(kid.age).toBeLessThanOrEqual(wanted.ageMax);
      expect(pair.reasons.at(-1)?.code).toBe('HAS_CAPACITY');
    }
    for (const [sponsorId, wanted] of Object.entries(prefs)) {
      expect((batch?.pairs ?? []).filter((pair) => pair.sponsor.id === sponsorId).length).toBeLessThanOrEqual(
        wanted.places,
      );
    }
    const fits = (batch?.pairs ?? []).map((pair) => pair.fit);
    expect(fits).toEqual([...fits].sort((a, b) => b - a));

    // Proposing a pair takes it out of the next suggestion: the child is proposed, the place held.
    const [first] = batch?.pairs ?? [];
    await propose(local.admin, first?.child.id ?? '', first?.sponsor.id ?? '');
    const next = await local.admin.gql<{ batchSuggestion: { pairs: { child: { id: string } }[] } }>(
      `{ batchSuggestion { pairs { child { id } } } }`,
    );
    expect(next.data?.batchSuggestion.pairs).toHaveLength(known - 1);
    expect(next.data?.batchSuggestion.pairs.map((pair) => pair.child.id)).not.toContain(first?.child.id);
  });
});
