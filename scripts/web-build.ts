import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function newestChange(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(stats.mtimeMs, ...readdirSync(path).map((entry) => newestChange(join(path, entry))));
}

/**
 * What the web build is built from: its own sources, the API's kernel it imports (@qicai/api/kernel),
 * and the packages (the lockfile, and the patches applied to them: a patched compiler builds another app).
 */
const WEB_BUILD_SOURCES = [
  'web/src',
  'web/static',
  'web/svelte.config.js',
  'web/vite.config.ts',
  'api/src/kernel',
  'pnpm-lock.yaml',
  'patches',
];

/** The web build is current if it is newer than every source it is built from. */
export function webBuildIsCurrent(buildDir: string): boolean {
  const handler = join(buildDir, 'handler.js');
  if (!existsSync(handler)) return false;
  const sources = WEB_BUILD_SOURCES.map((path) => join(root, path)).filter((path) => existsSync(path));
  return statSync(handler).mtimeMs >= Math.max(...sources.map(newestChange));
}

/** Builds the web app unless its build is current; exits the process if the build fails. */
export function ensureWebBuild(buildDir: string): void {
  if (webBuildIsCurrent(buildDir)) return;
  console.log('Building the web app (once; again only when it changes)…');
  const build = spawnSync('pnpm', ['--filter', '@qicai/web', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`the web build failed (exit ${build.status ?? 'signal'})`);
}
