/* 引用本案例: the copy button of a case page's citation (the text itself is made by handbook/cite.py).
   The button is in the page but hidden; it is shown only here, so a reader without JavaScript sees the
   selectable text and no dead button. navigator.clipboard exists only in a secure context (https, or
   localhost): a site served over plain http, or from an intranet address, has none, so the text is then
   selected and copied with execCommand("copy"); where even that fails, it stays selected for Ctrl+C. */
(function () {
  "use strict";
  var buttons = document.querySelectorAll("[data-copy]");
  if (!buttons.length) return;

  function select(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }

  function fallback(node) {
    select(node);
    try { return document.execCommand("copy"); } catch (e) { return false; }
  }

  Array.prototype.forEach.call(buttons, function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    var box = button.parentNode;
    var status = box.querySelector("[role=status]");
    if (!source) return;
    function say(text) { if (status) status.textContent = text; }
    button.addEventListener("click", function () {
      var text = source.textContent.trim();
      var done = function () { say("已复制到剪贴板"); };
      var manual = function () { say(fallback(source) ? "已复制到剪贴板" : "已选中引用文字，请按 Ctrl+C（苹果电脑按 ⌘+C）复制"); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, manual);
      } else {
        manual();
      }
    });
    box.hidden = false;
  });
})();
