/**
 * Errors as the log writes them (pino's `err`): type, message, stack, code,
 * their cause and their other own fields, like pino's own serialiser — but of
 * bounded size. A failed statement's error (drizzle's `Failed query: <sql>
 * params: <values>`, with `query` and `params` beside it) holds every
 * parameter: a report over a county's members failing carried 31,000 ids,
 * megabytes per log line, and serialising such lines under load ran the
 * server out of memory. Texts are cut at MAX_TEXT characters and arrays at
 * MAX_ITEMS items, each saying how much was left out.
 */

const MAX_TEXT = 2_000;
const MAX_ITEMS = 20;
const MAX_DEPTH = 4;

function boundedText(text: string): string {
  return text.length <= MAX_TEXT
    ? text
    : `${text.slice(0, MAX_TEXT)}… (${String(text.length - MAX_TEXT)} more characters)`;
}

function bounded(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return boundedText(value);
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? undefined : value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (value instanceof Error) return serializedError(value, depth, seen);
  if (depth >= MAX_DEPTH) return '[Object]';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((item: unknown) => bounded(item, depth + 1, seen));
    return value.length > MAX_ITEMS ? [...items, `… (${String(value.length - MAX_ITEMS)} more)`] : items;
  }
  if (ArrayBuffer.isView(value)) return `[${value.constructor.name} of ${String(value.byteLength)} bytes]`;
  return Object.fromEntries(
    Object.entries(value).map(([key, field]: [string, unknown]) => [key, bounded(field, depth + 1, seen)]),
  );
}

/** An error as a log line holds it: pino's fields (type, message, stack), then the error's own. */
export interface LoggedError {
  [field: string]: unknown;
  type: string;
  message: string;
  stack: string;
}

function serializedError(error: Error, depth: number, seen: WeakSet<object>): LoggedError {
  seen.add(error);
  const logged: LoggedError = {
    type: error.constructor.name,
    message: boundedText(error.message),
    stack: boundedText(error.stack ?? ''),
  };
  for (const [key, field] of Object.entries(error) as [string, unknown][]) {
    if (key !== 'message' && key !== 'stack') logged[key] = bounded(field, depth + 1, seen);
  }
  if (error.cause !== undefined && depth < MAX_DEPTH) logged['cause'] = bounded(error.cause, depth + 1, seen);
  return logged;
}

/** The `err` serialiser of the API's logger (api/src/build.ts). */
export function serializeLoggedError(error: Error): LoggedError {
  return serializedError(error, 0, new WeakSet());
}
