// Row formsets ([data-formset="<prefix>"]): "Add" copies the blank row kept in the set's
// <template> (the formset's empty form), "Remove" hides a row and ticks its Remove box so the
// server drops it, and parts of a row marked data-shown-when="<field>=<value>" show only while
// that field of the row has that value (a day off hides its times; a list question shows its
// choices). A blank row the server added for pages without scripts ([data-formset-blank]) is
// hidden, and a list's [data-formset-empty] note ("Unavailable") shows while it has no row.
// Without this script the page still works: a blank row and a Remove box per row.
(function () {
  "use strict";

  function fieldValue(row, suffix) {
    var checked = row.querySelector("input[type=radio][name$='-" + suffix + "']:checked");
    if (checked) return checked.value;
    var field = row.querySelector("select[name$='-" + suffix + "'], input[name$='-" + suffix + "']");
    return field ? field.value : null;
  }

  function enhanceRow(set, row, add, refresh) {
    var dependants = row.querySelectorAll("[data-shown-when]");
    function update() {
      Array.prototype.forEach.call(dependants, function (part) {
        var rule = part.getAttribute("data-shown-when").split("=");
        part.hidden = fieldValue(row, rule[0]) !== rule[1];
      });
    }
    row.addEventListener("change", update);
    update();

    var box = row.querySelector("input[type=checkbox][name$='-DELETE']");
    var holder = row.querySelector("[data-formset-remove]");
    if (!box || !holder) return;
    holder.hidden = true;
    if (box.checked) row.hidden = true;
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "button button--quiet";
    remove.textContent = set.getAttribute("data-remove-label") || "Remove";
    remove.addEventListener("click", function () {
      box.checked = true;
      row.hidden = true;
      refresh();
      add.focus();
    });
    row.appendChild(remove);
  }

  // A set may have several lists of rows, each with its own "Add" button naming its list and
  // template by id (data-rows, data-template): the weekly hours have one per weekday.
  Array.prototype.forEach.call(document.querySelectorAll("[data-formset]"), function (set) {
    var prefix = set.getAttribute("data-formset");
    var total = set.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    if (!total) return;
    Array.prototype.forEach.call(set.querySelectorAll("[data-formset-add]"), function (add) {
      var rows = add.hasAttribute("data-rows")
        ? document.getElementById(add.getAttribute("data-rows"))
        : set.querySelector("[data-formset-rows]");
      var template = add.hasAttribute("data-template")
        ? document.getElementById(add.getAttribute("data-template"))
        : set.querySelector("template[data-formset-template]");
      if (!rows || !template) return;
      var note = add.parentElement.querySelector("[data-formset-empty]");
      function refresh() {
        if (!note) return;
        note.hidden = Array.prototype.some.call(
          rows.querySelectorAll("[data-formset-row]"), function (row) { return !row.hidden; });
      }
      Array.prototype.forEach.call(rows.querySelectorAll("[data-formset-row]"), function (row) {
        if (row.hasAttribute("data-formset-blank")) row.hidden = true;
        enhanceRow(set, row, add, refresh);
      });
      refresh();
      add.hidden = false;
      add.addEventListener("click", function () {
        var index = parseInt(total.value, 10);
        var holder = document.createElement("div");
        holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index)).trim();
        var row = holder.firstElementChild;
        rows.appendChild(row);
        total.value = String(index + 1);
        enhanceRow(set, row, add, refresh);
        refresh();
        var first = row.querySelector("input:not([type=hidden]), select, textarea");
        if (first) first.focus();
      });
    });
  });
})();
