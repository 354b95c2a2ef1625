// Time zone pickers ([data-time-zone-picker]): a type-to-search field that narrows the list
// (Enter picks the first match), and with data-detect the browser's own zone preselected.
// On the pages that show times ([data-zone-form]) a choice applies at once: the times are
// fetched in place (page_regions.js) and focus stays in the picker, so moving through the list
// with the arrow keys is safe. Without scripts the form's own button applies it.
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

  function matches(select, words) {
    var found = [];
    Array.prototype.forEach.call(select.options, function (option) {
      var text = normalise(option.text + " " + option.value);
      var shown = words.every(function (word) { return text.indexOf(word) !== -1; });
      option.hidden = !shown;
      if (shown) found.push(option);
    });
    Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
      group.hidden = !Array.prototype.some.call(group.children, function (o) { return !o.hidden; });
    });
    return found;
  }

  function bindSearch(picker, select) {
    var search = picker.querySelector(".tz-picker__search");
    var count = picker.querySelector(".tz-picker__count");
    if (!search) return;
    search.hidden = false;
    // In a form that saves the zone (profile, sign-up) the first match is selected as one types;
    // where the zone applies at once, typing only narrows and Enter picks.
    var selectsAsTyped = !picker.closest("form[data-zone-form]");
    var found = [];
    search.addEventListener("input", function () {
      var words = normalise(search.value).split(/\s+/).filter(Boolean);
      found = matches(select, words);
      if (selectsAsTyped && found.length && found.indexOf(select.options[select.selectedIndex]) === -1) {
        select.value = found[0].value;
      }
      if (!count) return;
      count.hidden = words.length === 0;
      // Says what Enter will pick.
      count.textContent = found.length === 0
        ? picker.getAttribute("data-none")
        : (found.length === 1 ? picker.getAttribute("data-one") : picker.getAttribute("data-many"))
            .replace("%(count)s", found.length)
            .replace("%(first)s", found[0].text);
    });
    search.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      // Enter picks the first match instead of submitting a half-typed search.
      event.preventDefault();
      if (!found.length) return;
      select.value = found[0].value;
      select.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function applyAtOnce(form, select) {
    if (!window.PageRegions || !window.PageRegions.supported) return;
    var button = form.querySelector("[data-zone-apply]");
    if (button) button.hidden = true;
    var timer = null;
    var applied = select.value;

    function apply() {
      if (select.value === applied) return;
      applied = select.value;
      var url = new URL(window.location.href);
      url.searchParams.set("tz", select.value);
      Array.prototype.forEach.call(form.querySelectorAll("input[type=hidden]"), function (input) {
        if (!url.searchParams.has(input.name)) url.searchParams.set(input.name, input.value);
      });
      window.PageRegions.load(url.toString());
    }

    // Arrow keys fire "change" at every step: wait until the person pauses on a zone.
    select.addEventListener("change", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(apply, 350);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.clearTimeout(timer);
      apply();
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-time-zone-picker]"), function (picker) {
    var select = picker.querySelector("select");
    if (!select) return;
    if (select.hasAttribute("data-detect")) preselect(select);
    bindSearch(picker, select);
    var form = picker.closest("form[data-zone-form]");
    if (form) applyAtOnce(form, select);
  });
})();
