/**
 * `npx tsx scripts/bench/matching.ts`: how long the batch suggestion's
 * assignment (a maximum matching of greatest fit, matching.ts) takes as the
 * numbers of waiting children and sponsors grow. Prints one line per size.
 */
import { suggestBatch, type MatchChild, type MatchSponsor } from '@qicai/api';

const TOWNSHIPS = [
  '荣家湾镇',
  '新墙镇',
  '筻口镇',
  '黄沙街镇',
  '月田镇',
  '张谷英镇',
  '公田镇',
  '杨林街镇',
  '步仙镇',
  '中洲乡',
];

/** mulberry32: the same instances on every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function instance(childCount: number, sponsorCount: number, seed: number) {
  const random = seeded(seed);
  const pick = <Item>(items: readonly Item[]) => items[Math.floor(random() * items.length)] as Item;
  const children: MatchChild[] = Array.from({ length: childCount }, (_, index) => ({
    id: `c${index}`,
    gender: random() < 0.5 ? 'FEMALE' : 'MALE',
    age: 4 + Math.floor(random() * 13),
    township: pick(TOWNSHIPS),
    circumstances: random() < 0.2 ? ['ORPHANED', 'POVERTY'] : random() < 0.5 ? ['LEFT_BEHIND'] : ['POVERTY'],
    waitingDays: Math.floor(random() * 500),
  }));
  const sponsors: MatchSponsor[] = Array.from({ length: sponsorCount }, (_, index) => {
    const ageMin = random() < 0.4 ? 6 + Math.floor(random() * 5) : null;
    return {
      id: `s${index}`,
      township: random() < 0.6 ? pick(TOWNSHIPS) : null,
      preferredTownships: random() < 0.3 ? [pick(TOWNSHIPS), pick(TOWNSHIPS)] : [],
      preferredAgeMin: ageMin,
      preferredAgeMax: ageMin === null ? null : ageMin + 5,
      preferredGender: random() < 0.2 ? pick(['FEMALE', 'MALE'] as const) : null,
      prefersGreatestNeed: random() < 0.3,
      childrenOffered: 1 + Math.floor(random() * 3),
      activeCount: 0,
      proposedCount: 0,
    };
  });
  return { children, sponsors };
}

console.log('children  sponsors  places  pairs  milliseconds (median of 3)');
for (const [childCount, sponsorCount] of [
  [20, 15],
  [100, 50],
  [300, 150],
  [1000, 400],
  [2000, 800],
] as const) {
  const { children, sponsors } = instance(childCount, sponsorCount, childCount);
  const places = sponsors.reduce((sum, sponsor) => sum + sponsor.childrenOffered, 0);
  const times: number[] = [];
  let pairs = 0;
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    pairs = suggestBatch(children, sponsors).length;
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  console.log(
    `${String(childCount).padStart(8)}  ${String(sponsorCount).padStart(8)}  ${String(places).padStart(6)}  ${String(pairs).padStart(5)}  ${(times[1] ?? 0).toFixed(1).padStart(12)}`,
  );
}
