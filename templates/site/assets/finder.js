/* The case finder: full-text search plus facets (problem type, district, year, case kind),
   each facet counting the cases under the other facets' selection. The state lives
   in the URL, so a link or the back button restores the same view. On a phone the
   facets open from the "筛选" button, and the chosen filters show as chips that
   remove themselves when pressed (the layout is in handbook.css, "finder"). */
(function () {
  "use strict";
  var page = document.querySelector(".hb-finder");
  if (!page || !window.hbSearch) return;
  var FACETS = ["type", "district", "year", "kind"];
  var labels = JSON.parse(document.getElementById("hb-labels").textContent);
  var input = document.getElementById("hb-q");
  var status = page.querySelector(".hb-results__status");
  var list = page.querySelector(".hb-results__list");
  var all = page.querySelector(".hb-all");
  var aside = page.querySelector(".hb-facets");
  var clear = page.querySelector(".hb-facets__clear");
  var toggle = page.querySelector(".hb-finder__toggle");
  var chosen = page.querySelector(".hb-finder__chosen");
  var chips = page.querySelector(".hb-chips");
  var seeResults = page.querySelector(".hb-facets__done");
  var PAGE = 20;  /* results fetched per step: each one is a request (finder.html shows as many before any search) */
  var FIRST = 5;  /* of which the first are shown at once */
  var state = readUrl(), seq = 0, shown = { results: [], count: 0 }, lazy = false;
  var more = document.createElement("button");
  more.type = "button";
  more.className = "md-button hb-results__more";
  more.hidden = true;
  list.parentNode.insertBefore(more, list.nextSibling);

  function showMore() {
    var left = shown.results.length - shown.count;
    more.hidden = left <= 0;
    more.textContent = "显示更多（还有 " + left + " 个）";
  }
  more.addEventListener("click", function () {
    if (lazy) {  /* the browse view came from the page: the search index is asked now, then the next step */
      lazy = false; more.disabled = true;
      schedule(function () { more.disabled = false; more.click(); });
      return;
    }
    var mine = seq, batch = shown.results.slice(shown.count, shown.count + PAGE);
    more.disabled = true;
    Promise.all(batch.map(function (r) { return r.data(); })).then(function (items) {
      more.disabled = false;
      if (mine !== seq) return;
      items.forEach(function (d) { list.appendChild(card(d)); });
      shown.count += items.length;
      showMore();
      page.setAttribute("data-more", String(shown.count));
    });
  });

  function readUrl() {
    var p = new URLSearchParams(location.search), s = { q: p.get("q") || "" };
    FACETS.forEach(function (f) { s[f] = p.getAll(f); });
    return s;
  }
  function writeUrl(push) {
    var p = new URLSearchParams();
    if (state.q) p.set("q", state.q);
    FACETS.forEach(function (f) { state[f].forEach(function (v) { p.append(f, v); }); });
    var qs = p.toString(), url = location.pathname + (qs ? "?" + qs : "");
    if (url !== location.pathname + location.search) history[push ? "pushState" : "replaceState"](null, "", url);
  }
  function filtersExcept(skip) {
    var f = {};
    FACETS.forEach(function (k) { if (k !== skip && state[k].length) f[k] = { any: state[k] }; });
    return f;
  }
  function label(facet, value) {
    if (facet === "year") return value + " 年";
    return (labels[facet] && labels[facet][value]) || value;
  }

  /* The chosen filters as chips, and ticked in the facets; drawn from the URL before the first search, so they
     never appear late. */
  function renderChips() {
    var n = 0, focused = chips.contains(document.activeElement) ? document.activeElement.getAttribute("data-key") : null;
    chips.textContent = "";
    FACETS.forEach(function (f) {
      state[f].forEach(function (v) {
        n++;
        var li = document.createElement("li");
        var b = document.createElement("button");
        b.type = "button"; b.className = "hb-chip";
        b.setAttribute("data-key", f + "=" + v);
        b.setAttribute("aria-label", "移除筛选条件：" + label(f, v));
        var t = document.createElement("span"); t.textContent = label(f, v);
        var x = document.createElement("span"); x.className = "hb-chip__x"; x.setAttribute("aria-hidden", "true"); x.textContent = "×";
        b.appendChild(t); b.appendChild(x);
        b.addEventListener("click", function () {
          var next = li.nextElementSibling || li.previousElementSibling;
          state[f] = state[f].filter(function (y) { return y !== v; });
          writeUrl(true); renderChips(); schedule();
          /* focus stays in the bar: on the chip that took this one's place, or on the button */
          var target = next && chips.querySelector('[data-key="' + next.firstChild.getAttribute("data-key") + '"]');
          (target || toggle).focus();
        });
        li.appendChild(b);
        chips.appendChild(li);
      });
    });
    chosen.textContent = n ? "（" + n + "）" : "";
    Array.prototype.forEach.call(aside.querySelectorAll(".hb-facet input"), function (i) {
      i.checked = state[i.name].indexOf(i.value) !== -1;
    });
    if (focused) { var again = chips.querySelector('[data-key="' + focused + '"]'); if (again) again.focus(); }
  }

  function openFacets(open) {
    aside.classList.toggle("hb-facets--open", open);
    toggle.setAttribute("aria-expanded", String(open));
  }
  toggle.addEventListener("click", function () {
    var open = toggle.getAttribute("aria-expanded") !== "true";
    openFacets(open);
    if (open) { var first = aside.querySelector("summary"); if (first) first.focus(); }
  });
  seeResults.addEventListener("click", function () { openFacets(false); toggle.focus(); });
  aside.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") { openFacets(false); toggle.focus(); }
  });

  /* The options are on the page (finder.html) with the whole library's counts; here they get the counts
     under the current search and filters. A value without cases stays, greyed and disabled unless chosen. */
  function option(facet, v) {
    var l = document.createElement("label"); l.className = "hb-facet__option";
    var box = document.createElement("input"); box.type = "checkbox"; box.name = facet; box.value = v;
    var t = document.createElement("span"); t.textContent = label(facet, v);
    var c = document.createElement("span"); c.className = "hb-facet__count";
    l.appendChild(box); l.appendChild(t); l.appendChild(c);
    return l;
  }
  function renderFacet(facet, counts) {
    var box = aside.querySelector('[data-facet="' + facet + '"] .hb-facet__options');
    if (!box) return;  /* a facet the page leaves off (no case has a kind): nothing to count */
    var listed = Array.prototype.map.call(box.querySelectorAll("input"), function (i) { return i.value; });
    Object.keys(counts).concat(state[facet]).forEach(function (v) {  /* not on the page: a newer index, or a typed URL */
      if (listed.indexOf(v) === -1) { listed.push(v); box.appendChild(option(facet, v)); }
    });
    Array.prototype.forEach.call(box.querySelectorAll(".hb-facet__option"), function (l) {
      var input = l.querySelector("input"), n = counts[input.value] || 0, on = state[facet].indexOf(input.value) !== -1;
      input.checked = on;
      input.disabled = !n && !on;
      l.classList.toggle("hb-facet__option--zero", !n);
      l.querySelector(".hb-facet__count").textContent = n;
    });
  }
  aside.addEventListener("change", function (ev) {
    var input = ev.target, facet = input.name, v = input.value;
    if (FACETS.indexOf(facet) === -1) return;
    if (input.checked) { if (state[facet].indexOf(v) === -1) state[facet].push(v); }
    else state[facet] = state[facet].filter(function (x) { return x !== v; });
    writeUrl(true); renderChips(); schedule();
  });

  function card(d) {
    var li = document.createElement("li"); li.className = "hb-card";
    var a = document.createElement("a"); a.className = "hb-card__title";
    a.href = d.url; a.textContent = d.meta.title;
    var p = document.createElement("p"); p.className = "hb-card__summary"; p.textContent = d.meta.summary;
    var m = document.createElement("p"); m.className = "hb-card__meta";  /* as site/macros.html draws a card */
    function span(text, cls) {
      if (!text) return; var s = document.createElement("span"); s.textContent = text;
      if (cls) s.className = cls;
      m.appendChild(s);
    }
    span(d.meta.place);
    span(d.meta.year ? d.meta.year + " 年" : "");
    (d.meta.types ? d.meta.types.split("、") : []).forEach(function (t) { span(t, "hb-tag"); });
    li.appendChild(a); li.appendChild(p); li.appendChild(m);
    return li;
  }

  function update() {
    var mine = ++seq, run = window.hbSearch.run;
    input.value = state.q;
    clear.hidden = !FACETS.some(function (f) { return state[f].length; });
    var runs = {};  /* a facet with nothing selected asks the same question as the main search: ask once */
    function once(filters) {
      var key = JSON.stringify(filters);
      return runs[key] || (runs[key] = run(state.q, filters));
    }
    var main = once(filtersExcept(null));
    var facetRuns = FACETS.map(function (f) { return once(filtersExcept(f)); });
    return Promise.all([main].concat(facetRuns)).then(function (res) {
      if (mine !== seq) return;
      var found = res[0].results;
      /* the first few cards are shown as soon as they arrive, the rest of the step follows */
      return Promise.all(found.slice(0, FIRST).map(function (r) { return r.data(); })).then(function (items) {
        if (mine !== seq) return;
        FACETS.forEach(function (f, i) { renderFacet(f, (res[i + 1].filters || {})[f] || {}); });
        all.hidden = true;
        list.hidden = false;
        /* the page's own cards are the library's first ones: kept when they are what this search shows */
        var kept = list.hasAttribute("data-browse") && items.every(function (d, i) {
          var a = list.children[i] && list.children[i].querySelector("a");
          return a && a.pathname === new URL(d.url, location.href).pathname;
        });
        list.removeAttribute("data-browse");
        page.classList.remove("hb-finder--query");
        if (kept) {
          shown = { results: found, count: Math.min(list.children.length, found.length) };
          while (list.children.length > shown.count) list.removeChild(list.lastChild);
        } else {
          list.textContent = "";
          items.forEach(function (d) { list.appendChild(card(d)); });
          shown = { results: found, count: items.length };
        }
        status.textContent = found.length
          ? "找到 " + found.length + " 个案例"
          : "没有找到符合条件的案例，请换个关键词或减少筛选条件";
        seeResults.textContent = found.length ? "查看 " + found.length + " 个结果" : "没有符合条件的案例";
        page.setAttribute("data-first", String(mine));
        return Promise.all(found.slice(shown.count, PAGE).map(function (r) { return r.data(); }));
      }).then(function (rest) {
        if (mine !== seq || !rest) return;
        rest.forEach(function (d) { list.appendChild(card(d)); });
        shown.count += rest.length;
        showMore();
        page.setAttribute("data-shown-q", state.q);  /* which query the list shows */
        page.setAttribute("data-ready", String(mine));
      });
    });
  }

  /* One search at a time, and then only the newest state: typing never queues stale searches,
     and there is no fixed delay before the first one. */
  var busy = false, again = false, after = [];
  function schedule(then) {
    lazy = false;
    if (then) after.push(then);
    if (busy) { again = true; return; }
    busy = true;
    update().then(done, done);
    function done() {
      busy = false;
      if (again) { again = false; schedule(); return; }
      var waiting = after; after = [];
      waiting.forEach(function (f) { f(); });
    }
  }

  /* Nothing searched or chosen: the page already shows it (finder.html: the library's first cards, every facet
     with its count in the whole library), so the search index is not loaded until the reader searches, filters
     or asks for more. (Lighthouse, mobile: starting Pagefind and its four searches on load were 0.5 s of the
     finder's blocking time.) */
  function browseFromPage() {
    var total = Number(page.getAttribute("data-count")), n = list.children.length;
    lazy = true;
    all.hidden = true;
    more.hidden = total <= n;
    more.textContent = "显示更多（还有 " + (total - n) + " 个）";
    page.setAttribute("data-first", "0");
    page.setAttribute("data-shown-q", "");
    page.setAttribute("data-ready", "0");
  }

  page.querySelector(".hb-finder__form").addEventListener("submit", function (ev) { ev.preventDefault(); });
  function typed(ev) {
    if (ev.isComposing) return;  /* pinyin being composed is not a query yet: wait for compositionend */
    var q = input.value.trim();
    if (q === state.q) return;
    state.q = q; writeUrl(false); schedule();
  }
  input.addEventListener("input", typed);
  input.addEventListener("compositionend", typed);
  clear.addEventListener("click", function () {
    FACETS.forEach(function (f) { state[f] = []; });
    writeUrl(true); renderChips(); schedule();
  });
  window.addEventListener("popstate", function () { state = readUrl(); renderChips(); schedule(); });
  renderChips();
  if (state.q || FACETS.some(function (f) { return state[f].length; })) schedule();
  else browseFromPage();
})();
