/* Search shared by the header box and the case finder: Pagefind over character pairs.
   toPairs must stay equal to handbook/search.py:to_pairs (tests/browser/test_search_js.py checks it). */
(function () {
  "use strict";
  var RUN = /([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)|([0-9A-Za-z\u00c0-\u024f]+)/g;

  /* Overlapping character pairs of each Chinese run; withLast adds the run's last character
     alone (the index needs it for one-character queries; a query with pairs does not). */
  function pairs(text, withLast) {
    var words = [], m;
    RUN.lastIndex = 0;
    while ((m = RUN.exec(text)) !== null) {
      if (m[1]) {
        var han = Array.from(m[1]);
        for (var i = 0; i < han.length - 1; i++) words.push(han[i] + han[i + 1]);
        if (withLast || han.length === 1) words.push(han[han.length - 1]);
      } else {
        words.push(m[2].toLowerCase());
      }
    }
    return words;
  }

  function toPairs(text) { return pairs(text, true); }

  /* The pairs a query must match, once each: 加装电梯 asks for 加装 装电 电梯. */
  function queryPairs(text) {
    var words = pairs(text, false);
    return words.filter(function (w, i) { return words.indexOf(w) === i; });
  }

  /* A word as the index stores it: Chinese pairs as ASCII tokens (see handbook/search.py:token). */
  var BLOCKS = [[0x3400, 0x4dc0, 0], [0x4e00, 0xa000, 0x4dc0 - 0x3400],
    [0xf900, 0xfb00, 0x4dc0 - 0x3400 + 0xa000 - 0x4e00]];
  /* Three base-36 digits for a character of the Chinese blocks (handbook/search.py:char_code). */
  function charCode(ch) {
    var o = ch.codePointAt(0);
    for (var i = 0; i < BLOCKS.length; i++) {
      if (o >= BLOCKS[i][0] && o < BLOCKS[i][1]) return ("00" + (o - BLOCKS[i][0] + BLOCKS[i][2]).toString(36)).slice(-3);
    }
    return "";
  }
  function token(word) {
    if (!/^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$/.test(word)) return word.toLowerCase();
    return "h" + Array.from(word).map(charCode).join("");
  }

  /* The site's root: the header box opens the finder at <root>cases/ (relative on most pages, absolute on
     the 404 page, which is served at any address). */
  var rootUrl = (function () {
    var form = document.querySelector(".hb-search");
    return form ? new URL("../", new URL(form.getAttribute("action"), document.baseURI)).href
      : new URL("./", document.baseURI).href;
  })();

  var loading = null;
  function load() {
    if (!loading) {
      loading = import(rootUrl + "pagefind/pagefind.js").then(function (pf) {
        return pf.options({ baseUrl: new URL(rootUrl).pathname }).then(function () { return pf.init(); })
          /* loading the filter index makes every search report its facet counts */
          .then(function () { return pf.filters(); })
          .then(function () { return pf; });
      });
    }
    return loading;
  }

  var pairHits = {};
  /* Results for a query and filters; no results when any pair of the query occurs nowhere
     (Pagefind would silently drop such a word and widen the result). */
  function run(query, filters) {
    return load().then(function (pf) {
      var pairs = queryPairs(query || "");
      var opts = { filters: filters || {} };
      if (!pairs.length) opts.sort = { order: "asc" };  /* browsing: library order; searching: relevance */
      if (!pairs.length) return pf.search(null, opts);
      if (pairs.length === 1) return pf.search(token(pairs[0]), opts);  /* an unknown word already finds nothing */
      var checks = pairs.map(function (p) {
        if (!(p in pairHits)) {
          pairHits[p] = pf.search(token(p)).then(function (r) { return r.results.length > 0; });
        }
        return pairHits[p];
      });
      return Promise.all(checks).then(function (ok) {
        if (ok.indexOf(false) !== -1) return { results: [], filters: {} };
        return pf.search(pairs.map(token).join(" "), opts);
      });
    });
  }

  window.hbSearch = { toPairs: toPairs, queryPairs: queryPairs, token: token, run: run, load: load, rootUrl: rootUrl };

  /* The header box: live results under the box, Enter opens the finder. */
  var form = document.querySelector(".hb-search");
  if (!form) return;
  var input = form.querySelector(".hb-search__input");
  var box = form.querySelector(".hb-search__results");
  var seq = 0, busy = false, again = false;
  /* one search at a time, then only the newest text: no fixed delay, no queue of stale searches */
  function show() {
    if (busy) { again = true; return; }
    var q = input.value.trim(), mine = ++seq;
    if (!q) { box.hidden = true; return; }
    busy = true;
    run(q).then(function (res) {
      return Promise.all(res.results.slice(0, 8).map(function (r) { return r.data(); }))
        .then(function (items) { return { items: items, total: res.results.length }; });
    }).then(function (found) {
      if (mine !== seq || input.value.trim() !== q) return;
      box.textContent = "";
      if (!found.items.length) {
        var none = document.createElement("p");
        none.className = "hb-search__none";
        none.textContent = "没有找到包含“" + q + "”的案例";
        box.appendChild(none);
      }
      found.items.forEach(function (d) {
        var a = document.createElement("a");
        a.className = "hb-search__hit";
        a.href = d.url;  /* Pagefind gives site-absolute URLs (baseUrl applied) */
        var t = document.createElement("strong");
        t.textContent = d.meta.title;
        var s = document.createElement("small");
        s.textContent = d.meta.place + (d.meta.year ? " · " + d.meta.year : "");
        a.appendChild(t); a.appendChild(s);
        box.appendChild(a);
      });
      var all = document.createElement("a");
      all.className = "hb-search__all";
      all.href = rootUrl + "cases/?q=" + encodeURIComponent(q);
      all.textContent = "在案例检索中查看全部 " + found.total + " 个结果";
      box.appendChild(all);
      box.hidden = false;
    }).then(done, done);
    function done() {
      busy = false;
      if (again) { again = false; show(); }
    }
  }
  function typed(ev) { if (!ev.isComposing) show(); }  /* pinyin being composed is not a query yet */
  input.addEventListener("input", typed);
  input.addEventListener("compositionend", typed);
  document.addEventListener("click", function (ev) { if (!form.contains(ev.target)) box.hidden = true; });
})();
