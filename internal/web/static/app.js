// isogov: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  // Ask before destructive actions: forms, or the button pressed, marked data-confirm="message".
  document.addEventListener("submit", function (e) {
    var msg = (e.submitter && e.submitter.getAttribute("data-confirm")) || (e.target.getAttribute && e.target.getAttribute("data-confirm"));
    if (msg && !window.confirm(msg)) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  }, true);
  // Long work (an import): say so and keep the button from being pressed twice.
  document.addEventListener("submit", function (e) {
    var busy = e.target.getAttribute && e.target.getAttribute("data-busy");
    if (busy && !e.defaultPrevented) {
      var b = e.target.querySelector("button[type=submit]");
      if (b) { b.disabled = true; b.textContent = busy; }
    }
  });
  // Print buttons (receipt slips, letters).
  document.addEventListener("click", function (e) {
    if (e.target.hasAttribute && e.target.hasAttribute("data-print")) {
      window.print();
    }
  });
  // Submit the agency switcher when a choice is made.
  document.addEventListener("change", function (e) {
    if (e.target.hasAttribute && e.target.hasAttribute("data-autosubmit")) {
      e.target.form.requestSubmit();
    }
  });
})();
