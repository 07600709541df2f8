/**
 * Every error code a client can see is explained: the web app has a message
 * for it in both languages (`error.<CODE>`), and the README names it.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { en, zh } from '../../../web/src/lib/i18n/messages/index.ts';
import { ERROR_CODES } from '../../src/kernel/error-codes.ts';

const README = new URL('../../../README.md', import.meta.url);

describe('error codes', () => {
  it('each has a web message in Chinese and in English', () => {
    const messages: Record<'zh' | 'en', Record<string, string>> = { zh, en };
    for (const locale of ['zh', 'en'] as const) {
      const missing = ERROR_CODES.filter((code) => !messages[locale][`error.${code}`]?.trim());
      expect(missing, `codes without a ${locale} message`).toEqual([]);
    }
  });

  it('each is named in the README', async () => {
    const readme = await readFile(README, 'utf8');
    const named = new Set([...readme.matchAll(/`([A-Z][A-Z_]*[A-Z])`/g)].map((match) => match[1]));
    expect(ERROR_CODES.filter((code) => !named.has(code))).toEqual([]);
  });
});
