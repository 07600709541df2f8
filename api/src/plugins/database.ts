import { openDatabase, type Database } from '@qicai/db';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.ts';

declare module 'fastify' {
  interface FastifyInstance {
    database: Database;
  }
}

export interface DatabasePluginOptions {
  config: Config;
  /** An already open database (tests); the app then leaves closing it to the caller. */
  database?: Database | undefined;
}

/** Opens the database (PostgreSQL when DATABASE_URL is set, else PGlite in the data folder), migrated. */
async function databasePlugin(app: FastifyInstance, options: DatabasePluginOptions) {
  const { config } = options;
  let database = options.database;
  if (!database) {
    database = await openDatabase({
      url: config.database.url,
      dataDir: config.database.pgliteDir,
      poolSize: config.database.poolSize,
      migrate: true,
    });
    const opened = database;
    app.addHook('onClose', () => opened.close());
  }
  app.decorate('database', database);
  app.log.info({ driver: database.driver }, 'database ready');
}

export default fp(databasePlugin, { name: 'database' });
