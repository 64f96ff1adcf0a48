// Lane's service worker: precaches this build's app shell at install, so that after one online
// visit the app starts and routes with the network off. scripts/post-build.mjs fills in BUILD and
// PRECACHE for each build; a new build is a new cache, and the old one is deleted on activation.
const BUILD = "__LANE_BUILD__";
const PRECACHE = ["__LANE_PRECACHE__"];
const CACHE = `lane-shell-${BUILD}`;
// The kiosk's free times, by day: the last answer seen, for a booking made while the network is
// down (the kiosk then says the time is only requested). Not customer data; kept across builds.
const SLOTS = "lane-kiosk-slots";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { cache: "reload" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("lane-shell-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === "/api/kiosk/slots") {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) {
            const copy = response.clone();
            event.waitUntil(caches.open(SLOTS).then((cache) => cache.put(request, copy)));
          }
          return response;
        })
        .catch(() => caches.match(request, { cacheName: SLOTS }).then((hit) => hit || Response.error())),
    );
    return;
  }
  // The rest of the API is never cached: its answers belong to the sync engine, not to this worker.
  if (url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate") {
    // Every app route is the same shell; the router inside it picks the screen.
    event.respondWith(caches.match("/index.html", { cacheName: CACHE }).then((hit) => hit || fetch(request)));
    return;
  }
  event.respondWith(caches.match(request, { cacheName: CACHE }).then((hit) => hit || fetch(request)));
});
