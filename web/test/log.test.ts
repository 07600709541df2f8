/** The web server's log lines are JSON in the API's (pino's) format, the whole error included. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { logJson, serializeError } from '../src/lib/server/log';

describe('logJson', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('writes one JSON line with pino’s level, time and msg, and the error serialised', () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const error = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    logJson('error', 'page request failed', { status: 500, err: serializeError(error) });
    expect(written).toHaveLength(1);
    const line = written[0] ?? '';
    expect(line.endsWith('\n')).toBe(true);
    expect(JSON.parse(line)).toMatchObject({
      level: 50,
      time: expect.any(Number) as number,
      msg: 'page request failed',
      status: 500,
      err: { type: 'Error', message: 'socket hang up', code: 'ECONNRESET', stack: expect.any(String) as string },
    });
  });
});
