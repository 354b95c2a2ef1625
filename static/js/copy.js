// Copy buttons: <button data-copy-target="ID"> copies the value (or text) of element ID and says so
// in the button's own status line, so screen-reader users hear it too.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("[data-copy-target]"), function (button) {
    var target = document.getElementById(button.getAttribute("data-copy-target"));
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    if (!target) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = "value" in target ? target.value : target.textContent;
      function done(message) {
        if (status) status.textContent = message;
      }
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(
          function () { done("Copied."); },
          function () { target.select && target.select(); done("Press Ctrl+C (⌘C) to copy."); }
        );
      } else {
        if (target.select) target.select();
        done("Press Ctrl+C (⌘C) to copy.");
      }
    });
  });
})();
