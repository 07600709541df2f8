/**
 * Test databases: a fresh database per test file on the PostgreSQL server
 * when one is reachable (TEST_DATABASE_URL, else DATABASE_URL, else the local
 * server), otherwise an in-memory PGlite. Each is dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openDatabase, type Database, type OpenDatabaseOptions } from './client.ts';

const DEFAULT_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  /** The database's URL, or undefined on PGlite. */
  url: string | undefined;
  /** Opens a connection to it as the application would (several may be open at once). */
  open(
    options?: Pick<OpenDatabaseOptions, 'onQuery' | 'poolSize' | 'preparedStatements' | 'statementTimeoutMs'>,
  ): Promise<Database>;
  drop(): Promise<void>;
}

function serverUrl(): string {
  return process.env['TEST_DATABASE_URL'] ?? process.env['DATABASE_URL'] ?? DEFAULT_SERVER;
}

let serverReachable: Promise<boolean> | undefined;

/** Whether the PostgreSQL server for tests answers; asked once per process. */
export function postgresReachable(): Promise<boolean> {
  serverReachable ??= (async () => {
    const sql = postgres(serverUrl(), { max: 1, connect_timeout: 3, onnotice: () => {} });
    try {
      await sql`select 1`;
      return true;
    } catch {
      return false;
    } finally {
      await sql.end({ timeout: 1 });
    }
  })();
  return serverReachable;
}

function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** A fresh database on the test server if it is reachable, else in-memory PGlite (or as `driver` says). */
export async function createTestDatabase(driver?: 'postgres' | 'pglite'): Promise<TestDatabase> {
  const usePostgres = driver ? driver === 'postgres' : await postgresReachable();
  return usePostgres ? createPostgresTestDatabase() : pgliteTestDatabase();
}

async function createPostgresTestDatabase(): Promise<TestDatabase> {
  const name = `qicai_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(serverUrl(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = withDatabaseName(serverUrl(), name);
  const opened: Database[] = [];
  let migrated = false;
  return {
    url,
    async open(options) {
      const database = await openDatabase({ url, migrate: !migrated, ...options });
      migrated = true;
      opened.push(database);
      return database;
    },
    async drop() {
      await Promise.all(opened.map((d) => d.close()));
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** PGlite is one connection: every `open` shares the same instance. */
function pgliteTestDatabase(): TestDatabase {
  let database: Database | undefined;
  return {
    url: undefined,
    async open(options) {
      database ??= await openDatabase({ dataDir: 'memory://', ...options });
      return database;
    },
    async drop() {
      await database?.close();
    },
  };
}
