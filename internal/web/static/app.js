// isogov: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  // Ask before destructive actions: forms marked data-confirm="message".
  document.addEventListener("submit", function (e) {
    var msg = e.target.getAttribute && e.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  }, true);
  // Submit the agency switcher when a choice is made.
  document.addEventListener("change", function (e) {
    if (e.target.hasAttribute && e.target.hasAttribute("data-autosubmit")) {
      e.target.form.requestSubmit();
    }
  });
})();
