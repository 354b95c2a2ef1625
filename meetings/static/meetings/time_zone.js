// Shows the booking page in the visitor's own time zone, once, unless they picked one already.
(function () {
  "use strict";
  var form = document.querySelector("[data-time-zone-form]");
  if (!form || form.hasAttribute("data-detected")) return;
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) {
    return;
  }
  var select = form.querySelector("select[name=tz]");
  if (!zone || !select || select.value === zone) return;
  var known = Array.prototype.some.call(select.options, function (o) { return o.value === zone; });
  if (!known) return;
  var url = new URL(window.location.href);
  url.searchParams.set("tz", zone);
  window.location.replace(url.toString());
})();
