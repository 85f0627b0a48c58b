/* The case desk's own browser code: repeatable rows, the live check (after IME composition ends),
   unsaved contents kept in localStorage, picture upload, .docx drop, the pack editor's ordering. */
(function () {
  "use strict";
  var csrf = document.body.getAttribute("data-csrf");

  // ---------------------------------------------------------------- repeatable rows
  document.addEventListener("click", function (e) {
    var t = e.target;
    if (t.matches(".repeat > .add")) {
      var box = t.closest(".repeat");
      var row = box.querySelector("template").content.firstElementChild.cloneNode(true);
      box.insertBefore(row, t);
      var first = row.querySelector("input"); if (first) first.focus();
      changed(t.form);
    } else if (t.matches(".repeat .remove")) {
      var form = t.form; t.closest(".row").remove(); changed(form);
    }
  });

  // ---------------------------------------------------------------- the live check and the draft
  var timers = new WeakMap();
  function changed(form) {
    if (!form) return;
    keepDraft(form);
    clearTimeout(timers.get(form));
    timers.set(form, setTimeout(function () {
      if (window.htmx && form.hasAttribute("hx-post")) htmx.trigger(form, "desk:changed");
    }, 600));
  }
  document.addEventListener("input", function (e) {
    if (e.isComposing) return; // the IME is still composing: wait for compositionend
    if (e.target.form) changed(e.target.form);
  });
  document.addEventListener("compositionend", function (e) { if (e.target.form) changed(e.target.form); });
  document.addEventListener("change", function (e) { if (e.target.form && e.target.type !== "file") changed(e.target.form); });

  function fields(form) {
    var out = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "file" || el.type === "submit" || el.name === "csrf" || el.name === "base") return;
      out.push([el.name, el.value]);
    });
    return out;
  }
  function keepDraft(form) {
    var key = form.getAttribute("data-draft-key");
    if (!key) return;
    try {
      localStorage.setItem(key, JSON.stringify({when: new Date().toLocaleString("zh-CN"), base: form.getAttribute("data-base") || "",
                                                fields: fields(form)}));
    } catch (err) { /* storage full or off: the form still works */ }
  }
  function restoreDraft(form, draft) {
    var wanted = {};
    draft.fields.forEach(function (pair) { (wanted[pair[0]] = wanted[pair[0]] || []).push(pair[1]); });
    Object.keys(wanted).forEach(function (name) {
      var m = /^session\.(\d+)\.(\w+)$/.exec(name);
      if (m && !form.querySelector('[name="session.' + m[1] + '.title"]')) addSession(form, m[1]);
      if (m && m[2] === "cases") {
        var list = form.querySelector("#s-" + m[1] + "-cases");
        list.innerHTML = "";
        wanted[name].forEach(function (id) { list.appendChild(caseItem(m[1], id, id)); });
        return;
      }
      var present = form.querySelectorAll('[name="' + CSS.escape(name) + '"]');
      var box = present.length ? present[0].closest(".repeat") : null;
      while (box && form.querySelectorAll('[name="' + CSS.escape(name) + '"]').length < wanted[name].length) {
        box.querySelector(":scope > .add").click();
      }
      form.querySelectorAll('[name="' + CSS.escape(name) + '"]').forEach(function (el, i) {
        if (i < wanted[name].length) el.value = wanted[name][i];
      });
    });
    changed(form);
  }
  document.querySelectorAll("form[data-draft-key]").forEach(function (form) {
    var key = form.getAttribute("data-draft-key");
    if (form.getAttribute("data-saved")) {  // saved: this form's draft, and the new-case draft it came from, are done
      localStorage.removeItem(key); localStorage.removeItem(key.replace(/:[^:]+$/, ":new")); return;
    }
    var draft = null;
    try { draft = JSON.parse(localStorage.getItem(key) || "null"); } catch (err) { draft = null; }
    if (!draft || JSON.stringify(draft.fields) === JSON.stringify(fields(form))) return;
    var banner = document.getElementById("draft-banner");
    banner.querySelector(".when").textContent = draft.when;
    banner.hidden = false;
    document.getElementById("draft-restore").addEventListener("click", function () { restoreDraft(form, draft); banner.hidden = true; });
    document.getElementById("draft-discard").addEventListener("click", function () { localStorage.removeItem(key); banner.hidden = true; });
  });

  // ---------------------------------------------------------------- pictures
  var lastText = null;
  document.addEventListener("focusin", function (e) { if (e.target.matches(".section textarea")) lastText = e.target; });
  var picker = document.getElementById("image-file");
  if (picker) picker.addEventListener("change", function () {
    var form = picker.closest("form"), state = document.getElementById("image-state");
    if (!picker.files.length) return;
    var body = new FormData(); body.append("image", picker.files[0]); body.append("csrf", csrf);
    state.textContent = "正在上传……";
    fetch(form.getAttribute("data-upload"), {method: "POST", body: body, headers: {"X-CSRF-Token": csrf}})
      .then(function (r) { return r.json(); })
      .then(function (answer) {
        if (answer.error) { state.textContent = answer.error; return; }
        var box = lastText || document.getElementById("f-section-0");
        var at = box.selectionStart || box.value.length;
        var text = (at && box.value[at - 1] !== "\n" ? "\n\n" : "") + answer.markdown + "\n";
        box.value = box.value.slice(0, at) + text + box.value.slice(at);
        state.textContent = "已插入 " + answer.name;
        picker.value = "";
        changed(form);
      })
      .catch(function () { state.textContent = "上传失败，请再试一次"; });
  });

  // ---------------------------------------------------------------- .docx dropped on the list page
  var drop = document.getElementById("import");
  if (drop) {
    ["dragenter", "dragover"].forEach(function (n) { drop.addEventListener(n, function (e) { e.preventDefault(); drop.classList.add("over"); }); });
    drop.addEventListener("dragleave", function () { drop.classList.remove("over"); });
    drop.addEventListener("drop", function (e) {
      e.preventDefault(); drop.classList.remove("over");
      if (!e.dataTransfer.files.length) return;
      drop.querySelector("input[type=file]").files = e.dataTransfer.files;
      drop.submit();
    });
  }

  // ---------------------------------------------------------------- the preview's state
  var state = document.getElementById("preview-state");
  if (state) setInterval(function () {
    fetch(state.getAttribute("data-generation-url"), {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
      state.textContent = s.error ? s.error : (s.generation < s.requested ? "预览更新中……" : "预览已是最新");
      state.setAttribute("data-generation", s.generation);
    }).catch(function () {});
  }, 1000);

  // ---------------------------------------------------------------- the pack editor
  function caseItem(index, id, title) {
    var li = document.createElement("li");
    li.innerHTML = '<span class="grip" aria-hidden="true">⠿</span><input type="hidden"> <span class="case-title"></span> <code></code> <button type="button" class="remove-case">移出</button>';
    li.querySelector("input").name = "session." + index + ".cases";
    li.querySelector("input").value = id;
    li.querySelector(".case-title").textContent = title;
    li.querySelector("code").textContent = id;
    return li;
  }
  function sortable(list) { if (window.Sortable) Sortable.create(list, {animation: 120, onEnd: function () { changed(list.closest("form")); }}); }
  function addSession(form, index) {
    var count = document.getElementById("session-count");
    if (index === undefined) index = String(Number(count.value));
    var html = document.getElementById("session-template").innerHTML.replace(/__N__/g, index);
    var holder = document.createElement("div"); holder.innerHTML = html;
    var section = holder.firstElementChild;
    document.getElementById("sessions").appendChild(section);
    count.value = String(Math.max(Number(count.value), Number(index) + 1));
    sortable(section.querySelector(".case-order"));
    return section;
  }
  var pack = document.getElementById("pack-form");
  if (pack) {
    window.addEventListener("load", function () { pack.querySelectorAll(".case-order").forEach(sortable); });
    pack.addEventListener("click", function (e) {
      var t = e.target;
      if (t.id === "add-session") { addSession(pack).querySelector("input").focus(); changed(pack); }
      else if (t.matches(".remove-session")) { t.closest(".session").remove(); changed(pack); }
      else if (t.matches(".remove-case")) { t.closest("li").remove(); changed(pack); }
      else if (t.matches(".add-case")) {
        var session = t.closest(".session"), pick = session.querySelector(".pick"), value = pick.value.trim();
        var option = Array.prototype.find.call(document.querySelectorAll("#case-ids option"), function (o) {
          return o.value === value || o.textContent === value; });
        var id = option ? option.value : value;
        if (!id) return;
        session.querySelector(".case-order").appendChild(caseItem(session.getAttribute("data-index"), id, option ? option.textContent : id));
        pick.value = ""; changed(pack);
      }
    });
  }
})();
