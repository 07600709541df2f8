import { queryRows, rowLevelSecurityProblem } from '@qicai/db';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** One thing /readyz asks; rejects (or resolves false) when it is not ready. */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<boolean>;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** What /readyz asks, in order; a plugin adds its own with `push`. */
    readinessChecks: ReadinessCheck[];
    /** Set on SIGTERM: /readyz answers 503 so the load balancer stops sending, while in-flight requests finish. */
    draining: { value: boolean };
  }
}

/** How long one check may take before it counts as failed. */
const CHECK_TIMEOUT_MS = 2000;

async function run(check: ReadinessCheck): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const result = await Promise.race([
      check.check(),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => {
          resolve(false);
        }, CHECK_TIMEOUT_MS);
      }),
    ]);
    return result;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * /healthz: the process lives (for a liveness probe: restart it only if
 * this fails). /readyz: it can serve — PostgreSQL answers, Redis answers
 * when configured, the migrations are current, the application role cannot
 * bypass row-level security — 200 with each check's
 * result, else 503 (for a load balancer: send nothing here until it is 200).
 */
function healthPlugin(app: FastifyInstance, _options: unknown, done: () => void) {
  const draining = { value: false };
  const checks: ReadinessCheck[] = [
    { name: 'postgres', check: () => queryRows(app.database.db, sql`select 1`).then(() => true) },
    { name: 'migrations', check: () => app.database.migrationsCurrent() },
    // Checked at start too; a role granted SUPERUSER or BYPASSRLS since must not keep serving.
    { name: 'row-level security', check: async () => (await rowLevelSecurityProblem(app.database.db)) === null },
  ];
  if (app.liveEvents.transport === 'redis')
    checks.push({ name: 'redis', check: () => app.liveEvents.ping().then(() => true) });
  app.decorate('readinessChecks', checks);
  app.decorate('draining', draining);
  // While draining, every answer asks its client to reconnect (to another instance) for the next request.
  app.addHook('onSend', (_request, reply, payload, next) => {
    if (draining.value) void reply.header('connection', 'close');
    next(null, payload);
  });
  app.get('/healthz', () => ({ ok: true }));
  app.get('/readyz', async (_request, reply) => {
    const results = await Promise.all(checks.map(async (check) => [check.name, await run(check)] as const));
    const ok = !draining.value && results.every(([, passed]) => passed);
    return reply.code(ok ? 200 : 503).send({
      ok,
      ...(draining.value ? { draining: true } : {}),
      checks: Object.fromEntries(results.map(([name, passed]) => [name, passed ? 'ok' : 'failing'])),
    });
  });
  done();
}

export default fp(healthPlugin, { name: 'health', dependencies: ['database', 'pubsub'] });
