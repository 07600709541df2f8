/**
 * The API refuses to start when the role application queries run as would
 * skip row-level security. PGlite is a cluster of its own, so changing the
 * application role here touches no other test's server.
 */
import { openDatabase, type Database } from '@qicai/db';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/build.ts';
import { loadConfig } from '../src/config.ts';

describe('the application role check at start', () => {
  let database: Database;
  beforeEach(async () => {
    database = await openDatabase({ dataDir: 'memory://' });
  });
  afterEach(async () => {
    await database.close();
  });

  /** Runs `statement` as PGlite's superuser, then acts as the application role again. */
  async function asSuperuser(statement: string) {
    await database.db.execute(sql.raw('RESET ROLE'));
    await database.db.execute(sql.raw(statement));
    await database.db.execute(sql.raw('SET ROLE qicai_app'));
  }

  const start = () => buildApp({ config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), database });

  it('starts when the role is a plain one', async () => {
    const app = await start();
    await app.close();
  });

  it('refuses a superuser, saying what to change', async () => {
    await asSuperuser('ALTER ROLE qicai_app SUPERUSER');
    await expect(start()).rejects.toThrow(/Refusing to serve.*qicai_app, is a superuser.*NOSUPERUSER NOBYPASSRLS/);
  });

  it('refuses a role with BYPASSRLS', async () => {
    await asSuperuser('ALTER ROLE qicai_app BYPASSRLS');
    await expect(start()).rejects.toThrow(/Refusing to serve.*qicai_app, has BYPASSRLS.*ALTER ROLE qicai_app/);
  });

  it('refuses the owner of a tenant table', async () => {
    await asSuperuser('ALTER TABLE members OWNER TO qicai_app');
    await expect(start()).rejects.toThrow(
      /Refusing to serve.*owns \(or is a member of the owner of\) members,.*migrates own/,
    );
  });
});
