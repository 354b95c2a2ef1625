// Names what Django's admin widgets leave unnamed for assistive technology, on every admin page
// (templates/admin/base_site.html): an autocomplete box (Select2) is named by its field's label,
// not only by its value (empty until something is chosen), and the search icons of the two-box
// pickers (a span with aria-label) get the image role an aria-label needs.
// A MutationObserver, because both widgets are built by Django's scripts after the page loads
// (and again when an inline row is added); its callback runs before any other task, so the names
// are there as soon as the widgets are.
(function () {
  "use strict";

  function nameAutocompletes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var label = select.id && document.querySelector("label[for='" + select.id + "']");
      var container = select.nextElementSibling;
      var box = container && container.querySelector(".select2-selection[role='combobox']");
      if (!label || !box) return;
      if (!label.id) label.id = select.id + "-label";
      // The value's own box (role textbox) is named by the label too.
      var value = box.querySelector("[role='textbox']");
      if (value && !value.hasAttribute("aria-labelledby")) {
        value.setAttribute("aria-labelledby", label.id);
      }
      var names = (box.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean);
      if (names.indexOf(label.id) !== -1) return;
      box.setAttribute("aria-labelledby", [label.id].concat(names).join(" "));
    });
  }

  function roleSearchIcons() {
    document.querySelectorAll(".search-label-icon[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  new MutationObserver(function () {
    nameAutocompletes();
    roleSearchIcons();
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
