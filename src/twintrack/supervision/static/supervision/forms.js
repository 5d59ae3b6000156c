// A select with data-narrows="ID" shows, in the checkbox list ID, only the options whose
// data-path lies under the chosen option's data-path (the enterprises of the chosen unit).
(function () {
  "use strict";
  function narrow(select) {
    var list = document.getElementById(select.getAttribute("data-narrows"));
    if (!list) { return; }
    var chosen = select.options[select.selectedIndex];
    var path = chosen ? chosen.getAttribute("data-path") : null;
    list.querySelectorAll("input[data-path]").forEach(function (box) {
      var item = box.closest("div") || box.parentNode;
      var inside = !path || box.getAttribute("data-path").indexOf(path) === 0;
      item.hidden = !inside;
      if (!inside) { box.checked = false; }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select[data-narrows]").forEach(function (select) {
      select.addEventListener("change", function () { narrow(select); });
      narrow(select);
    });
  });
}());
