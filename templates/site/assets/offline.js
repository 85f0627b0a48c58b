/* The offline site, on the page's side (handbook/offline/): registers the service worker (sw.js, written by
   workbox-build at build time), shows "手册已更新，点此刷新" when a new build is waiting, and drives the home
   page's "离线保存全部案例" (every case page and image into this build's cache, with its size shown first and
   a progress bar). Without service workers (some in-app browsers) or without a secure context (plain HTTP)
   nothing is registered, the site is the normal one, and the home page says that the PDF is the offline copy. */
(function () {
  "use strict";
  var link = document.querySelector('link[rel="manifest"]');
  if (!link) return;
  var root = new URL("./", link.href).href;
  var box = document.querySelector(".hb-offline");
  var supported = "serviceWorker" in navigator && window.isSecureContext && "caches" in window;

  function mb(bytes) { return (bytes / 1048576).toFixed(bytes < 10485760 ? 1 : 0) + " MB"; }
  function say(text) { if (box) box.querySelector(".hb-offline__status").textContent = text; }

  if (box) box.hidden = false;
  if (!supported) {
    if (box) {
      box.querySelector(".hb-offline__save").hidden = true;
      box.querySelector(".hb-offline__pdf-option").hidden = true;
      say(!window.isSecureContext
        ? "离线保存需要网站通过 HTTPS 访问，这个地址不是。需要离线阅读时，请下载 PDF 手册。"
        : "这个浏览器不能离线保存网站（部分 App 内置的浏览器就是这样）。需要离线阅读时，请下载 PDF 手册，或换用系统浏览器打开本站。");
    }
    return;
  }

  /* ---- updates: a new build installed and waiting ---- */
  var asked = false;
  function offerUpdate(worker) {
    if (document.querySelector(".hb-update")) return;
    var b = document.createElement("button");
    b.type = "button";
    b.className = "md-button md-button--primary hb-update";
    b.textContent = "手册已更新，点此刷新";
    b.addEventListener("click", function () { asked = true; b.disabled = true; worker.postMessage({ type: "SKIP_WAITING" }); });
    document.body.appendChild(b);
  }
  navigator.serviceWorker.addEventListener("controllerchange", function () {
    if (asked) { asked = false; location.reload(); }
  });
  function register() { navigator.serviceWorker.register(root + "sw.js", { scope: root }).then(function (reg) {
    if (!reg) return;  /* a browser whose register() gives nothing back (a blocked or stubbed service worker) */
    if (reg.waiting && navigator.serviceWorker.controller) offerUpdate(reg.waiting);
    reg.addEventListener("updatefound", function () {
      var w = reg.installing;
      if (!w) return;
      w.addEventListener("statechange", function () {
        if (w.state === "installed" && navigator.serviceWorker.controller) offerUpdate(w);
      });
    });
    document.documentElement.setAttribute("data-hb-sw", "registered");
  }, function () { /* no sw.js (the preview): the normal site */ }); }
  /* after the page has loaded: the precache is downloaded then, never before what the reader came for */
  if (document.readyState === "complete") register(); else window.addEventListener("load", register);

  /* ---- "离线保存全部案例" (home page only) ---- */
  if (!box) return;
  var button = box.querySelector(".hb-offline__save");
  var withPdf = box.querySelector(".hb-offline__pdf");
  var progress = box.querySelector(".hb-offline__progress");
  var MARK = root + "offline/saved";
  fetch(root + "offline/saved.json").then(function (r) {
    if (!r.ok) throw new Error(r.status);
    return r.json();
  }).then(function (list) {
    function total() { return list.bytes + (withPdf.checked && list.pdf ? list.pdf[1] : 0); }
    function label() { button.textContent = "离线保存全部案例（" + list.cases + " 个，约 " + mb(total()) + "）"; }
    if (list.pdf) box.querySelector(".hb-offline__pdf-size").textContent = "（约 " + mb(list.pdf[1]) + "）";
    else box.querySelector(".hb-offline__pdf-option").hidden = true;
    withPdf.addEventListener("change", label);
    label();
    caches.open(list.cache).then(function (c) { return c.match(MARK); }).then(function (r) {
      say(r ? "全部案例已保存在这台设备上，没有网络时也能阅读。" : "保存后，没有网络时也能打开首页、案例检索和每个案例。");
      box.setAttribute("data-saved", r ? "yes" : "no");
    });
    button.addEventListener("click", function () {
      var files = list.files.slice();
      if (withPdf.checked && list.pdf) files.push(list.pdf);
      var want = total(), done = 0, next = 0, failed = 0;
      button.disabled = true;
      progress.hidden = false;
      progress.max = want;
      progress.value = 0;
      say("正在保存…… 0 / " + mb(want));
      caches.open(list.cache).then(function (cache) {
        function one() {  /* four at a time */
          if (next >= files.length) return Promise.resolve();
          var f = files[next++];
          return cache.add(root + f[0]).then(null, function () { failed++; }).then(function () {
            done += f[1];
            progress.value = done;
            say("正在保存…… " + mb(done) + " / " + mb(want));
            return one();
          });
        }
        return Promise.all([one(), one(), one(), one()]).then(function () {
          if (failed) throw new Error(failed + " failed");
          return cache.put(MARK, new Response(JSON.stringify({ pdf: withPdf.checked }),
            { headers: { "Content-Type": "application/json" } }));
        });
      }).then(function () {
        say("已保存 " + list.cases + " 个案例（" + mb(want) + "），没有网络时也能阅读。");
        box.setAttribute("data-saved", "yes");
      }, function () {
        say("有些页面没有保存成功，请在网络好的时候再试一次。");
      }).then(function () { button.disabled = false; });
    });
  }).catch(function () { box.hidden = true; });  /* no list (the preview has no offline site): no button */
})();
