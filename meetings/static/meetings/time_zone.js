// The booking page shows the visitor's own zone once, unless they picked one already. Choosing in
// the picker changes nothing until its button is pressed (arrow keys in a select fire "change",
// so submitting on change would move keyboard users off the page at the first key). No inline
// handlers: the site's Content-Security-Policy runs scripts from static files only.
(function () {
  "use strict";
  var form = document.querySelector("[data-time-zone-form]");
  if (!form) return;
  var select = form.querySelector("select[name=tz]");
  if (form.hasAttribute("data-detected")) return;
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) {
    return;
  }
  if (!zone || !select || select.value === zone) return;
  var known = Array.prototype.some.call(select.options, function (o) { return o.value === zone; });
  if (!known) return;
  var url = new URL(window.location.href);
  url.searchParams.set("tz", zone);
  window.location.replace(url.toString());
})();
