/**
 * The service worker that makes Qicai installable and lets the check-in page
 * open with no signal (离线打卡). The app shell — the built scripts and
 * styles and the static files (icons, manifest) — is cached when it installs,
 * one cache per build. Pages are fetched from the network first; the
 * activity pages a member opens (the list, an activity, its check-in page)
 * and the ones the page asks for (`CACHE_PAGES`: the member's upcoming
 * check-in pages) are kept, and given from the cache when the network is
 * gone (type-checked as a worker: ./tsconfig.json). Nothing else is kept: no other page, no API call, no form post (a
 * check-in taken offline waits in IndexedDB, see src/lib/offline-queue.ts).
 */
import { build, files, version } from '$service-worker';

declare const self: ServiceWorkerGlobalScope;

const SHELL = `shell-${version}`;
const PAGES = `pages-${version}`;
const SHELL_FILES = new Set([...build, ...files]);

/** The pages kept for offline use: an organization's activities, one activity, its check-in page. */
const KEPT_PAGE = /^\/o\/[^/]+\/(home|activities(\/[0-9a-f-]{36}(\/check-in)?)?)(\/__data\.json)?$/;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL);
      await cache.addAll([...SHELL_FILES]);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== SHELL && key !== PAGES) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

/** A page fetched now and kept; on no network, the kept copy (any query: the QR code's `?code=`). */
async function networkFirst(request: Request, keep: boolean): Promise<Response> {
  const cache = await caches.open(PAGES);
  try {
    const response = await fetch(request);
    if (keep && response.ok && response.type === 'basic' && !response.redirected) {
      await cache.put(request, response.clone());
    }
    return response;
  } catch (cause) {
    const kept = await cache.match(request, { ignoreSearch: true });
    if (kept) return kept;
    throw cause;
  }
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // Signing out forgets the pages kept for this person.
  if (request.method === 'POST' && url.pathname === '/signout') event.waitUntil(caches.delete(PAGES));
  if (request.method !== 'GET') return;
  if (SHELL_FILES.has(url.pathname)) {
    event.respondWith(caches.match(url.pathname).then((cached) => cached ?? fetch(request)));
    return;
  }
  const keep = KEPT_PAGE.test(url.pathname);
  if (request.mode === 'navigate' || keep) event.respondWith(networkFirst(request, keep));
});

/** The page names pages to keep for offline use (the member's upcoming check-in pages). */
self.addEventListener('message', (event) => {
  const data: unknown = event.data;
  if (!data || typeof data !== 'object' || !('type' in data) || data.type !== 'CACHE_PAGES') return;
  const paths =
    'paths' in data && Array.isArray(data.paths) ? data.paths.filter((path) => typeof path === 'string') : [];
  event.waitUntil(
    (async () => {
      const cache = await caches.open(PAGES);
      for (const path of paths) {
        if (!KEPT_PAGE.test(path)) continue;
        for (const page of [path, `${path}/__data.json`]) {
          const response = await fetch(page, { credentials: 'same-origin' }).catch(() => null);
          if (response?.ok && !response.redirected) await cache.put(page, response);
        }
      }
    })(),
  );
});
