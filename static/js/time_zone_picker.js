// Time zone pickers ([data-time-zone-picker]): a type-to-search field that narrows the list, and
// with data-detect the browser's own zone preselected. Nothing is submitted until the person
// presses the form's own button, so keyboard users can move through the list freely.
(function () {
  "use strict";

  function browserZone() {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
    } catch (e) {
      return null;
    }
  }

  function normalise(text) {
    return text.toLowerCase().replace(/_/g, " ");
  }

  function preselect(select) {
    var zone = browserZone();
    if (!zone || select.value === zone) return;
    var known = Array.prototype.some.call(select.options, function (o) { return o.value === zone; });
    if (!known) select.add(new Option(zone, zone), 0);
    select.value = zone;
  }

  function bindSearch(picker, select) {
    var search = picker.querySelector(".tz-picker__search");
    var count = picker.querySelector(".tz-picker__count");
    if (!search) return;
    search.hidden = false;
    search.addEventListener("input", function () {
      var words = normalise(search.value).split(/\s+/).filter(Boolean);
      var first = null;
      var matches = 0;
      var selectedShown = false;
      Array.prototype.forEach.call(select.options, function (option) {
        var text = normalise(option.text + " " + option.value);
        var shown = words.every(function (word) { return text.indexOf(word) !== -1; });
        option.hidden = !shown;
        if (shown) {
          matches += 1;
          if (!first) first = option;
          if (option.selected) selectedShown = true;
        }
      });
      if (!selectedShown && first) select.value = first.value;
      if (count) {
        count.hidden = words.length === 0;
        count.textContent = matches === 0
          ? "No time zone matches."
          : matches + (matches === 1 ? " time zone matches" : " time zones match") +
            "; selected: " + select.options[select.selectedIndex].text + ".";
      }
    });
    search.addEventListener("keydown", function (event) {
      // Enter picks the first match instead of submitting a half-typed search.
      if (event.key === "Enter") {
        event.preventDefault();
        select.focus();
      }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-time-zone-picker]"), function (picker) {
    var select = picker.querySelector("select");
    if (!select) return;
    if (select.hasAttribute("data-detect")) preselect(select);
    bindSearch(picker, select);
  });
})();
