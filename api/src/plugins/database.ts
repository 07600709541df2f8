import { openDatabase, rowLevelSecurityProblem, type Database } from '@qicai/db';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.ts';

declare module 'fastify' {
  interface FastifyInstance {
    database: Database;
    /** SQL statements issued so far; counted only with the BENCH setting (see plugins/bench.ts). */
    statementCount: { statements: number };
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
  const statementCount = { statements: 0 };
  if (!database) {
    database = await openDatabase({
      url: config.database.url,
      dataDir: config.database.pgliteDir,
      migrationUrl: config.database.migrationUrl,
      preparedStatements: config.database.preparedStatements,
      poolSize: config.database.poolSize,
      statementTimeoutMs: config.database.statementTimeoutMs,
      migrate: true,
      onQuery: config.bench
        ? () => {
            statementCount.statements++;
          }
        : undefined,
    });
  }
  // Refuse to start rather than serve every tenant's rows to every other (see rowLevelSecurityProblem).
  const problem = await rowLevelSecurityProblem(database.db);
  if (problem) {
    if (!options.database) await database.close();
    throw new Error(problem);
  }
  if (!options.database) {
    const opened = database;
    app.addHook('onClose', () => opened.close());
  }
  app.decorate('database', database);
  app.decorate('statementCount', statementCount);
  app.log.info({ driver: database.driver }, 'database ready');
}

export default fp(databasePlugin, { name: 'database' });
