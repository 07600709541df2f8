/**
 * `pnpm dev`: the API on port 3001 (with the demo organization) and the web
 * app from Vite's dev server on http://localhost:5173, reloading on change.
 */
import { loadConfig, startServer } from '@qicai/api';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { seedDemoIfEmpty } from './demo/index.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
// The web server is another process here: both sign and check the client address with this key.
const webForwardingKey = process.env['WEB_FORWARDING_KEY'] ?? randomBytes(32).toString('base64url');
const config = loadConfig({
  PORT: '3001',
  PUBLIC_URL: 'http://localhost:5173',
  ...process.env,
  WEB_FORWARDING_KEY: webForwardingKey,
});

await startServer({
  config,
  serveWeb: false,
  beforeListen: async (server) => {
    await seedDemoIfEmpty(server.database.db);
  },
});

const apiUrl = `http://127.0.0.1:${config.port}`;
const vite = spawn('pnpm', ['--filter', '@qicai/web', 'dev'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, API_URL: apiUrl, WEB_FORWARDING_KEY: webForwardingKey },
});
vite.on('exit', (code) => process.exit(code ?? 0));
