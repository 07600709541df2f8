/**
 * GraphQL over HTTP (issue 17): graphql-http's audits of the spec, run
 * against the app listening on a port; every MUST passes, and so do the
 * SHOULDs of application/graphql-response+json.
 */
import { serverAudits, type AuditResult } from 'graphql-http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApp } from './helper.ts';

describe('GraphQL over HTTP', () => {
  let testApp: TestApp;
  let url: string;
  beforeAll(async () => {
    testApp = await TestApp.start();
    await testApp.app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(testApp.app.server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    await testApp.close();
  });

  it("passes graphql-http's server audits", async () => {
    const results: AuditResult[] = [];
    for (const audit of serverAudits({ url })) results.push(await audit.fn());
    const failed = results.filter((result) => result.status === 'error');
    expect(failed.map((result) => `${result.id} ${result.name}`)).toEqual([]);
    // The SHOULDs too: a body that is not JSON is 400 BAD_REQUEST (the error boundary) even under application/json.
    const warned = results.filter((result) => result.status === 'warn');
    expect(warned.map((result) => result.id)).toEqual([]);
  });

  it('answers application/graphql-response+json when asked, with its status codes', async () => {
    const post = (query: string, accept?: string, extensions?: null) =>
      testApp.app.inject({
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/json', ...(accept ? { accept } : {}) },
        payload: { query, extensions },
      });
    const asked = 'application/graphql-response+json, application/json;q=0.9';
    const ok = await post('{ __typename }', asked, null);
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toBe('application/graphql-response+json; charset=utf-8');
    expect(ok.json()).toEqual({ data: { __typename: 'Query' } });

    const invalid = await post('{ nothingHere }', asked);
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).not.toHaveProperty('data');
    expect(invalid.json<{ errors: unknown[] }>().errors).toHaveLength(1);

    // application/json, or no Accept at all: as before.
    for (const accept of ['application/json', undefined]) {
      const legacy = await post('{ nothingHere }', accept);
      expect(legacy.statusCode).toBe(200);
      expect(legacy.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(legacy.json()).toMatchObject({ data: null });
    }
  });
});
