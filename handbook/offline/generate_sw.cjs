/* Writes the site's service worker with workbox-build (handbook/offline/writer.py runs it with one JSON argument).
   Everything edition- or build-specific comes from that argument; the rules are here, as Workbox wants them
   (functions and regular expressions, serialised into sw.js by workbox-build). */
"use strict";
const args = JSON.parse(process.argv[2]);
const { generateSW } = require(args.workbox);

/* the finder's own parameters and Pagefind 1.4's cache-busting ?ts= are not part of a file's address */
const ignored = [/^ts$/, /^q$/, /^type$/, /^district$/, /^year$/, /^from$/, /^utm_/];

generateSW({
  globDirectory: args.site,
  globPatterns: args.precache,
  globIgnores: ["**/*.map"],
  swDest: args.site + "/sw.js",
  cacheId: args.cacheId,                 /* handbook-<edition>-<build>: no two builds or editions share a cache */
  mode: "production",
  sourcemap: false,
  inlineWorkboxRuntime: true,            /* one file: the Workbox runtime vendored into sw.js */
  skipWaiting: false,                    /* the page asks ("手册已更新，点此刷新"), then the new build takes over whole */
  clientsClaim: true,
  cleanupOutdatedCaches: true,
  directoryIndex: "index.html",
  ignoreURLParametersMatching: ignored,
  maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
  importScripts: [args.extra],
  runtimeCaching: [
    {
      /* pages: the network first, the kept copy without one, the offline page when there is none */
      urlPattern: ({ request, url }) => request.mode === "navigate" && url.href.startsWith(self.registration.scope),
      handler: "NetworkFirst",
      options: {
        cacheName: args.cacheId + "-pages",
        networkTimeoutSeconds: 6,
        matchOptions: { ignoreSearch: true },
        /* not kept: the offline page (precached), at its own address so that its relative links work */
        plugins: [{
          handlerDidError: async ({ request }) =>
            Response.redirect(self.registration.scope + "offline/?from=" + encodeURIComponent(request.url), 302),
        }],
      },
    },
    {
      /* images and PDFs of this site: kept once seen (or saved with "离线保存全部案例") */
      urlPattern: ({ url }) => url.href.startsWith(self.registration.scope) && /\.(png|jpe?g|gif|webp|svg|pdf)$/i.test(url.pathname),
      handler: "CacheFirst",
      options: { cacheName: args.cacheId + "-pages", matchOptions: { ignoreSearch: true } },
    },
  ],
}).then(({ count, size, warnings }) => {
  warnings.forEach((w) => process.stderr.write(w + "\n"));
  process.stdout.write(JSON.stringify({ count, size }));
}).catch((err) => {
  process.stderr.write(String(err && err.stack || err) + "\n");
  process.exit(1);
});
