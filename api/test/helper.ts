/**
 * Builds the real app on a fresh database (PostgreSQL when reachable, else
 * PGlite) and talks to it through GraphQL over `inject`, signing in through
 * the real sign-in.
 */
import { APP_ROLE, members, openDatabase, withTenant, type Database, type MemberRole } from '@qicai/db';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { createTestDatabase, type TestDatabase } from '@qicai/db/testing';
import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { buildApp } from '../src/build.ts';
import { loadConfig, type Environment } from '../src/config.ts';
import type { Clock } from '../src/shared/clock.ts';

import { normalizeEmail, normalizePhone } from '../src/modules/people/validation.ts';
import { testClock } from './clock.ts';
import type { DeliveryAdapter, OutgoingMessage } from '../src/shared/delivery.ts';

/**
 * What the app under test sent (codes, reset links, invitations), in order:
 * the channels' adapter of every TestApp unless a test asks for the
 * configured ones (`delivery: 'configured'`, to test SMTP or an SMS provider).
 */
export class SentMessages implements DeliveryAdapter {
  readonly all: OutgoingMessage[] = [];

  send(message: OutgoingMessage): Promise<void> {
    this.all.push(message);
    return Promise.resolve();
  }

  /** The latest message to a recipient, of a kind. */
  latest(recipient: string, kind?: OutgoingMessage['kind']): OutgoingMessage | undefined {
    return this.all.findLast((message) => message.recipient === recipient && (!kind || message.kind === kind));
  }

  /** The code in the latest code sent to a recipient. */
  code(recipient: string): string {
    const code = this.all.findLast(
      (message) =>
        message.recipient === recipient &&
        (message.kind === 'VERIFICATION_CODE' || message.kind === 'PASSWORD_RESET_CODE'),
    )?.params['code'];
    if (!code) throw new Error(`no code was sent to ${recipient}`);
    return code;
  }
}

export interface GraphQLResponse<Data = Record<string, unknown>> {
  data: Data | null;
  errors?: { message: string; path?: string[]; extensions?: { code?: string; fields?: Record<string, string> } }[];
}

/**
 * The second wall out of the way: row-level security off on every table, so
 * that only the application's own `org_id` filters keep organizations apart.
 * The `api-without-rls` project (vitest.config.ts) runs the isolation tests so.
 */
export const withoutRowLevelSecurity = process.env['TEST_WITHOUT_RLS'] === '1';

async function disableRowLevelSecurity(database: Database, url: string | undefined): Promise<void> {
  const statement = `DO $$ DECLARE t regclass; BEGIN
    FOR t IN SELECT oid::regclass FROM pg_class WHERE relrowsecurity AND relnamespace = 'public'::regnamespace LOOP
      EXECUTE format('ALTER TABLE %s DISABLE ROW LEVEL SECURITY', t);
    END LOOP; END $$`;
  if (url) {
    const owner = postgres(url, { max: 1, onnotice: () => {} });
    await owner.unsafe(statement);
    await owner.end();
    return;
  }
  // PGlite: one connection, signed in as its owner and acting as the application role.
  await database.db.execute(sql`RESET ROLE`);
  await database.db.execute(sql.raw(statement));
  await database.db.execute(sql.raw(`SET ROLE ${APP_ROLE}`));
}

export class TestApp {
  private constructor(
    readonly app: FastifyInstance,
    readonly database: Database,
    private readonly testDatabase: TestDatabase,
    private readonly counter: { statements: number },
    /** What the app sent. */
    readonly sent: SentMessages,
    /** False for a sibling: the first app's close drops the database. */
    private readonly ownsDatabase = true,
  ) {}

  /** The test database's URL (to connect as its owner), or undefined on PGlite. */
  get databaseUrl(): string | undefined {
    return this.testDatabase.url;
  }

  /** SQL statements the app has issued so far. */
  get statements(): number {
    return this.counter.statements;
  }

  /**
   * `prepare` runs on the migrated database, as its owner, before the app
   * starts (e.g. to bulk-load a dataset); it is given the database's URL
   * (undefined on PGlite).
   */
  static async start(
    settings: Partial<Environment> = {},
    options: {
      prepare?: (url: string | undefined) => Promise<void>;
      clock?: Clock;
      /** 'configured': send through the adapters the settings choose (SMTP_URL, SMS_PROVIDER), and `sent` after. */
      delivery?: 'record' | 'configured';
      /** The database: PostgreSQL when reachable, else PGlite, unless given. */
      driver?: 'postgres' | 'pglite';
    } = {},
  ): Promise<TestApp> {
    const testDatabase = await createTestDatabase(options.driver);
    const counter = { statements: 0 };
    const database = await testDatabase.open({
      onQuery: () => {
        counter.statements++;
      },
      poolSize: settings.DATABASE_POOL_SIZE === undefined ? undefined : Number(settings.DATABASE_POOL_SIZE),
      statementTimeoutMs:
        settings.DATABASE_STATEMENT_TIMEOUT_SECONDS === undefined
          ? undefined
          : Number(settings.DATABASE_STATEMENT_TIMEOUT_SECONDS) * 1000,
    });
    if (withoutRowLevelSecurity) await disableRowLevelSecurity(database, testDatabase.url);
    await options.prepare?.(testDatabase.url);
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...settings });
    const sent = new SentMessages();
    const app = await buildApp({
      config,
      database,
      clock: options.clock ?? testClock,
      deliveryAdapter: options.delivery === 'configured' ? undefined : sent,
      deliveryObserver: options.delivery === 'configured' ? sent : undefined,
    });
    return new TestApp(app, database, testDatabase, counter, sent);
  }

  /**
   * A second instance of the app on the same database (its own connections),
   * as behind a load balancer. Close it before the first.
   */
  async sibling(settings: Partial<Environment> = {}): Promise<TestApp> {
    const counter = { statements: 0 };
    const database = await this.testDatabase.open({
      onQuery: () => {
        counter.statements++;
      },
    });
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...settings });
    const app = await buildApp({ config, database, clock: testClock, deliveryAdapter: this.sent });
    return new TestApp(app, database, this.testDatabase, counter, this.sent, false);
  }

  /**
   * A second instance reaching the same database through `url` (a pooler
   * such as PgBouncer in transaction mode, with `settings` for it); closes its
   * own connections. Close it before the first.
   */
  async siblingThrough(url: string, settings: Partial<Environment> = {}): Promise<TestApp> {
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...settings, DATABASE_URL: url });
    const database = await openDatabase({
      url,
      poolSize: config.database.poolSize,
      preparedStatements: config.database.preparedStatements,
    });
    const app = await buildApp({ config, database, clock: testClock, deliveryAdapter: this.sent });
    const sibling = new TestApp(app, database, this.testDatabase, { statements: 0 }, this.sent, false);
    sibling.closesDatabase = true;
    return sibling;
  }

  /** Topics this instance's emitter has finished subscribing to, as they come. */
  private readonly subscriptions = new EventEmitter();
  private watchingSubscriptions = false;

  /**
   * Resolves once a subscription to a topic containing `part` (an activity's
   * or organization's id) is in place on this instance: its emitter says so,
   * with Redis once the channel is subscribed. Publish after this, not after a sleep.
   */
  subscribed(part: string): Promise<string> {
    if (!this.watchingSubscriptions) {
      this.watchingSubscriptions = true;
      const { emitter } = this.app.liveEvents;
      const on = emitter.on.bind(emitter);
      emitter.on = (topic, listener, callback) =>
        on(topic, listener, (...result: unknown[]) => {
          // The emitter's callback may carry an error (its type says nothing of it): passed on as it came.
          if (callback) Reflect.apply(callback, undefined, result);
          if (result[0] === undefined || result[0] === null) this.subscriptions.emit('subscribed', topic);
        });
    }
    return new Promise((resolve) => {
      const check = (topic: string) => {
        if (!topic.includes(part)) return;
        this.subscriptions.off('subscribed', check);
        resolve(topic);
      };
      this.subscriptions.on('subscribed', check);
    });
  }

  /** True for a sibling through a pooler: its connections are its own to close. */
  private closesDatabase = false;

  async close(): Promise<void> {
    await this.app.close();
    if (this.closesDatabase) await this.database.close();
    // A sibling's connections are closed with the database, when the first app drops it.
    if (this.ownsDatabase) await this.testDatabase.drop();
  }

  /** A client with no session. */
  anonymous(org?: string): Client {
    return new Client(this, null, org ?? null);
  }

  private accountCounter = 0;

  /**
   * Registers a new account through the API — the code sent to its phone or
   * email, then the code back — and returns a client signed in as it. Each
   * comes from an address of its own, so the per-address throttle of codes
   * never counts one test's accounts against another's.
   */
  async signUp(
    fields: { displayName?: string; email?: string; phone?: string; password?: string } = {},
  ): Promise<Client> {
    const n = ++this.accountCounter;
    const input = {
      displayName: fields.displayName ?? `志愿者${n}`,
      email: fields.email ?? (fields.phone ? undefined : `volunteer${n}.${randomUUID().slice(0, 8)}@example.cn`),
      phone: fields.phone,
      password: fields.password ?? 'correct horse battery',
    };
    const client = this.anonymous();
    const address = `10.${String((n >> 16) & 255)}.${String((n >> 8) & 255)}.${String(n & 255)}`;
    expectNoErrors(
      await client.gql(
        `mutation ($input: RegisterInput!) { startRegistration(input: $input) { sentTo } }`,
        { input },
        {},
        address,
      ),
    );
    const login = input.phone ? normalizePhone(input.phone) : normalizeEmail(input.email ?? '');
    const result = await client.gql<{ confirmRegistration: { account: { id: string } } }>(
      `mutation ($input: ConfirmRegistrationInput!) { confirmRegistration(input: $input) { account { id } } }`,
      { input: { login, code: this.sent.code(login) } },
      {},
      address,
    );
    expectNoErrors(result);
    client.accountId = result.data?.confirmRegistration.account.id ?? null;
    client.email = input.email;
    return client;
  }

  /** Seed builder: makes an account a member of an organization (the roster API arrives with the members issue). */
  async addMember(orgId: string, client: Client, role: MemberRole = 'MEMBER'): Promise<string> {
    if (!client.accountId) throw new Error('client is not signed in');
    const accountId = client.accountId;
    const [member] = await withTenant(this.database.db, { orgId, accountId: null }, (tx) =>
      tx
        .insert(members)
        .values({ orgId, accountId, displayName: `成员 ${accountId.slice(0, 4)}`, role })
        .returning(),
    );
    if (!member) throw new Error('no member inserted');
    return member.id;
  }
}

export class Client {
  accountId: string | null = null;
  /** The email the account signs in with, for clients made by signUp. */
  email: string | undefined;
  private cookies = new Map<string, string>();

  constructor(
    private readonly testApp: TestApp,
    accountId: string | null,
    /** The slug sent in X-Qicai-Org. */
    public org: string | null,
  ) {
    this.accountId = accountId;
  }

  /** The Cookie header this client sends (e.g. to open a WebSocket as it). */
  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** The same session, naming another organization. */
  in(org: string | null): Client {
    const copy = new Client(this.testApp, this.accountId, org);
    copy.cookies = this.cookies;
    return copy;
  }

  /** The same session and organization, talking to another instance of the app (a sibling). */
  on(instance: TestApp): Client {
    const copy = new Client(instance, this.accountId, this.org);
    copy.cookies = this.cookies;
    return copy;
  }

  /** A POST to a route beside /graphql, with this client's session and organization. */
  async post(url: string, payload: Buffer, headers: Record<string, string> = {}) {
    return this.testApp.app.inject({
      method: 'POST',
      url,
      headers: {
        ...(this.org ? { 'x-qicai-org': this.org } : {}),
        ...(this.cookies.size > 0
          ? { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ') }
          : {}),
        ...headers,
      },
      payload,
    });
  }

  async gql<Data = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    headers: Record<string, string> = {},
    /** The address the request comes from (the connection's; 127.0.0.1 unless given). */
    remoteAddress?: string,
  ): Promise<GraphQLResponse<Data>> {
    const response = await this.testApp.app.inject({
      method: 'POST',
      url: '/graphql',
      ...(remoteAddress ? { remoteAddress } : {}),
      headers: {
        'content-type': 'application/json',
        ...(this.org ? { 'x-qicai-org': this.org } : {}),
        ...(this.cookies.size > 0
          ? { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ') }
          : {}),
        ...headers,
      },
      payload: { query, variables },
    });
    for (const cookie of response.cookies) {
      if (cookie.value === '' || (cookie.expires && cookie.expires.getTime() < testClock.now().getTime()))
        this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    return response.json<GraphQLResponse<Data>>();
  }

  /** Creates an organization as this client and names it from now on. */
  async createOrganization(name = '七彩之光测试协会', slug = `org-${Math.random().toString(36).slice(2, 10)}`) {
    const result = await this.gql<{ createOrganization: { id: string; slug: string } }>(
      `mutation ($input: CreateOrganizationInput!) { createOrganization(input: $input) { id slug } }`,
      { input: { name, slug } },
    );
    expectNoErrors(result);
    const organization = result.data?.createOrganization;
    if (!organization) throw new Error('no organization');
    this.org = organization.slug;
    return organization;
  }

  /** The teams of the named organization by colour. */
  async teams(): Promise<Record<string, string>> {
    const result = await this.gql<{ organization: { teams: { id: string; colour: string }[] } }>(
      `{ organization { teams { id colour } } }`,
    );
    expectNoErrors(result);
    return Object.fromEntries((result.data?.organization.teams ?? []).map((team) => [team.colour, team.id]));
  }
}

export function expectNoErrors(result: GraphQLResponse<unknown>): void {
  if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
}

/** The code of the first error, or undefined. */
export function errorCode(result: GraphQLResponse<unknown>): string | undefined {
  return result.errors?.[0]?.extensions?.code;
}
