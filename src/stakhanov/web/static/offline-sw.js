// stakhanov: keeps the scanning page and the kiosk usable without a network. Pages and their
// files come from the network when it answers (and are kept), from this cache when it does not.
// Posts are never touched: the pages queue them themselves and send them when the network returns.
"use strict";

const CACHE = "stakhanov-offline-1";
const PAGES = ["/scan", "/kiosk"];
const FILES = ["/static/style.css", "/static/app.js", "/static/jsQR.js", "/static/scan.js",
  "/static/kiosk.js"];

// A page is kept only as its viewer sees it: not a refusal, not the login page it redirects to.
function keep(cache, path, response) {
  if (response.ok && !response.redirected) return cache.put(path, response);
  return undefined;
}

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => Promise.all([
    cache.addAll(FILES),
    ...PAGES.map((path) => fetch(path).then((r) => keep(cache, path, r)).catch(() => undefined)),
  ])).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (!PAGES.includes(url.pathname) && !FILES.includes(url.pathname)) return;
  event.respondWith(fetch(request).then((response) => {
    const copy = response.clone();
    caches.open(CACHE).then((cache) => keep(cache, url.pathname, copy));
    return response;
  }).catch(() => caches.match(url.pathname).then((found) => found || Response.error())));
});
