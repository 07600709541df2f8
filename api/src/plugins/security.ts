import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';
import type { Config } from '../config.ts';

/**
 * Whether a state-changing request comes from this site. Browsers send
 * Sec-Fetch-Site and Origin on cross-site requests; server-to-server callers
 * (the web app's server side, curl) send neither, and they carry no ambient
 * cookies from a victim's browser.
 */
export function isCrossSite(request: FastifyRequest): boolean {
  const fetchSite = request.headers['sec-fetch-site'];
  if (fetchSite === 'cross-site') return true;
  const origin = request.headers.origin;
  if (!origin) return false;
  try {
    return new URL(origin).host !== request.headers.host;
  } catch {
    return true;
  }
}

/** The content types a browser form or a "simple" cross-site fetch can send without a CORS preflight. */
const SIMPLE_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

async function securityPlugin(app: FastifyInstance, options: { config: Config }) {
  await app.register(helmet, {
    // The web app's pages carry their own Content-Security-Policy (SvelteKit, with nonces).
    contentSecurityPolicy: false,
    crossOriginEmbedderPolicy: false,
    hsts: options.config.publicUrl.protocol === 'https:',
    // Not no-referrer: under it browsers send `Origin: null` with form posts, which fails the
    // same-origin check of the web app's forms.
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  });

  // With REDIS_URL every instance counts in the same Redis keys, so N instances allow the limit
  // once, not N times; without it the count is this process's (one instance).
  const redisUrl = options.config.redisUrl;
  const redis = redisUrl ? new Redis(redisUrl, { connectTimeout: 2000, maxRetriesPerRequest: 1 }) : undefined;
  if (redis) {
    redis.on('error', (error) => {
      app.log.warn({ err: error }, 'rate limit: Redis unreachable');
    });
    app.addHook('onClose', async () => {
      await redis.quit().catch(() => {
        redis.disconnect();
      });
    });
  }
  await app.register(rateLimit, {
    max: options.config.rateLimitPerMinute,
    timeWindow: '1 minute',
    allowList: (request) => !request.url.startsWith('/graphql'),
    // Not request.ip: a page's GraphQL calls reach us from our own web server, on the browser's behalf.
    keyGenerator: (request) => request.clientAddress,
    // skipOnError: while Redis is down requests go uncounted rather than all failing.
    ...(redis ? { redis, nameSpace: 'qicai-rate-limit:', skipOnError: true } : {}),
  });

  // CSRF: sessions are cookies, so a GraphQL POST must be same-site and of a
  // type that forces a CORS preflight. SameSite=Lax on the cookie is the third wall.
  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'POST' || !request.url.startsWith('/graphql')) return;
    const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (isCrossSite(request) || SIMPLE_CONTENT_TYPES.includes(contentType)) {
      await reply
        .code(403)
        .send({ errors: [{ message: 'Cross-site request refused.', extensions: { code: 'FORBIDDEN' } }] });
    }
  });
}

export default fp(securityPlugin, { name: 'security', dependencies: ['client-address'] });
