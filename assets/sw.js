/* Service worker of the annotator: keeps the app shell so the app opens offline.
 *
 * scripts/post_build.py (a Trunk post_build hook) fills in VERSION (a hash of the build's
 * files) and SHELL (every file of dist/, relative to this script), so every new build is a
 * byte-different sw.js, which the browser installs on the next visit.
 *
 * - install: precaches this version's shell, then takes over at once (skipWaiting);
 * - activate: deletes the caches of other versions of this scope, claims the open pages and
 *   tells them its version; a page that runs another version (it came from the cache) then
 *   offers a reload (src/browser/offline.rs);
 * - navigations: network first, so a new deployment is picked up on the next visit; the
 *   cached page when the network fails, answers 5xx, or is slower than NAVIGATION_TIMEOUT_MS;
 * - other same-origin GETs: cache first (trunk's file names carry a content hash), else network.
 * Nothing is fetched from other origins, and nothing but the shell is ever written to the cache.
 */
"use strict";

const VERSION = "__VERSION__";
const SHELL = [/*SHELL*/];
const NAVIGATION_TIMEOUT_MS = 3000;
// Caches are per origin, not per scope: the scope in the name keeps two copies of the app
// hosted under different paths of one origin from deleting each other's caches.
const PREFIX = "annotator " + self.registration.scope + " ";
const CACHE = PREFIX + VERSION;

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // cache: "reload" skips the HTTP cache, so the shell matches this version exactly.
      await cache.addAll(SHELL.map((url) => new Request(url, { cache: "reload" })));
      await self.skipWaiting();
    })()
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== CACHE).map((n) => caches.delete(n)));
      await self.clients.claim();
      const pages = await self.clients.matchAll({ type: "window" });
      for (const page of pages) page.postMessage({ type: "annotator-sw-activated", version: VERSION });
    })()
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(request.mode === "navigate" ? navigate(request) : cacheFirst(request));
});

// Reads go through caches.match with this version's cache name, never caches.open: once a
// newer version has activated and deleted this cache, a fetch this worker still answers would
// otherwise create it again (empty), and the old version's cache would never go away.
async function cacheFirst(request) {
  return (await caches.match(request, { cacheName: CACHE })) || fetch(request);
}

/** The cached page for a navigation: the URL itself (any query), else the shell's index. */
async function cachedPage(request) {
  const page =
    (await caches.match(request, { cacheName: CACHE, ignoreSearch: true })) ||
    (await caches.match(new URL("./", self.registration.scope).href, { cacheName: CACHE })) ||
    (await caches.match(new URL("./index.html", self.registration.scope).href, { cacheName: CACHE }));
  if (!page || !page.redirected) return page;
  // A navigation may not be answered with a response that went through a redirect.
  return new Response(await page.blob(), { status: page.status, statusText: page.statusText, headers: page.headers });
}

async function navigate(request) {
  // "no-cache" revalidates with the server, so a host's caching headers do not hide a new
  // version; "manual" hands redirects back to the browser as they are.
  const network = fetch(request.url, { cache: "no-cache", credentials: "same-origin", redirect: "manual" });
  network.catch(() => {}); // a late failure after the cached page was served is not an error
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(resolve, NAVIGATION_TIMEOUT_MS, "timeout");
  });
  try {
    const first = await Promise.race([network, timeout]);
    if (first !== "timeout" && first.status < 500) return first;
    const page = await cachedPage(request);
    return page || (await network);
  } catch (error) {
    // Offline, or the server is gone.
    const page = await cachedPage(request);
    if (page) return page;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
