/**
 * `pnpm start`: builds the web app if it has no (current) build, starts Qicai
 * on one port — the embedded PGlite database unless DATABASE_URL is set —,
 * loads the demo organization into an empty database, and prints where to go
 * and how to sign in: with HOST=0.0.0.0 also each address phones on the LAN
 * can use, and with HTTPS=self-signed how to trust its certificate.
 */
import {
  lanAddressesServedAt,
  listensEverywhere,
  loadConfig,
  logOnlyNotice,
  selfSignedCertificate,
  startServer,
  systemClock,
} from '@qicai/api';
import { hostname } from 'node:os';
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
const scheme = config.https === 'off' ? 'http' : 'https';
// Every address of the machine it answers at: the web app accepts pages opened at any of them (api/src/plugins/web.ts).
const lanUrls = listensEverywhere(config.host)
  ? [...lanAddressesServedAt(config.host), hostname()].map((host) => `${scheme}://${host}:${config.port}`)
  : [];
const lan =
  lanUrls.length > 0
    ? `\n  On this network (phones on the same Wi-Fi):\n${lanUrls.map((lanUrl) => `    ${lanUrl}`).join('\n')}\n`
    : config.host === '127.0.0.1' || config.host === 'localhost'
      ? `\n  Only this computer can reach it: HOST=0.0.0.0 pnpm start opens it to phones on the LAN.\n`
      : '';
// Made already as the server started: this reads the same files.
const tls =
  config.https === 'self-signed'
    ? await selfSignedCertificate(config.dataDir, [config.publicUrl.hostname], systemClock.now())
    : undefined;
const trust = tls
  ? `
  HTTPS with a certificate of this machine's own authority. Browsers warn until it is trusted:
    authority certificate: ${tls.authorityFile}
    SHA-256 ${tls.authorityFingerprint}
    Android: copy the file to the phone, then Settings › Security › Encryption & credentials ›
      Install a certificate › CA certificate.
    iPhone: AirDrop or mail the file, install the profile (Settings › General › VPN & Device
      Management), then turn on full trust in Settings › General › About › Certificate Trust Settings.
    Or accept the browser's warning once per device (check-in and the camera still need HTTPS).
`
  : '';
const logOnly = logOnlyNotice(config);
const messages = logOnly ? `  ${logOnly}\n` : '';
const database = config.database.url
  ? `PostgreSQL (${new URL(config.database.url).host})`
  : `PGlite, embedded (${config.database.pgliteDir})`;
console.log(`
  Qicai 七彩 is running at ${url}
${lan}${trust}  Database: ${database}
${messages}
  Demo organization: ${url}/o/${DEMO_SLUG}
  Sign in at ${url}/signin with any of these (password ${DEMO_PASSWORD}):
${DEMO_SIGN_INS.map((person) => `    ${person.role.padEnd(7)} ${person.phone}  or  ${person.email}   (${person.name})`).join('\n')}

  Stop with Ctrl+C.
`);
app.log.info('started');
