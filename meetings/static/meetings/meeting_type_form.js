// A new Meeting Type's link (slug) follows its name until the rep edits the link themselves.
(function () {
  "use strict";
  var form = document.querySelector("form[data-slug-from-name]");
  if (!form) return;
  var name = form.querySelector("[name=name]");
  var slug = form.querySelector("[name=slug]");
  if (!name || !slug) return;
  var touched = slug.value !== "" && slug.value !== slugify(name.value);

  function slugify(text) {
    return text
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9\s-]/g, "")
      .trim()
      .replace(/[\s-]+/g, "-")
      .slice(0, 60)
      .replace(/-+$/, "");
  }

  slug.addEventListener("input", function () { touched = slug.value !== ""; });
  name.addEventListener("input", function () {
    if (!touched) slug.value = slugify(name.value);
  });
})();

// Date overrides: "Add a date" copies the blank row kept in a <template> (the formset's empty
// form), "Remove" hides a row and ticks its Remove box so the server drops it, and a day off
// hides the times. Without this script the page still works: a blank row and a Remove box.
(function () {
  "use strict";
  var rows = document.querySelector("[data-override-rows]");
  var template = document.querySelector("template[data-override-template]");
  var add = document.querySelector("[data-add-override]");
  var total = document.querySelector("input[name=overrides-TOTAL_FORMS]");
  if (!rows || !template || !add || !total) return;

  function enhance(row) {
    var times = row.querySelector("[data-override-times]");
    var hours = row.querySelector("input[type=radio][name$='-kind'][value=hours]");
    function showTimes() { if (times && hours) times.hidden = !hours.checked; }
    Array.prototype.forEach.call(row.querySelectorAll("input[type=radio][name$='-kind']"), function (radio) {
      radio.addEventListener("change", showTimes);
    });
    showTimes();

    var box = row.querySelector("input[type=checkbox][name$='-DELETE']");
    var holder = row.querySelector("[data-override-remove]");
    if (!box || !holder) return;
    holder.hidden = true;
    row.hidden = box.checked;
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "button button--quiet";
    remove.textContent = "Remove this date";
    remove.addEventListener("click", function () {
      box.checked = true;
      row.hidden = true;
      add.focus();
    });
    row.appendChild(remove);
  }

  Array.prototype.forEach.call(rows.querySelectorAll("[data-override-row]"), enhance);
  add.hidden = false;
  add.addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index)).trim();
    var row = holder.firstElementChild;
    rows.appendChild(row);
    total.value = String(index + 1);
    enhance(row);
    var date = row.querySelector("input[type=date]");
    if (date) date.focus();
  });
})();
