/**
 * Matching sponsors and children (rule 13): which pairs a sponsor's hard
 * preferences allow, how well an allowed pair fits and why, and the batch
 * assignment that pairs as many children as possible at once.
 *
 * Pure functions over plain values: the service loads the rows and the
 * database keeps the rules that must hold under concurrency (capacity, one
 * active sponsorship per child).
 */
import type { ChildCircumstance, Gender } from '@qicai/db';
import type { MatchReason } from '../../__generated__/resolvers.ts';

/** What matching needs to know of a child. */
export interface MatchChild {
  id: string;
  gender: Gender;
  age: number;
  township: string;
  circumstances: readonly ChildCircumstance[];
  waitingDays: number;
}

/** What matching needs to know of a sponsor. */
export interface MatchSponsor {
  id: string;
  township: string | null;
  preferredTownships: readonly string[];
  preferredAgeMin: number | null;
  preferredAgeMax: number | null;
  preferredGender: Gender | null;
  prefersGreatestNeed: boolean;
  childrenOffered: number;
  /** Children sponsored now. */
  activeCount: number;
  /** Open proposals: each holds a place while it waits to be confirmed. */
  proposedCount: number;
}

/** The hard preferences a child does not meet. */
export type PreferenceConflict = 'REGION' | 'AGE' | 'GENDER';

/** How much each circumstance weighs in "greatest need" (孤儿 first, then disability, then the rest). */
const NEED_WEIGHT: Record<ChildCircumstance, number> = {
  ORPHANED: 3,
  DISABILITY: 2,
  LEFT_BEHIND: 1,
  POVERTY: 1,
  OTHER: 1,
};

/** Points of fit. Hard preferences are not points: a pair that breaks one is never suggested. */
export const FIT = {
  sameTownship: 40,
  preferredRegion: 20,
  preferredAge: 10,
  preferredGender: 10,
  /** Per point of need, for a sponsor who asked for the children in greatest need. */
  greatestNeedPerPoint: 8,
  /** Per point of need for every sponsor: between equals, the child in harder circumstances first. */
  needPerPoint: 1,
  /** Per 30 days of waiting, up to a year: between equals, the child who waited longest first. */
  waitingPerMonth: 1,
  maxWaitingMonths: 12,
} as const;

/** The largest fit a pair can have: the batch's costs are counted down from it. */
const MAX_NEED = Object.values(NEED_WEIGHT).reduce((sum, weight) => sum + weight, 0);
export const MAX_FIT =
  FIT.sameTownship +
  FIT.preferredRegion +
  FIT.preferredAge +
  FIT.preferredGender +
  MAX_NEED * (FIT.greatestNeedPerPoint + FIT.needPerPoint) +
  FIT.maxWaitingMonths * FIT.waitingPerMonth;

export function needScore(circumstances: readonly ChildCircumstance[]): number {
  return circumstances.reduce((sum, circumstance) => sum + NEED_WEIGHT[circumstance], 0);
}

/** The sponsor's hard preferences (region, age, gender) the child does not meet; empty when the pair is allowed. */
export function preferenceConflicts(sponsor: MatchSponsor, child: MatchChild): PreferenceConflict[] {
  const conflicts: PreferenceConflict[] = [];
  if (sponsor.preferredTownships.length > 0 && !sponsor.preferredTownships.includes(child.township)) {
    conflicts.push('REGION');
  }
  if (
    (sponsor.preferredAgeMin !== null && child.age < sponsor.preferredAgeMin) ||
    (sponsor.preferredAgeMax !== null && child.age > sponsor.preferredAgeMax)
  ) {
    conflicts.push('AGE');
  }
  if (sponsor.preferredGender !== null && sponsor.preferredGender !== child.gender) conflicts.push('GENDER');
  return conflicts;
}

/** Places a sponsor has for new suggestions: offered, less those sponsored and those held by open proposals. */
export function placesFree(sponsor: MatchSponsor): number {
  return Math.max(0, sponsor.childrenOffered - sponsor.activeCount - sponsor.proposedCount);
}

export interface Fit {
  fit: number;
  reasons: MatchReason[];
}

/** How well an allowed pair fits, and the reasons to show, strongest first. */
export function fitOf(sponsor: MatchSponsor, child: MatchChild): Fit {
  const reasons: MatchReason[] = [];
  let fit = 0;
  if (sponsor.township !== null && sponsor.township === child.township) {
    fit += FIT.sameTownship;
    reasons.push({ code: 'SAME_TOWNSHIP', township: child.township });
  }
  if (sponsor.preferredTownships.length > 0) {
    fit += FIT.preferredRegion;
    reasons.push({ code: 'PREFERRED_REGION', township: child.township });
  }
  if (sponsor.preferredAgeMin !== null || sponsor.preferredAgeMax !== null) {
    fit += FIT.preferredAge;
    reasons.push({ code: 'PREFERRED_AGE', ageMin: sponsor.preferredAgeMin, ageMax: sponsor.preferredAgeMax });
  }
  if (sponsor.preferredGender !== null) {
    fit += FIT.preferredGender;
    reasons.push({ code: 'PREFERRED_GENDER', gender: sponsor.preferredGender });
  }
  const need = needScore(child.circumstances);
  fit += need * FIT.needPerPoint;
  if (sponsor.prefersGreatestNeed) {
    fit += need * FIT.greatestNeedPerPoint;
    reasons.push({ code: 'GREATEST_NEED', circumstances: [...child.circumstances] });
  }
  const waitingMonths = Math.min(FIT.maxWaitingMonths, Math.floor(child.waitingDays / 30));
  fit += waitingMonths * FIT.waitingPerMonth;
  if (waitingMonths > 0) reasons.push({ code: 'LONG_WAIT', waitingDays: child.waitingDays });
  reasons.push({ code: 'HAS_CAPACITY', placesFree: placesFree(sponsor), placesOffered: sponsor.childrenOffered });
  return { fit, reasons };
}

export interface RankedMatch<Other> extends Fit {
  other: Other;
}

/** The allowed candidates with free places, best fit first (ties: the longest waiting child, then by id). */
export function rankCandidates<Candidate>(
  candidates: readonly Candidate[],
  pairOf: (candidate: Candidate) => { sponsor: MatchSponsor; child: MatchChild },
): RankedMatch<Candidate>[] {
  const ranked: (RankedMatch<Candidate> & { waitingDays: number; key: string })[] = [];
  for (const candidate of candidates) {
    const { sponsor, child } = pairOf(candidate);
    if (placesFree(sponsor) === 0 || preferenceConflicts(sponsor, child).length > 0) continue;
    ranked.push({
      other: candidate,
      ...fitOf(sponsor, child),
      waitingDays: child.waitingDays,
      key: `${sponsor.id}:${child.id}`,
    });
  }
  ranked.sort((a, b) => b.fit - a.fit || b.waitingDays - a.waitingDays || (a.key < b.key ? -1 : 1));
  return ranked.map(({ other, fit, reasons }) => ({ other, fit, reasons }));
}

export interface SuggestedPairing {
  child: MatchChild;
  sponsor: MatchSponsor;
  fit: number;
  reasons: MatchReason[];
}

/**
 * The batch suggestion: as many children paired as the sponsors' free places
 * and hard preferences allow, and among all such pairings the one with the
 * greatest total fit. Pairs are in order of fit, best first.
 */
export function suggestBatch(
  children: readonly MatchChild[],
  sponsors: readonly MatchSponsor[],
  /** Pairs never to suggest again (`sponsorId:childId`), e.g. a proposal that lapsed. */
  excluded: ReadonlySet<string> = new Set(),
): SuggestedPairing[] {
  const edges: AssignmentEdge[] = [];
  const fits = new Map<string, Fit>();
  children.forEach((child, childIndex) => {
    sponsors.forEach((sponsor, sponsorIndex) => {
      if (placesFree(sponsor) === 0 || excluded.has(`${sponsor.id}:${child.id}`)) return;
      if (preferenceConflicts(sponsor, child).length > 0) return;
      const fit = fitOf(sponsor, child);
      fits.set(`${childIndex}:${sponsorIndex}`, fit);
      edges.push({ left: childIndex, right: sponsorIndex, weight: fit.fit });
    });
  });
  const chosen = maximumWeightMaximumMatching(children.length, sponsors.map(placesFree), edges, MAX_FIT);
  return chosen
    .map((edge) => {
      const child = children[edge.left];
      const sponsor = sponsors[edge.right];
      const fit = fits.get(`${edge.left}:${edge.right}`);
      if (!child || !sponsor || !fit) throw new Error('assignment refers to an unknown pair');
      return { child, sponsor, ...fit };
    })
    .sort((a, b) => b.fit - a.fit || b.child.waitingDays - a.child.waitingDays);
}

/** An allowed pair of the left side (children, one place each) and the right side (sponsors, with capacities). */
export interface AssignmentEdge {
  left: number;
  right: number;
  /** Between 0 and the maximum weight given. */
  weight: number;
}

/**
 * A maximum b-matching of greatest total weight: as many left nodes as
 * possible are each given one right node, no right node gets more than its
 * capacity, and among all such matchings the total weight is greatest.
 *
 * Min-cost max-flow, primal-dual: source → left (capacity 1) → right
 * (capacity 1, cost maxWeight − weight ≥ 0) → sink (capacity of the right
 * node). Each phase finds the shortest augmenting distance with Dijkstra over
 * reduced costs (Johnson potentials), then augments along every path of that
 * length at once (a blocking flow on the zero-reduced-cost edges). Each path
 * adds one pair at the least cost, so the flow stays the cheapest of its value
 * and at the maximum it is the heaviest maximum matching. Costs are small
 * integers, so there are few distinct distances and few phases.
 */
export function maximumWeightMaximumMatching(
  leftCount: number,
  rightCapacities: readonly number[],
  edges: readonly AssignmentEdge[],
  maxWeight: number,
): AssignmentEdge[] {
  const source = 0;
  const sink = leftCount + rightCapacities.length + 1;
  const nodeCount = sink + 1;
  const graph = new FlowGraph(nodeCount, 2 * (leftCount + rightCapacities.length + edges.length));
  for (let left = 0; left < leftCount; left++) graph.addEdge(source, 1 + left, 1, 0);
  rightCapacities.forEach((capacity, right) => {
    if (capacity > 0) graph.addEdge(1 + leftCount + right, sink, capacity, 0);
  });
  const pairEdges = edges.map((edge) => {
    if (edge.weight < 0 || edge.weight > maxWeight) throw new RangeError('edge weight out of range');
    return graph.addEdge(1 + edge.left, 1 + leftCount + edge.right, 1, maxWeight - edge.weight);
  });

  const potential = new Float64Array(nodeCount);
  const distance = new Float64Array(nodeCount);
  const settled = new Uint8Array(nodeCount);
  const heap = new MinHeap();
  const reduced = (edge: number, from: number) =>
    (graph.cost[edge] ?? 0) + (potential[from] ?? 0) - (potential[graph.to[edge] ?? 0] ?? 0);
  for (;;) {
    // Shortest distances from the source over edges with capacity left.
    distance.fill(Infinity);
    distance[source] = 0;
    heap.push(0, source);
    settled.fill(0);
    while (heap.size > 0) {
      const [nodeDistance, node] = heap.pop();
      if (settled[node] || nodeDistance > (distance[node] ?? Infinity)) continue;
      settled[node] = 1;
      // Nothing beyond the sink's distance matters to this phase's paths.
      if (node === sink) break;
      for (let edge = graph.head[node] ?? -1; edge !== -1; edge = graph.next[edge] ?? -1) {
        if ((graph.capacity[edge] ?? 0) <= 0) continue;
        const to = graph.to[edge] ?? 0;
        const candidate = nodeDistance + reduced(edge, node);
        if (candidate < (distance[to] ?? Infinity)) {
          distance[to] = candidate;
          heap.push(candidate, to);
        }
      }
    }
    heap.clear();
    const sinkDistance = distance[sink] ?? Infinity;
    if (sinkDistance === Infinity) break;
    // Settled nodes move by their distance, the others by the sink's: reduced costs stay non-negative
    // (Johnson's potentials with an early stop). Nodes the source cannot reach never become reachable.
    for (let node = 0; node < nodeCount; node++) {
      potential[node] = (potential[node] ?? 0) + (settled[node] ? (distance[node] ?? 0) : sinkDistance);
    }
    // Every shortest augmenting path now runs over edges of reduced cost 0: augment along as many as there are.
    const nextEdge = Int32Array.from(graph.head);
    const onPath = new Uint8Array(nodeCount);
    const dead = new Uint8Array(nodeCount);
    const augment = (node: number): boolean => {
      if (node === sink) return true;
      onPath[node] = 1;
      for (let edge = nextEdge[node] ?? -1; edge !== -1; edge = nextEdge[node] = graph.next[edge] ?? -1) {
        const to = graph.to[edge] ?? 0;
        if ((graph.capacity[edge] ?? 0) <= 0 || onPath[to] || dead[to] || reduced(edge, node) !== 0) continue;
        if (augment(to)) {
          graph.capacity[edge] = (graph.capacity[edge] ?? 0) - 1;
          graph.capacity[edge ^ 1] = (graph.capacity[edge ^ 1] ?? 0) + 1;
          onPath[node] = 0;
          return true;
        }
      }
      onPath[node] = 0;
      // A node left only because of a cycle back onto the path may still lead on: the next phase finds it.
      dead[node] = 1;
      return false;
    };
    while (augment(source));
  }
  return edges.filter((_edge, index) => graph.capacity[pairEdges[index] ?? 0] === 0);
}

/** A flow network in arrays: edge e and its residual twin e ^ 1. */
class FlowGraph {
  readonly head: Int32Array;
  readonly to: Int32Array;
  readonly next: Int32Array;
  readonly capacity: Int32Array;
  readonly cost: Float64Array;
  private count = 0;

  constructor(nodeCount: number, edgeCount: number) {
    this.head = new Int32Array(nodeCount).fill(-1);
    this.to = new Int32Array(edgeCount);
    this.next = new Int32Array(edgeCount);
    this.capacity = new Int32Array(edgeCount);
    this.cost = new Float64Array(edgeCount);
  }

  /** Adds from → to and its residual twin; returns the forward edge's index. */
  addEdge(from: number, to: number, capacity: number, cost: number): number {
    const forward = this.count;
    this.link(from, to, capacity, cost);
    this.link(to, from, 0, -cost);
    return forward;
  }

  private link(from: number, to: number, capacity: number, cost: number): void {
    const edge = this.count++;
    this.to[edge] = to;
    this.capacity[edge] = capacity;
    this.cost[edge] = cost;
    this.next[edge] = this.head[from] ?? -1;
    this.head[from] = edge;
  }
}

/** A binary heap of (priority, node). */
class MinHeap {
  private readonly priorities: number[] = [];
  private readonly nodes: number[] = [];

  get size(): number {
    return this.nodes.length;
  }

  clear(): void {
    this.priorities.length = 0;
    this.nodes.length = 0;
  }

  push(priority: number, node: number): void {
    this.priorities.push(priority);
    this.nodes.push(node);
    let index = this.nodes.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if ((this.priorities[parent] ?? 0) <= priority) break;
      this.swap(index, parent);
      index = parent;
    }
  }

  pop(): [number, number] {
    const top: [number, number] = [this.priorities[0] ?? 0, this.nodes[0] ?? 0];
    const lastPriority = this.priorities.pop() ?? 0;
    const lastNode = this.nodes.pop() ?? 0;
    if (this.nodes.length > 0) {
      this.priorities[0] = lastPriority;
      this.nodes[0] = lastNode;
      let index = 0;
      for (;;) {
        const left = 2 * index + 1;
        const right = left + 1;
        let smallest = index;
        if (left < this.nodes.length && (this.priorities[left] ?? 0) < (this.priorities[smallest] ?? 0))
          smallest = left;
        if (right < this.nodes.length && (this.priorities[right] ?? 0) < (this.priorities[smallest] ?? 0))
          smallest = right;
        if (smallest === index) break;
        this.swap(index, smallest);
        index = smallest;
      }
    }
    return top;
  }

  private swap(a: number, b: number): void {
    const priority = this.priorities[a] ?? 0;
    this.priorities[a] = this.priorities[b] ?? 0;
    this.priorities[b] = priority;
    const node = this.nodes[a] ?? 0;
    this.nodes[a] = this.nodes[b] ?? 0;
    this.nodes[b] = node;
  }
}
