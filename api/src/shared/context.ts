/**
 * What every resolver and service receives: who is asking, for which
 * organization, and a way to run SQL scoped to exactly that.
 */
import type { Account, Db, Member, Organization, Tx } from '@qicai/db';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.ts';

import type { Clock } from './clock.ts';
import type { LiveEvent } from './live.ts';
import type { DeliveryAdapter } from './delivery.ts';

/**
 * The worker threads' tasks by name. api/src/workers/tasks.ts fills this in
 * (declaration merging), so the context names the tasks without importing the
 * modules they run.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- merged with workers/tasks.ts's declaration
export interface WorkerTasks {}

type TaskOf<Name extends keyof WorkerTasks> = WorkerTasks[Name] extends (input: infer Input) => infer Output
  ? { input: Input; output: Awaited<Output> }
  : never;
export type TaskInput<Name extends keyof WorkerTasks> = TaskOf<Name>['input'];
export type TaskOutput<Name extends keyof WorkerTasks> = TaskOf<Name>['output'];

export interface RequestContext {
  config: Config;
  /** What time it is, for every rule (see clock.ts). */
  clock: Clock;
  db: Db;
  /** The signed-in account, or null. */
  account: Account | null;
  /** The organization the request names (X-Qicai-Org), or null. */
  organization: Organization | null;
  /**
   * A wall screen's display token for `organization` (X-Qicai-Display header or the
   * qicai_display cookie), if one was given and is not revoked: it may read the board, nothing else.
   */
  display: { tokenId: string } | null;
  /** The viewer's membership of `organization`, looked up once per request. */
  viewerMember(): Promise<Member | null>;
  /** The teams the viewer leads in `organization`, looked up with the membership. */
  viewerLedTeamIds(): Promise<string[]>;
  /**
   * Runs `work` in a transaction with row-level security set to `organization` and `account`:
   * its own, or the request's shared one once `shareTransaction` has been granted.
   */
  tenant<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * `tenant` for work that goes on past the request's deadline by design, whose
   * outcome is read apart from the answer (a roster import's apply: its
   * progress and status). Every other unit of work is cancelled at the deadline.
   */
  tenantWithoutDeadline<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * From now on, `tenant` calls share one transaction, opened at the first (or
   * already, to find the viewer: see graphql.ts) and committed by
   * `endSharedTransaction`: for a GraphQL query, whose resolvers and loaders
   * would otherwise each pay for BEGIN, the settings and COMMIT.
   * False when the request may not hold a connection that long (see graphql.ts).
   */
  shareTransaction(): boolean;
  /** Commits the shared transaction, if one was opened; rejects if it could not. */
  endSharedTransaction(): Promise<void>;
  /**
   * Runs CPU-heavy work (a file to read or write, a PDF) in a worker thread
   * (plugins/workers.ts); cancelled if the client goes away before the answer.
   */
  work<Name extends keyof WorkerTasks>(name: Name, input: TaskInput<Name>): Promise<TaskOutput<Name>>;
  /** Sends a live event to subscribers (after the transaction that caused it has committed). */
  publish(message: LiveEvent): void;
  /** Sends an SMS or email now (plugins/delivery.ts); account messages go this way, with delivery/prompt.ts. */
  delivery: DeliveryAdapter;
  /** The request's logger (for work that outlives the answer). */
  log: FastifyBaseLogger;
  clientIp: string;
  userAgent: string | undefined;
  /** The known-device cookie (see people/known-devices.ts): its value, and setting it on the response. */
  knownDevice: {
    token: string | null;
    remember(token: string): void;
  };
  session: {
    token: string | null;
    /** Sets the session cookie on the response. */
    start(token: string, expiresAt: Date): void;
    /** Clears the session cookie on the response. */
    end(): void;
  };
}

declare module 'mercurius' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging
  interface MercuriusContext extends RequestContext {}
}
