// Row formsets ([data-formset="<prefix>"]): "Add" copies the blank row kept in the set's
// <template> (the formset's empty form), "Remove" hides a row and ticks its Remove box so the
// server drops it, and parts of a row marked data-shown-when="<field>=<value>" show only while
// that field of the row has that value (a day off hides its times; a list question shows its
// choices). Without this script the page still works: a blank row and a Remove box per row.
(function () {
  "use strict";

  function fieldValue(row, suffix) {
    var checked = row.querySelector("input[type=radio][name$='-" + suffix + "']:checked");
    if (checked) return checked.value;
    var field = row.querySelector("select[name$='-" + suffix + "'], input[name$='-" + suffix + "']");
    return field ? field.value : null;
  }

  function enhanceRow(set, row, add) {
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
    row.hidden = box.checked;
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "button button--quiet";
    remove.textContent = set.getAttribute("data-remove-label") || "Remove";
    remove.addEventListener("click", function () {
      box.checked = true;
      row.hidden = true;
      add.focus();
    });
    row.appendChild(remove);
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-formset]"), function (set) {
    var prefix = set.getAttribute("data-formset");
    var rows = set.querySelector("[data-formset-rows]");
    var template = set.querySelector("template[data-formset-template]");
    var add = set.querySelector("[data-formset-add]");
    var total = set.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    if (!rows || !template || !add || !total) return;
    Array.prototype.forEach.call(rows.querySelectorAll("[data-formset-row]"), function (row) {
      enhanceRow(set, row, add);
    });
    add.hidden = false;
    add.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var holder = document.createElement("div");
      holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index)).trim();
      var row = holder.firstElementChild;
      rows.appendChild(row);
      total.value = String(index + 1);
      enhanceRow(set, row, add);
      var first = row.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
    });
  });
})();
