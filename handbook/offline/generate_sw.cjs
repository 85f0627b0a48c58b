/* The site's service worker, from workbox-build, in two steps (handbook/offline/writer.py runs this with one JSON
   argument, its "step"):
   - "template": generateSW bundles the Workbox runtime and the rules below into one sw.js, with a slot for the
     precache list and one for the cache id. This is the slow step (rollup and terser, 2.1 s of a 2.4 s run on a
     two-case site), and its output depends only on this file and Workbox's version: the writer keeps it
     beside Workbox and makes it again only when one of them changes.
   - "manifest": getManifest globs the finished site as generateSW would (same patterns, ignores and size limit)
     and prints the precache list, with Workbox's revision (md5) of every file: 0.3 s.
   The rules are here, as Workbox wants them (functions and regular expressions, serialised into sw.js by
   workbox-build); everything edition- or build-specific fills the slots. */
"use strict";
const args = JSON.parse(process.argv[2]);

/* the finder's own parameters and Pagefind 1.4's cache-busting ?ts= are not part of a file's address */
const ignored = [/^ts$/, /^q$/, /^type$/, /^district$/, /^year$/, /^from$/, /^utm_/];
const files = {
  globDirectory: args.site,
  globPatterns: args.precache,
  globIgnores: ["**/*.map", "sw.js"],
  maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
};

function fail(err) {
  process.stderr.write(String(err && err.stack || err) + "\n");
  process.exit(1);
}

if (args.step === "manifest") {
  const { getManifest } = require(args.workbox + "/build/get-manifest");
  getManifest(files).then(({ manifestEntries, count, size, warnings }) => {
    warnings.forEach((w) => process.stderr.write(w + "\n"));
    process.stdout.write(JSON.stringify({ entries: manifestEntries, count, size }));
  }).catch(fail);
  return;
}

const { generateSW } = require(args.workbox + "/build/generate-sw");
generateSW({
  globDirectory: args.empty,             /* no files: the one entry is the slot the writer puts getManifest's list in */
  globPatterns: [],
  additionalManifestEntries: [{ url: args.precacheSlot, revision: null }],
  swDest: args.dest,
  cacheId: args.cacheId,                 /* a slot for handbook-<edition>-<build>: no two builds or editions share a cache */
  mode: "production",
  sourcemap: false,
  inlineWorkboxRuntime: true,            /* one file: the Workbox runtime vendored into sw.js */
  skipWaiting: false,                    /* the page asks ("手册已更新，点此刷新"), then the new build takes over whole */
  clientsClaim: true,
  cleanupOutdatedCaches: true,
  directoryIndex: "index.html",
  ignoreURLParametersMatching: ignored,
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
}).then(({ warnings }) => {
  warnings.forEach((w) => process.stderr.write(w + "\n"));
}).catch(fail);
