/* The comparison page (compare/?cases=a,b,c) and the finder's "加入比较" boxes (handbook/classroom/compare.py).
   Case text is set with textContent only: nothing from a case can run as script. */
(function () {
  "use strict";
  var KEY = "hb-compare", MAX = 4, ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  /* ------------------------------------------------ the comparison page */
  var page = document.querySelector(".hb-compare-page");
  if (page) {
    var root = page.getAttribute("data-root");
    var status = page.querySelector(".hb-compare-page__status");
    var ids = (new URLSearchParams(location.search).get("cases") || "").split(",")
      .map(function (s) { return s.trim(); }).filter(function (s, i, all) { return ID.test(s) && all.indexOf(s) === i; });
    if (ids.length) {
      fetch(page.getAttribute("data-data")).then(function (r) { return r.json(); }).then(function (data) {
        var cases = ids.filter(function (id) { return data.cases[id]; }).slice(0, data.max || MAX).map(function (id) { return data.cases[id]; });
        var unknown = ids.filter(function (id) { return !data.cases[id]; });
        if (cases.length < 2) {
          status.textContent = "至少需要 2 个案例才能比较" + (unknown.length ? "（找不到：" + unknown.join("、") + "）" : "") + "。请在案例检索中勾选。";
          return;
        }
        status.textContent = "正在比较 " + cases.length + " 个案例" + (unknown.length ? "（找不到：" + unknown.join("、") + "）" : "") + "。";
        var region = el("div", "hb-compare");
        region.setAttribute("role", "region"); region.setAttribute("aria-label", "案例比较表"); region.tabIndex = 0;
        var table = el("table", "hb-compare__table");
        table.appendChild(el("caption", "hb-compare__caption", "案例比较表"));
        var head = el("tr"); head.appendChild(el("th", null, "项目")).scope = "col";
        cases.forEach(function (c) {
          var th = el("th"); th.scope = "col";
          var a = el("a", null, c.title); a.href = root + c.url; th.appendChild(a);
          th.appendChild(el("span", "hb-compare__place", c.place + (c.year ? " · " + c.year + " 年" : "")));
          head.appendChild(th);
        });
        table.appendChild(el("thead")).appendChild(head);
        var body = table.appendChild(el("tbody"));
        data.rows.forEach(function (row) {
          var tr = body.appendChild(el("tr"));
          tr.appendChild(el("th", null, row.label)).scope = "row";
          cases.forEach(function (c) { tr.appendChild(el("td", null, c[row.key])); });
        });
        region.appendChild(table);
        page.querySelector(".hb-compare-page__table").appendChild(region);
      }).catch(function () { status.textContent = "比较数据没有载入，请刷新页面再试。"; });
    }
    return;
  }

  /* ------------------------------------------------ the finder: tick 2–4 cases */
  var finder = document.querySelector(".hb-finder");
  if (!finder) return;
  var froot = finder.getAttribute("data-root");
  var chosen = [];
  try { chosen = JSON.parse(sessionStorage.getItem(KEY) || "[]").filter(function (s) { return ID.test(s); }).slice(0, MAX); } catch (e) { chosen = []; }
  var tray = finder.querySelector(".hb-compare-tray");
  var count = tray.querySelector(".hb-compare-tray__count"), go = tray.querySelector(".hb-compare-tray__go");
  var clear = tray.querySelector(".hb-compare-tray__clear");

  function caseId(card) {
    var a = card.querySelector(".hb-card__title");
    var m = a && a.getAttribute("href").match(/cases\/([a-z0-9-]+)\/?$/);
    return m ? m[1] : null;
  }
  function update() {
    try { sessionStorage.setItem(KEY, JSON.stringify(chosen)); } catch (e) { /* private mode: the page still works */ }
    tray.hidden = chosen.length === 0;
    count.textContent = "已选 " + chosen.length + " 个案例" + (chosen.length < 2 ? "（至少 2 个）" : "") + (chosen.length >= MAX ? "（最多 4 个）" : "");
    if (chosen.length >= 2) { go.href = froot + "compare/?cases=" + chosen.join(","); go.removeAttribute("aria-disabled"); }
    else { go.removeAttribute("href"); go.setAttribute("aria-disabled", "true"); }
    finder.querySelectorAll(".hb-pick input").forEach(function (box) {
      box.checked = chosen.indexOf(box.value) >= 0;
      box.disabled = !box.checked && chosen.length >= MAX;
    });
  }
  function decorate() {
    finder.querySelectorAll(".hb-results .hb-card").forEach(function (card) {
      if (card.querySelector(".hb-pick")) return;
      var id = caseId(card); if (!id) return;
      var label = el("label", "hb-pick");
      var box = el("input"); box.type = "checkbox"; box.value = id;
      box.setAttribute("aria-label", "加入比较：" + card.querySelector(".hb-card__title").textContent);
      box.addEventListener("change", function () {
        var i = chosen.indexOf(id);
        if (box.checked && i < 0 && chosen.length < MAX) chosen.push(id);
        if (!box.checked && i >= 0) chosen.splice(i, 1);
        update();
      });
      label.appendChild(box); label.appendChild(el("span", null, "比较"));
      card.appendChild(label);
    });
    update();
  }
  clear.addEventListener("click", function () { chosen = []; update(); });
  new MutationObserver(decorate).observe(finder.querySelector(".hb-results"), { childList: true, subtree: true });
  decorate();
})();
