/**
 * The web server's log lines, in the API's format (pino's JSON: `level`,
 * `time`, `msg`, `err`), so one log pipeline reads both.
 */

/** pino's numeric levels. */
const LEVELS = { info: 30, warn: 40, error: 50 } as const;

export interface LoggedError {
  type: string;
  message: string;
  stack?: string | undefined;
  code?: string | undefined;
}

/** An error as pino serialises one (`err`). */
export function serializeError(error: unknown): LoggedError {
  if (!(error instanceof Error)) return { type: typeof error, message: String(error) };
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  return { type: error.name, message: error.message, stack: error.stack, code };
}

/** Writes one JSON line: to stderr for errors and warnings, stdout otherwise. */
export function logJson(level: keyof typeof LEVELS, msg: string, fields: Record<string, unknown> = {}): void {
  const line = `${JSON.stringify({ level: LEVELS[level], time: Date.now(), pid: process.pid, ...fields, msg })}\n`;
  if (level === 'info') process.stdout.write(line);
  else process.stderr.write(line);
}
