/**
 * Routes for `pnpm bench` (scripts/bench/run.ts), registered only with the
 * BENCH setting: the two reference rows of the benchmark and the counters it
 * reads. Never on in a real deployment: R3 reads across the tenant wall's
 * first layer (it takes the slug and session like the API, but is not the API).
 *
 * - GET /__bench/constant — R0: a constant, the HTTP ceiling of this machine.
 * - GET /__bench/activities — R3: the SQL the activity list (Q1) needs,
 *   written by hand through postgres.js, in one transaction under the
 *   application role: the floor for "HTTP + PostgreSQL".
 * - GET /__bench/stats — SQL statements issued so far, and the process' memory
 *   (`?gc=1`: after a full garbage collection).
 */
import { ACTIVITY_MAX_SPAN_MINUTES, APP_ROLE } from '@qicai/db';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createHash } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import postgres from 'postgres';
import type { Config } from '../config.ts';
import { importWorkInProgress } from '../modules/members/imports.ts';
import { ORGANIZATION_HEADER } from './graphql.ts';

/**
 * A full garbage collection, for the memory the server really holds at the end
 * of a run (otherwise the figure depends on when V8 last happened to collect).
 */
let garbageCollector: (() => void) | undefined;
function collectGarbage(): void {
  if (!garbageCollector) {
    setFlagsFromString('--expose-gc');
    garbageCollector = runInNewContext('gc') as () => void;
  }
  garbageCollector();
}

/** Synchronous: registers routes and hooks only (Fastify takes a plugin returning a promise). */
function benchPlugin(app: FastifyInstance, options: { config: Config }): Promise<void> {
  const { config } = options;
  const counter = app.statementCount;
  app.get('/__bench/constant', () => ({ ok: true }));
  app.get<{ Querystring: { gc?: string } }>('/__bench/stats', (request) => {
    if (request.query.gc === '1') collectGarbage();
    const memory = process.memoryUsage();
    return {
      statements: counter.statements,
      rss: memory.rss,
      // The process' high-water mark since it started (worker threads included), in bytes.
      maxRss: process.resourceUsage().maxRSS * 1024,
      workerThreads: app.workers.threads,
      ...importWorkInProgress(app),
      heapUsed: memory.heapUsed,
      heapTotal: memory.heapTotal,
      external: memory.external,
    };
  });

  const url = config.database.url;
  if (!url) return Promise.resolve();
  const sql = postgres(url, {
    max: config.database.poolSize,
    onnotice: () => {},
    connection: { role: APP_ROLE, application_name: 'qicai-bench' },
  });
  app.addHook('onClose', () => sql.end({ timeout: 5 }));
  const count = <T>(statement: Promise<T>) => {
    counter.statements++;
    return statement;
  };

  app.get<{ Querystring: { first?: string; from?: string } }>('/__bench/activities', async (request, reply) => {
    const token = request.cookies['qicai_session'] ?? '';
    const slug = request.headers[ORGANIZATION_HEADER];
    const first = Math.min(100, Number(request.query.first ?? 50));
    const from = new Date(request.query.from ?? Date.now());
    const tokenHash = createHash('sha256').update(token).digest('hex');
    const [[account], [organization]] = await Promise.all([
      count(sql<{ id: string }[]>`select a.id from sessions s join accounts a on a.id = s.account_id
        where s.token_hash = ${tokenHash} and s.expires_at > now()`),
      count(sql<{ id: string }[]>`select id from organizations where slug = ${typeof slug === 'string' ? slug : ''}`),
    ]);
    if (!account || !organization) return reply.code(401).send({ ok: false });
    const orgId = organization.id;
    const result = await sql.begin(async (tx) => {
      await count(
        tx`select set_config('app.org_id', ${orgId}, true), set_config('app.account_id', ${account.id}, true)`,
      );
      const [member] = await count(
        tx<{ id: string }[]>`select * from members where org_id = ${orgId} and account_id = ${account.id}`,
      );
      if (!member) return null;
      const [teams, activities] = await Promise.all([
        count(tx`select t.*, coalesce(array_agg(tm.member_id) filter (where tm.is_lead), '{}') as leads
          from teams t left join team_memberships tm on tm.org_id = t.org_id and tm.team_id = t.id and tm.is_lead
          where t.org_id = ${orgId} group by t.org_id, t.id order by t.colour`),
        count(tx`select * from activities where org_id = ${orgId} and (status <> 'DRAFT') and ends_at > ${from}
          and starts_at > ${new Date(from.getTime() - ACTIVITY_MAX_SPAN_MINUTES * 60_000)}
          order by starts_at, id limit ${first + 1}`),
      ]);
      const ids = activities.slice(0, first).map((activity) => activity['id'] as string);
      const [counts, own] = await Promise.all([
        count(tx`select activity_id, status, count(*)::int as sign_ups from sign_ups
          where org_id = ${orgId} and activity_id = any(${ids}::uuid[]) and status <> 'CANCELLED'
          group by activity_id, status`),
        count(tx`select * from sign_ups where org_id = ${orgId} and member_id = ${member.id}
          and activity_id = any(${ids}::uuid[])`),
      ]);
      return { teams, activities: activities.slice(0, first), counts, own };
    });
    return result ?? reply.code(403).send({ ok: false });
  });
  return Promise.resolve();
}

export default fp(benchPlugin, { name: 'bench', dependencies: ['database', 'session'] });
