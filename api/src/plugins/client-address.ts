import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config.ts';

/**
 * The address of the person a request is for, which every per-address limit
 * counts by (sign-in throttling, public requests, the rate limit).
 *
 * Fastify derives `request.ip` from the connection and `TRUST_PROXY`: by
 * default no forwarded header is believed. The web app's server side calls
 * this API over loopback on behalf of the browser it is serving; it says who
 * that is in this header, as `<address> <HMAC-SHA256 of the address>` under a
 * key only this process (and, under `pnpm dev`, its web server) holds. A
 * header that does not verify is ignored, so an X-Forwarded-For or a forged
 * header from anywhere else changes nothing.
 */
export const CLIENT_ADDRESS_HEADER = 'x-qicai-client-address';

/** The header's value for `address` (web/src/lib/server/api.ts makes the same). */
export function signClientAddress(key: string, address: string): string {
  return `${address} ${createHmac('sha256', key).update(address).digest('base64url')}`;
}

/** The address a header from our own web server carries, or undefined if it is not one. */
export function verifiedClientAddress(key: string, header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const [address, signature, ...rest] = header.split(' ');
  if (!address || !signature || rest.length > 0 || address.length > 64) return undefined;
  const expected = Buffer.from(signClientAddress(key, address));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given) ? address : undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Whom per-address limits count this request against (see client-address.ts). */
    readonly clientAddress: string;
  }
}

function clientAddressPlugin(app: FastifyInstance, options: { config: Config }, done: () => void) {
  const key = options.config.webForwardingKey;
  const cache = new WeakMap<FastifyRequest, string>();
  app.decorateRequest('clientAddress', {
    getter(this: FastifyRequest): string {
      let address = cache.get(this);
      if (address === undefined) {
        address = verifiedClientAddress(key, this.headers[CLIENT_ADDRESS_HEADER]) ?? this.ip;
        cache.set(this, address);
      }
      return address;
    },
  });
  done();
}

export default fp(clientAddressPlugin, { name: 'client-address' });
