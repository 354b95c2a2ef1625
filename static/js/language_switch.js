// On a page with a form being filled in (the booking details), a language button sends that form
// with the language instead of leaving the page: what was typed comes back in the new language
// (meetings.views.public keeps it, as when a time is taken meanwhile). Without scripts the button
// switches the language only. The buttons stay in their own form, so Enter in a field still
// presses the details form's own button.
(function () {
  "use strict";
  Array.prototype.forEach.call(
    document.querySelectorAll("form.language-switch[data-details-form]"),
    function (switcher) {
      var details = document.getElementById(switcher.getAttribute("data-details-form"));
      if (!details) return;
      switcher.addEventListener("submit", function (event) {
        var button = event.submitter;
        if (!button || !button.value) return;
        event.preventDefault();
        var language = document.createElement("input");
        language.type = "hidden";
        language.name = "switch_language";
        language.value = button.value;
        details.appendChild(language);
        details.submit();
      });
    }
  );
})();
