/**
 * Starts the real Qicai — production web build, API, a fresh database with
 * the demo organization — on a free port for the browser tests.
 */
import { loadConfig, startServer } from '@qicai/api';
import { createTestDatabase } from '@qicai/db/testing';
import { seedDemoIfEmpty } from '@qicai/scripts/demo';
import { ensureWebBuild } from '@qicai/scripts/web-build';
import { createServer } from 'node:net';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

export default async function setup(project: TestProject) {
  const port = await freePort();
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'warn', PORT: String(port), HOST: '127.0.0.1' });
  ensureWebBuild(config.webBuildDir);
  const testDatabase = await createTestDatabase();
  const database = await testDatabase.open();
  const app = await startServer({
    config,
    database,
    handleSignals: false,
    beforeListen: async (server) => {
      await seedDemoIfEmpty(server.database.db);
    },
  });
  project.provide('baseUrl', config.publicUrl.origin);
  return async () => {
    await app.close();
    await testDatabase.drop();
  };
}
