/**
 * Cost limits (issue 17): bombs are refused with QUERY_TOO_COSTLY before they
 * run, quickly, without slowing anyone else; every operation the web app
 * sends stays well under every limit.
 */
import { fork } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  Kind,
  Lexer,
  parse,
  print,
  Source,
  TokenKind,
  typeFromAST,
  validate,
  visit,
  type ASTNode,
  type DefinitionNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MAX_ALIASES,
  MAX_QUERY_COST,
  MAX_ROOT_FIELDS,
  MAX_TOKENS,
  countTokens,
  operationCost,
  queryLimitRules,
} from '../src/plugins/query-limits.ts';
import WebSocket from 'ws';
import { expectNoErrors, TestApp, type Client, type GraphQLResponse } from './helper.ts';
import { MAX_SOCKET_MESSAGE_BYTES } from '../src/plugins/graphql.ts';
import { listen } from './live.ts';

const WEB_OPERATIONS = new URL('../../web/src/lib/graphql/', import.meta.url);

/** A value of an input type as the web app might send it: lists of 50, `first` at the largest page (100). */
function sampleValue(type: GraphQLInputType, name: string): unknown {
  if (isNonNullType(type)) return sampleValue(type.ofType, name);
  if (isListType(type)) return Array.from({ length: 50 }, () => sampleValue(type.ofType, name));
  if (isEnumType(type)) return type.getValues()[0]?.value;
  if (isInputObjectType(type)) {
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((field) => isNonNullType(field.type))
        .map((field) => [field.name, sampleValue(field.type, field.name)]),
    );
  }
  if (!isScalarType(type)) throw new Error(`no sample for ${String(type)}`);
  const samples: Record<string, unknown> = {
    Int: name === 'first' ? 100 : 1,
    Float: 1,
    String: 'x',
    Boolean: true,
    ID: '00000000-0000-0000-0000-000000000000',
    Date: '2026-01-01',
    DateTime: '2026-01-01T00:00:00.000Z',
    LocalDateTime: '2026-01-01T09:00',
  };
  if (!(type.name in samples)) throw new Error(`no sample for scalar ${type.name}`);
  return samples[type.name];
}

function sampleVariables(schema: GraphQLSchema, operation: OperationDefinitionNode): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
    if (!type) throw new Error(`unknown type of $${name}`);
    // Optional variables are sent where they matter for the cost (a page size) and left out elsewhere.
    if (isNonNullType(type) || getNamedType(type).name === 'Int') variables[name] = sampleValue(type, name);
  }
  return variables;
}

/** An operation and the fragments it spreads, directly or through other fragments. */
function withFragments(document: DocumentNode, operation: OperationDefinitionNode): DefinitionNode[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const used = new Map<string, FragmentDefinitionNode>();
  const collect = (node: ASTNode) =>
    visit(node, {
      FragmentSpread(spread) {
        const fragment = fragments.get(spread.name.value);
        if (fragment && !used.has(fragment.name.value)) {
          used.set(fragment.name.value, fragment);
          collect(fragment);
        }
      },
    });
  collect(operation);
  return [operation, ...used.values()];
}

const certificateFileBomb = (aliases: number) =>
  `{ ${Array.from({ length: aliases }, (_, i) => `f${i}: certificateFile(number: "QC-2026-000001") { base64 }`).join(' ')} }`;
const leaderboardBomb = (aliases: number) =>
  `{ ${Array.from(
    { length: aliases },
    (_, i) =>
      `l${i}: hoursLeaderboard(period: ALL_TIME, first: 100) { rank minutes member { id displayName teams { id } } }`,
  ).join(' ')} }`;
/** No alias at all: nested lists, within the depth limit. */
const NESTED_BOMB = `{ activities(first: 100) { nodes { signUps { member { teams { members(first: 100) { nodes { id } } } } } } } }`;
const VARIABLE_BOMB = `query ($first: Int) { hoursLeaderboard(period: ALL_TIME, first: $first) { rank member { id teams { id } } } }`;
const ROOT_FIELDS_BOMB = `{ ${Array.from({ length: 40 }, () => 'viewer { account { id } }').join(' ')} }`;

/** What the attacker's process (fixtures/request-loop.ts) says. */
interface LoopMessage {
  started: true;
  stopped: { refused: number; other: number };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

function expectTooCostly(result: GraphQLResponse<unknown>): void {
  expect(result.data ?? null).toBeNull();
  expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COSTLY' });
}

describe('query cost limits', () => {
  let testApp: TestApp;
  let member: Client;
  beforeAll(async () => {
    testApp = await TestApp.start();
    member = await testApp.signUp();
    await member.createOrganization();
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('lets every operation of the web app through, well under every limit', () => {
    const schema = testApp.app.graphql.schema;
    const files = readdirSync(WEB_OPERATIONS).filter((file) => file.endsWith('.graphql'));
    // Fragments may be shared between files: one document, each operation costed by name.
    const document = parse(files.map((file) => readFileSync(new URL(file, WEB_OPERATIONS), 'utf8')).join('\n'));
    expect(validate(schema, document, queryLimitRules)).toEqual([]);
    const operations = document.definitions.filter(
      (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
    );
    expect(operations.length).toBeGreaterThan(50);
    for (const operation of operations) {
      // Sent as the web app sends it: the operation and the fragments it uses.
      const tokens = countTokens(
        print({ kind: Kind.DOCUMENT, definitions: withFragments(document, operation) }),
        Infinity,
      );
      expect(tokens, `${operation.name?.value} has ${tokens} tokens`).toBeLessThanOrEqual(MAX_TOKENS / 3);
    }
    const costs = operations.map((operation) => ({
      name: operation.name?.value,
      cost: operationCost(schema, document, sampleVariables(schema, operation), operation.name?.value),
    }));
    for (const { name, cost } of costs) {
      expect(name).toBeDefined();
      // "Well under": at most a third of the limit, sent with the largest page sizes.
      expect(cost, `${name} costs ${cost}`).toBeLessThanOrEqual(MAX_QUERY_COST / 3);
    }
  });

  it("counts tokens as graphql-js' Lexer does, without its allocations", () => {
    const lexerCount = (source: string) => {
      const lexer = new Lexer(new Source(source));
      let tokens = 0;
      while (lexer.advance().kind !== TokenKind.EOF) tokens++;
      return tokens;
    };
    const documents = [
      ...readdirSync(WEB_OPERATIONS)
        .filter((file) => file.endsWith('.graphql'))
        .map((file) => readFileSync(new URL(file, WEB_OPERATIONS), 'utf8')),
      `query ($first: Int = 20, $ids: [ID!]!, $x: Float = -1.5e+3) { a(first: $first, ids: $ids, n: 0, f: 1.25E-2) { ...F } }`,
      `\ufeff# 签到 comment, with "quotes" and """ in it\r\n{ a(s: "红色旗帜 \\"引号\\" \\u4e03彩", t: """块
 字符串 \\""" 仍在 "" 里""") @include(if: true) , b: c }`,
      `fragment F on Team @x { name { zh en } ... on Team { id } ... @skip(if: false) { id } } mutation M { m(v: [1, 2 3], o: { k: $v, e: ENUM, n: null }) | & ! = }`,
      certificateFileBomb(20),
    ];
    for (const document of documents) expect(countTokens(document, Infinity)).toBe(lexerCount(document));
    // Counted up to one past the limit, then no further.
    expect(countTokens(leaderboardBomb(5_000))).toBe(MAX_TOKENS + 1);
  });

  it.each([
    ['100 aliases of certificateFile', certificateFileBomb(100)],
    ['500 aliases of hoursLeaderboard(first: 100)', leaderboardBomb(500)],
    ['5,000 aliases of hoursLeaderboard(first: 100)', leaderboardBomb(5_000)],
    ['nested lists', NESTED_BOMB],
    ['40 root fields', ROOT_FIELDS_BOMB],
  ])('refuses %s with QUERY_TOO_COSTLY in under 100 ms', async (_name, bomb) => {
    // Once to warm up the process (the first request of a file compiles code paths), then measured;
    // a new comment each time keeps mercurius' caches from answering in place of the rules.
    expectTooCostly(await member.gql(`${bomb} # warm-up`));
    const statements = testApp.statements;
    // Five times, held to their median: one refusal caught by whatever else the machine runs decides nothing.
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const { result, ms } = await timed(() => member.gql(`${bomb} # measured ${String(i)}`));
      expectTooCostly(result);
      times.push(ms);
    }
    expect(median(times)).toBeLessThan(100);
    // Refused before the request's context is made: not one SQL statement, not even the session's.
    expect(testApp.statements).toBe(statements);
  });

  it('says what was measured, the value and the limit', async () => {
    const aliases = await member.gql(certificateFileBomb(MAX_ALIASES + 1));
    expect(aliases.errors?.[0]?.extensions).toEqual({
      code: 'QUERY_TOO_COSTLY',
      measure: 'aliases',
      cost: MAX_ALIASES + 1,
      limit: MAX_ALIASES,
    });
    const roots = await member.gql(ROOT_FIELDS_BOMB);
    expect(roots.errors?.[0]?.extensions).toMatchObject({ measure: 'rootFields', cost: 40, limit: MAX_ROOT_FIELDS });
    const cost = await member.gql(NESTED_BOMB);
    expect(cost.errors?.[0]?.extensions).toMatchObject({ measure: 'cost', limit: MAX_QUERY_COST });
    const extensions: Record<string, unknown> = { ...cost.errors?.[0]?.extensions };
    expect(Number(extensions.cost)).toBeGreaterThan(MAX_QUERY_COST);
    const long = await member.gql(leaderboardBomb(5_000));
    expect(long.errors?.[0]?.extensions).toMatchObject({ measure: 'tokens', limit: MAX_TOKENS });
  });

  it('allows one heavy field per request, not two', async () => {
    const two = await member.gql(
      `{ a: certificateFile(number: "QC-2026-000001") { base64 } b: childExport(id: "00000000-0000-0000-0000-000000000000") { child { id } } }`,
    );
    expect(two.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COSTLY', measure: 'heavyFields', cost: 2 });
    const one = await member.gql(`{ certificateFile(number: "QC-2026-000001") { base64 } }`);
    expect(one.errors?.[0]?.extensions?.code).not.toBe('QUERY_TOO_COSTLY');
  });

  it('counts page sizes given in variables', async () => {
    const small = await member.gql(VARIABLE_BOMB, { first: 20 });
    expectNoErrors(small);
    expectTooCostly(await member.gql(VARIABLE_BOMB, { first: 1_000_000 }));
  });

  it("keeps a normal query's latency while a bomb is sent in a loop within 2× of its latency alone", async () => {
    // What a home screen asks for: a few lists, a dozen statements.
    const normal = () =>
      member.gql(`{
        organization { name teams { id name { zh } members(first: 20) { nodes { id displayName } } } }
        memberHours { allTimeMinutes star { level } }
        hoursLeaderboard(period: ALL_TIME, first: 20) { rank member { id } }
        activities(first: 50) { nodes { id title team { id } } }
        myServiceRecords { id }
      }`);
    const sample = async (count: number) => {
      const times: number[] = [];
      for (let i = 0; i < count; i++) {
        const { result, ms } = await timed(normal);
        expectNoErrors(result);
        times.push(ms);
      }
      return times;
    };
    // The attacker, signed in, sends from a process of its own over HTTP, as from another machine: a loop
    // in this process would take the event loop's turns from the server in a way no remote client can.
    const attacker = await testApp.signUp();
    await testApp.app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${String((testApp.app.server.address() as AddressInfo).port)}/graphql`;
    const loop = fork(fileURLToPath(new URL('fixtures/request-loop.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const told = <Key extends 'started' | 'stopped'>(key: Key) =>
      new Promise<LoopMessage[Key]>((resolve) => {
        const listen = (message: Partial<LoopMessage>) => {
          if (!(key in message)) return;
          loop.off('message', listen);
          resolve(message[key] as LoopMessage[Key]);
        };
        loop.on('message', listen);
      });
    const answers = { refused: 0, other: 0 };
    /** Samples the normal query while the other process sends `query` in a loop, one request after the other. */
    const sampleUnderLoop = async (count: number, query: string, cookie: string) => {
      const started = told('started');
      loop.send({ start: { url, cookie, query } });
      await started;
      try {
        return await sample(count);
      } finally {
        const stopped = told('stopped');
        loop.send({ stop: true });
        const counts = await stopped;
        answers.refused += counts.refused;
        answers.other += counts.other;
      }
    };
    try {
      // Warm-up of both: the first requests of a file compile code paths, the loop's process its own.
      const bomb = () => sampleUnderLoop(5, leaderboardBomb(500), attacker.cookieHeader());
      // The smallest request there is, anonymous: what any client sending as fast as it is answered costs.
      const trivial = () => sampleUnderLoop(5, '{ __typename }', '');
      await sample(5);
      await bomb();
      await trivial();
      answers.refused = 0;
      answers.other = 0;
      // Alone, under the bomb and under the smallest request, in alternating rounds, so that the load of
      // whatever else runs on the machine weighs on all alike; medians, so that one request caught by that
      // load decides nothing.
      const alone: number[] = [];
      const underAttack: number[] = [];
      const underTrivialLoop: number[] = [];
      for (let round = 0; round < 5; round++) {
        alone.push(...(await sample(5)));
        underAttack.push(...(await bomb()));
        const before = answers.refused;
        underTrivialLoop.push(...(await trivial()));
        expect(answers.refused).toBe(before);
      }
      // The bomb was sent all along, and refused each time: more often than the normal query ran.
      expect(answers.refused).toBeGreaterThan(underAttack.length);
      expect(answers.other).toBeGreaterThan(underTrivialLoop.length);
      // Refused before its context is made (no statement, no pooled connection) and counted without
      // allocating, a bomb costs what the smallest request costs: about 1.8× here, as a loop of
      // `{ __typename }` does. On a machine so loaded that even that loop slows the query past 2×, the
      // bomb is held to that loop's effect instead; 5 ms for timers on a busy machine.
      const bound = Math.max(2 * median(alone), 1.25 * median(underTrivialLoop)) + 5;
      expect(median(underAttack)).toBeLessThan(bound);
    } finally {
      const exited = new Promise((resolve) => loop.once('exit', resolve));
      loop.disconnect();
      await exited;
    }
  });
});

describe('query cost limits on the WebSocket', () => {
  let testApp: TestApp;
  let member: Client;
  let baseUrl: string;
  beforeAll(async () => {
    testApp = await TestApp.start({
      NODE_ENV: 'production',
      APP_SECRET: 'a-production-secret-of-at-least-32-characters',
    });
    member = await testApp.signUp();
    await member.createOrganization();
    baseUrl = await listen(testApp);
  });
  afterAll(async () => {
    await testApp.close();
  });

  /** Sends each document as a subscription on one socket of the member's; the first answer to each. */
  async function subscribe(documents: string[]): Promise<{ type: string; payload?: unknown }[]> {
    const socket = new WebSocket(`${baseUrl}/graphql?org=${member.org ?? ''}`, 'graphql-transport-ws', {
      headers: { cookie: member.cookieHeader() },
    });
    const answers = new Map<string, { type: string; payload?: unknown }>();
    await new Promise<void>((resolve, reject) => {
      socket.on('open', () => {
        socket.send(JSON.stringify({ type: 'connection_init' }));
      });
      socket.on('message', (data: Buffer) => {
        const message = JSON.parse(data.toString()) as { type: string; id?: string; payload?: unknown };
        if (message.type === 'connection_ack') {
          documents.forEach((query, index) => {
            socket.send(JSON.stringify({ id: String(index), type: 'subscribe', payload: { query } }));
          });
          // A subscription the server accepts answers nothing until an event: a last, invalid one's error
          // says the ones before it were all handled (one socket's messages are handled in order).
          socket.send(JSON.stringify({ id: 'last', type: 'subscribe', payload: { query: '{ __typename }' } }));
        } else if (message.id !== undefined && !answers.has(message.id)) {
          answers.set(message.id, message);
          if (message.id === 'last') resolve();
        }
      });
      socket.on('error', reject);
    });
    socket.close();
    return documents.map((_query, index) => answers.get(String(index)) ?? { type: 'none' });
  }

  /** The web app's subscription of spot checks, with the fragment it spreads, as the web app sends it. */
  const webSubscription = () => {
    const document = parse(readFileSync(new URL('stations.graphql', WEB_OPERATIONS), 'utf8'));
    const operation = document.definitions.find(
      (definition): definition is OperationDefinitionNode =>
        definition.kind === Kind.OPERATION_DEFINITION && definition.name?.value === 'SpotCheckChanged',
    );
    if (!operation) throw new Error('no SpotCheckChanged in stations.graphql');
    return print({ kind: Kind.DOCUMENT, definitions: withFragments(document, operation) });
  };

  const codeOf = (answer: { type: string; payload?: unknown }) =>
    answer.type === 'error' && Array.isArray(answer.payload)
      ? (answer.payload as { extensions?: { code?: string; measure?: string } }[])[0]?.extensions
      : undefined;

  it('refuses subscription bombs with QUERY_TOO_COSTLY, invalid ones with GRAPHQL_VALIDATION, and takes the web app’s own', async () => {
    const aliases = (count: number) =>
      `subscription { spotCheckChanged { ${Array.from({ length: count }, (_, i) => `m${String(i)}: member { id displayName }`).join(' ')} } }`;
    // Within the depth limit; `first` from a variable counts as the largest page (100).
    const teams = Array.from(
      { length: 12 },
      (_, i) => `t${String(i)}: teams { members(first: $first) { nodes { teams { id } } } }`,
    ).join(' ');
    const nested = `subscription ($first: Int) { spotCheckChanged { member { ${teams} } } }`;
    // Costly only with `first` at its largest: refused all the same, as its variables are not known.
    expect(operationCost(testApp.app.graphql.schema, parse(nested), { first: 100 })).toBeGreaterThan(MAX_QUERY_COST);
    expect(operationCost(testApp.app.graphql.schema, parse(nested), { first: 1 })).toBeLessThan(MAX_QUERY_COST);
    const [long, many, costly, invalid, webApp, ...liveViews] = await subscribe([
      aliases(1_000),
      aliases(40),
      nested,
      `subscription { spotCheckChanged { memberr { id } } }`,
      webSubscription(),
      // The live views' own (web/src/lib/live-figures.svelte.ts, the spot checks' and attendance pages).
      `subscription { boardChanged { kind occurredAt } }`,
      `subscription { spotCheckChanged { id status } }`,
      `subscription ($id: ID!) { attendanceChanged(activityId: $id) { id } }`,
    ]);
    expect(codeOf(long ?? { type: 'none' })).toMatchObject({ code: 'QUERY_TOO_COSTLY', measure: 'tokens' });
    expect(codeOf(many ?? { type: 'none' })).toMatchObject({ code: 'QUERY_TOO_COSTLY', measure: 'aliases' });
    expect(codeOf(costly ?? { type: 'none' })).toMatchObject({ code: 'QUERY_TOO_COSTLY', measure: 'cost' });
    expect(codeOf(invalid ?? { type: 'none' })).toMatchObject({ code: 'GRAPHQL_VALIDATION' });
    expect(JSON.stringify(invalid)).not.toMatch(/did you mean/i);
    // The web app's own subscription is accepted: nothing comes back until an event.
    expect(webApp).toEqual({ type: 'none' });
    expect(liveViews.map((answer) => answer.type)).toEqual(['none', 'none', 'error']);
    // The attendance view's, sent without its variable here, is refused by GraphQL, not by the limits.
    expect(codeOf(liveViews[2] ?? { type: 'none' })?.code).not.toBe('QUERY_TOO_COSTLY');
  });

  it('closes a socket sent a message larger than MAX_SOCKET_MESSAGE_BYTES before reading it, and serves on', async () => {
    const socket = new WebSocket(`${baseUrl}/graphql?org=${member.org ?? ''}`, 'graphql-transport-ws', {
      headers: { cookie: member.cookieHeader() },
    });
    const closed = new Promise<number>((resolve) => {
      socket.on('close', (code: number) => {
        resolve(code);
      });
    });
    await new Promise<void>((resolve, reject) => {
      socket.on('open', () => {
        socket.send(JSON.stringify({ type: 'connection_init' }));
      });
      socket.on('message', () => {
        resolve();
      });
      socket.on('error', reject);
    });
    // 64 KiB of spaces around one field: under the token limit, over the message limit.
    const query = `subscription { spotCheckChanged { id ${' '.repeat(MAX_SOCKET_MESSAGE_BYTES)} } }`;
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
    expect(await closed).toBe(1009);
    const [webApp] = await subscribe([webSubscription()]);
    expect(webApp).toEqual({ type: 'none' });
  });
});
