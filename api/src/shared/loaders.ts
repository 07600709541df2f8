import type { FastifyReply } from 'fastify';
import type { MercuriusContext } from 'mercurius';

/**
 * A mercurius loader: receives every parent object asked for in one tick and
 * returns their results in the same order, in one round of SQL.
 */
export type Loader<Parent, Result, Params = Record<string, never>> = (
  queries: { obj: Parent; params: Params }[],
  ctx: MercuriusContext,
) => Promise<Result[]>;

/** Groups rows by a key and returns, for each wanted key in order, its rows (or an empty list). */
export function groupInOrder<Row, Key>(wanted: Key[], rows: Row[], keyOf: (row: Row) => Key): Row[][] {
  const groups = new Map<Key, Row[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return wanted.map((key) => groups.get(key) ?? []);
}

/**
 * `read()` once per HTTP request, kept in `cache` under the request's reply so
 * that it ends with the request. A subscription's context has no reply
 * (whatever the type says): it reads afresh for every event.
 */
export function oncePerRequest<Value>(cache: WeakMap<object, Value>, ctx: MercuriusContext, read: () => Value): Value {
  const reply = ctx.reply as FastifyReply | undefined;
  if (!reply) return read();
  let value = cache.get(reply);
  if (value === undefined) {
    value = read();
    cache.set(reply, value);
  }
  return value;
}
