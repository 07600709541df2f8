import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.ts';

declare module 'fastify' {
  interface FastifyInstance {
    sessionCookie: {
      name: string;
      read(request: FastifyRequest): string | null;
      set(reply: FastifyReply, token: string, expiresAt: Date): void;
      clear(reply: FastifyReply): void;
    };
  }
}

/**
 * The session cookie: httpOnly, SameSite=Lax, and Secure with the __Host-
 * prefix when the app is served over https.
 */
async function sessionPlugin(app: FastifyInstance, options: { config: Config }) {
  await app.register(cookie);
  const secure = options.config.publicUrl.protocol === 'https:';
  const name = secure ? '__Host-qicai_session' : 'qicai_session';
  const attributes = { path: '/', httpOnly: true, sameSite: 'lax', secure } as const;

  app.decorate('sessionCookie', {
    name,
    read: (request: FastifyRequest) => request.cookies[name] ?? null,
    set: (reply: FastifyReply, token: string, expiresAt: Date) => {
      reply.setCookie(name, token, { ...attributes, expires: expiresAt });
    },
    clear: (reply: FastifyReply) => {
      reply.clearCookie(name, attributes);
    },
  });
}

export default fp(sessionPlugin, { name: 'session' });
