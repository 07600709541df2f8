/**
 * The machine's own addresses: the names a browser on this machine or on its
 * LAN uses to reach the server (localhost, 127.0.0.1, the host name, each
 * interface's address). The web app accepts form posts from pages opened at
 * any of them (see plugins/web.ts) and `pnpm start` prints them — only these,
 * never any origin.
 */
import { hostname, networkInterfaces } from 'node:os';

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];

/** Bound to every interface: reachable at each of the machine's addresses. */
export function listensEverywhere(host: string): boolean {
  return ['0.0.0.0', '::', ''].includes(host);
}

function isLoopback(host: string): boolean {
  return LOOPBACK.includes(host) || host === '::1' || host.startsWith('127.');
}

/** An address as a URL's host part: IPv6 in brackets. */
function urlHost(address: string): string {
  return address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
}

/** The LAN addresses of the machine's interfaces (not loopback, not IPv6 link-local, which need a zone). */
export function lanAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flatMap((entries) => entries ?? [])
    .filter((entry) => !entry.internal && !(entry.family === 'IPv6' && entry.address.toLowerCase().startsWith('fe80')))
    .map((entry) => urlHost(entry.address));
}

/**
 * The LAN addresses a server bound to `host` answers at, for `pnpm start` to
 * print: none unless it listens everywhere; IPv4 ones only on 0.0.0.0
 * (an IPv6 address there is refused), all on `::` (both families).
 */
export function lanAddressesServedAt(host: string): string[] {
  if (!listensEverywhere(host)) return [];
  const addresses = lanAddresses();
  return host === '0.0.0.0' ? addresses.filter((address) => !address.startsWith('[')) : addresses;
}

/**
 * The host names (as in a URL, IPv6 bracketed, lower case) the server bound to
 * `host` answers at: every address of the machine when it listens on all of
 * them, else that one address (with its loopback aliases if it is loopback).
 */
export function ownHostNames(host: string): string[] {
  const names = listensEverywhere(host)
    ? [...LOOPBACK, hostname(), ...lanAddresses()]
    : isLoopback(host)
      ? [...LOOPBACK, urlHost(host)]
      : [urlHost(host)];
  return [...new Set(names.map((name) => name.toLowerCase()))];
}

/**
 * Whether a Host header (`name[:port]`) names this server: one of its own
 * names, on the port it listens on (without one, the protocol's: 80 or 443).
 */
export function isOwnHost(
  hostHeader: string | undefined,
  ownNames: ReadonlySet<string>,
  port: number,
  protocol: 'http' | 'https',
): boolean {
  if (!hostHeader) return false;
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d+))?$/i.exec(hostHeader.trim());
  if (!match?.[1]) return false;
  const given = match[2] === undefined ? (protocol === 'https' ? 443 : 80) : Number(match[2]);
  return ownNames.has(match[1].toLowerCase()) && given === port;
}
