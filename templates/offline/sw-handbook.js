/* The handbook's part of its service worker (imported by the sw.js that workbox-build writes; the writer puts
   `self.HB_OFFLINE = {cacheId, prefix, saved}` above this). Two things Workbox does not do:
   - a new build replaces the old caches as a whole: on activate, every cache of this edition (prefix) that is
     not this build's (cacheId) is deleted; the other edition's caches have another prefix and are left alone;
   - what the reader had saved with "离线保存全部案例" is saved again from the new build while it installs
     (if that fails, the install fails and the old build stays, whole). */
(function () {
  "use strict";
  var cfg = self.HB_OFFLINE, mine = cfg.cacheId + "-";
  var scope = self.registration.scope, MARK = scope + "offline/saved";

  function ours(name) { return name.indexOf(cfg.prefix) === 0; }
  function oldPages() {
    return caches.keys().then(function (names) {
      return names.filter(function (n) { return ours(n) && n.indexOf(mine) !== 0 && /-pages$/.test(n); });
    });
  }
  function savedBefore() {
    return oldPages().then(function (names) {
      return Promise.all(names.map(function (n) {
        return caches.open(n).then(function (c) { return c.match(MARK); })
          .then(function (r) { return r ? r.json() : null; });
      }));
    }).then(function (marks) { return marks.filter(Boolean)[0] || null; });
  }

  self.addEventListener("install", function (event) {
    event.waitUntil(savedBefore().then(function (mark) {
      if (!mark) return;
      return fetch(scope + cfg.saved, { cache: "no-store" }).then(function (r) { return r.json(); }).then(function (list) {
        var urls = list.files.map(function (f) { return scope + f[0]; });
        if (mark.pdf && list.pdf) urls.push(scope + list.pdf[0]);
        return caches.open(list.cache).then(function (cache) {
          return cache.addAll(urls).then(function () {
            return cache.put(MARK, new Response(JSON.stringify(mark), { headers: { "Content-Type": "application/json" } }));
          });
        });
      });
    }));
  });

  self.addEventListener("activate", function (event) {
    event.waitUntil(caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) { return ours(n) && n.indexOf(mine) !== 0; })
        .map(function (n) { return caches.delete(n); }));
    }));
  });
})();
