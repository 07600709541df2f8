/**
 * `pnpm dev`: the API on port 3001 (with the demo organization) and the web
 * app from Vite's dev server on http://localhost:5173, reloading on change.
 */
import { loadConfig, startServer } from '@qicai/api';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { seedDemoIfEmpty } from './demo/index.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const config = loadConfig({ PORT: '3001', PUBLIC_URL: 'http://localhost:5173', ...process.env });

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
  env: { ...process.env, API_URL: apiUrl },
});
vite.on('exit', (code) => process.exit(code ?? 0));
