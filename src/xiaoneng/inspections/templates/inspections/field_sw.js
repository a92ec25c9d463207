/* The field app's service worker (docs/offline-sync.md, "The app"): it keeps the app's page
   and the files it needs on the phone, so the page opens without signal. Data never passes
   through here: the page keeps the officer's pack and queue in IndexedDB and talks to the API
   itself. The cache is named by the files' digest; a new release replaces it. */
"use strict";
var CACHE = "xiaoneng-field-{{ version }}";
var SHELL = "{{ scope }}";
var FILES = {{ files|safe }};

function keep(cache, url) {
  return fetch(url, { credentials: "same-origin", cache: "no-cache" }).then(function (response) {
    if (!response.ok || response.redirected) {
      throw new Error(url + " " + response.status);
    }
    return cache.put(url, response);
  });
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches
      .open(CACHE)
      .then(function (cache) {
        return Promise.all(FILES.map(function (url) { return keep(cache, url); }));
      })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches
      .keys()
      .then(function (keys) {
        return Promise.all(
          keys
            .filter(function (key) { return key.indexOf("xiaoneng-field-") === 0 && key !== CACHE; })
            .map(function (key) { return caches.delete(key); })
        );
      })
      .then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") {
    return;
  }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate" && url.pathname === SHELL) {
    // The network first: a fresh page (and session) with signal; the kept page without.
    event.respondWith(
      fetch(request)
        .then(function (response) {
          if (response.ok && response.type === "basic" && !response.redirected) {
            var copy = response.clone();
            caches.open(CACHE).then(function (cache) { cache.put(SHELL, copy); });
          }
          return response;
        })
        .catch(function () {
          return caches.match(SHELL).then(function (kept) {
            return kept || Response.error();
          });
        })
    );
    return;
  }
  if (FILES.indexOf(url.pathname) !== -1) {
    event.respondWith(
      caches.match(url.pathname).then(function (kept) { return kept || fetch(request); })
    );
  }
});
