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
})();
