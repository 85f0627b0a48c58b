/* Every box that scrolls sideways can be reached and scrolled with the keyboard (WCAG 2.1.1; axe-core's
   scrollable-region-focusable). The theme makes a long code block focusable only on a device that can
   hover (matchMedia("(hover)")), and removes the tabindex elsewhere: measured, 54 code blocks of the
   instructors' guide could not be reached on a 375 px touch screen. Here every box that overflows gets
   tabindex=0, keeps it when the theme takes it away, and loses it when it no longer overflows. */
(function () {
  "use strict";
  var BOXES = ".md-typeset pre > code, .md-typeset__scrollwrap, .md-typeset .hb-body table, .hb-matrix-wrap";
  var MARK = "data-hb-scroll";  /* the tabindex is ours: taken away again when the box fits */

  function fits(box) { return box.scrollWidth <= box.clientWidth + 1 && box.scrollHeight <= box.clientHeight + 1; }
  function check(box) {
    if (!fits(box)) {
      if (box.getAttribute("tabindex") !== "0") { box.setAttribute("tabindex", "0"); box.setAttribute(MARK, ""); }
    } else if (box.hasAttribute(MARK)) {
      box.removeAttribute("tabindex"); box.removeAttribute(MARK);
    }
  }

  var boxes = Array.prototype.slice.call(document.querySelectorAll(BOXES));
  if (!boxes.length) return;
  boxes.forEach(check);
  if (window.ResizeObserver) {
    var sizes = new ResizeObserver(function (entries) { entries.forEach(function (e) { check(e.target); }); });
    boxes.forEach(function (box) { sizes.observe(box); });
  }
  var changes = new MutationObserver(function (records) { records.forEach(function (r) { check(r.target); }); });
  boxes.forEach(function (box) { changes.observe(box, { attributes: true, attributeFilter: ["tabindex"] }); });
})();
