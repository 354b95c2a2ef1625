// A new Meeting Type's link (slug) follows its name until the rep edits the link themselves.
// (Its rows of date overrides and questions are static/js/formset_rows.js.)
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
