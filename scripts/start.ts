/**
 * `pnpm start`: builds the web app if it has no (current) build, starts Qicai
 * on one port — the embedded PGlite database unless DATABASE_URL is set —,
 * loads the demo organization into an empty database, and prints where to go
 * and how to sign in.
 */
import { loadConfig, startServer } from '@qicai/api';
import { DEMO_PASSWORD, DEMO_SIGN_INS, DEMO_SLUG, seedDemoIfEmpty } from './demo/index.ts';
import { ensureWebBuild } from './web-build.ts';

// Quieter than a server's default: a person is reading this terminal.
const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env });

ensureWebBuild(config.webBuildDir);

const app = await startServer({
  config,
  beforeListen: async (server) => {
    if (process.env['QICAI_DEMO'] === '0') return;
    if (await seedDemoIfEmpty(server.database.db)) console.log('Loaded the demo organization.');
  },
});

const url = config.publicUrl.origin;
const database = config.database.url
  ? `PostgreSQL (${new URL(config.database.url).host})`
  : `PGlite, embedded (${config.database.pgliteDir})`;
console.log(`
  Qicai 七彩 is running at ${url}
  Database: ${database}

  Demo organization: ${url}/o/${DEMO_SLUG}
  Sign in at ${url}/signin with any of these (password ${DEMO_PASSWORD}):
${DEMO_SIGN_INS.map((person) => `    ${person.role.padEnd(7)} ${person.phone}  or  ${person.email}   (${person.name})`).join('\n')}

  Stop with Ctrl+C.
`);
app.log.info('started');
