/**
 * Production answers carry no schema hints (issue 17): GraphQL's "Did you
 * mean" suggestions would map the schema with introspection off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApp, type Client } from './helper.ts';

const MISTAKES = {
  field: `{ organisation { id } }`,
  argument: `{ activities(frist: 10) { nodes { id } } }`,
  type: `query ($filter: ActivityFiltr) { activities(filter: $filter) { nodes { id } } }`,
  'enum value': `{ hoursLeaderboard(period: ALL_TIM) { rank } }`,
  'enum value in a variable': `query ($period: HoursPeriod!) { hoursLeaderboard(period: $period) { rank } }`,
  'subfield selection': `{ organization { teams { name } } }`,
};

async function messages(client: Client, query: string): Promise<string[]> {
  const result = await client.gql(query, { period: 'ALL_TIM' });
  return (result.errors ?? []).map((error) => error.message);
}

describe('validation messages', () => {
  let production: TestApp;
  let development: TestApp;
  beforeAll(async () => {
    production = await TestApp.start({
      NODE_ENV: 'production',
      APP_SECRET: 'a-production-secret-of-at-least-32-characters',
    });
    development = await TestApp.start();
  });
  afterAll(async () => {
    await production.close();
    await development.close();
  });

  it.each(Object.entries(MISTAKES))('has no "Did you mean" in production for a misspelt %s', async (_what, query) => {
    const hinted = await messages(development.anonymous(), query);
    expect(hinted.join(' ')).toContain('Did you mean');
    const plain = await messages(production.anonymous(), query);
    expect(plain.length).toBeGreaterThan(0);
    expect(plain.join(' ')).not.toMatch(/did you mean/i);
  });
});
