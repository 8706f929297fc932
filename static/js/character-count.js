// Live character count for answer fields. Optional: without JavaScript the page shows the
// limit and the server reports the count after sending.
(function () {
  "use strict";
  var format = new Intl.NumberFormat(document.documentElement.lang || "de");
  document.querySelectorAll("textarea[data-maxlength]").forEach(function (area) {
    var max = parseInt(area.getAttribute("data-maxlength"), 10);
    var visible = document.getElementById(area.id + "-count");
    if (!visible) { return; }
    // Screen readers hear the count only after a pause in typing, not at every key.
    var live = document.createElement("p");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    visible.parentNode.insertBefore(live, visible.nextSibling);
    var timer = null;
    function message() {
      var length = area.value.trim().length;
      var template = length > max ? visible.getAttribute("data-over") : visible.getAttribute("data-remaining");
      return template.replace("{n}", format.format(Math.abs(max - length)));
    }
    function update() {
      visible.textContent = message();
      visible.classList.toggle("field__count--over", area.value.trim().length > max);
      clearTimeout(timer);
      timer = setTimeout(function () { live.textContent = visible.textContent; }, 1000);
    }
    area.addEventListener("input", update);
  });
})();
