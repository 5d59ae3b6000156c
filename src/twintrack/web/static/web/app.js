// Behaviour shared by every page. No inline scripts anywhere, so a content-security policy
// can forbid them.
(function () {
  "use strict";
  // The period picker submits as soon as a month is chosen.
  var period = document.getElementById("period-input");
  if (period && period.form) {
    period.addEventListener("change", function () {
      if (period.checkValidity()) period.form.submit();
    });
  }
  // An upload over the size limit is refused before it is sent (the server refuses it too).
  var file = document.getElementById("upload-file");
  var error = document.getElementById("upload-file-error");
  if (file && error) {
    var limit = Number(file.getAttribute("data-max-bytes")) * 1024 * 1024;
    var check = function () {
      var tooLarge = file.files.length && file.files[0].size > limit;
      error.hidden = !tooLarge;
      error.textContent = tooLarge ? file.getAttribute("data-too-large") : "";
      file.setCustomValidity(tooLarge ? file.getAttribute("data-too-large") : "");
      return !tooLarge;
    };
    file.addEventListener("change", check);
    file.form.addEventListener("submit", function (event) { if (!check()) event.preventDefault(); });
  }
  // Forms that change data say so once while they are sent (no double submissions).
  document.querySelectorAll("form[method=post]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        window.setTimeout(function () { button.disabled = true; }, 0);
      });
    });
  });
})();
