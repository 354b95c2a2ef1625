// Keeps the meeting-link panel current: re-fetches it until the server marks it settled. The panel
// is a live region that stays in place; only its content and state are updated, so screen readers
// announce the link when it arrives. A parked panel (the link waits on the rep or on Zoom's daily
// limit) keeps checking, slowly, for as long as the page is open.
(function () {
  "use strict";
  var panel = document.querySelector("[data-poll-url]");
  if (!panel || !window.fetch) return;
  var delay = 1500;
  var fastUntil = Date.now() + 15 * 60 * 1000;
  var PARKED_DELAY = 30000;

  function schedule() {
    if (panel.getAttribute("data-settled") === "true") return;
    var parked = panel.hasAttribute("data-parked") || Date.now() > fastUntil;
    window.setTimeout(poll, parked ? PARKED_DELAY : delay);
    delay = Math.min(Math.round(delay * 1.3), 10000);
  }

  function update(fresh) {
    Array.prototype.forEach.call(["data-settled", "data-parked"], function (name) {
      if (fresh.hasAttribute(name)) panel.setAttribute(name, fresh.getAttribute(name));
      else panel.removeAttribute(name);
    });
    if (panel.innerHTML.trim() !== fresh.innerHTML.trim()) panel.innerHTML = fresh.innerHTML;
    if (panel.getAttribute("data-settled") === "true") {
      // Notes elsewhere on the page about the link still being prepared are no longer true.
      Array.prototype.forEach.call(document.querySelectorAll("[data-until-link-settles]"), function (note) {
        note.hidden = true;
      });
    }
  }

  function poll() {
    fetch(panel.getAttribute("data-poll-url"), { cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("status " + response.status);
        return response.text();
      })
      .then(function (html) {
        var holder = document.createElement("div");
        holder.innerHTML = html.trim();
        var fresh = holder.querySelector("[data-poll-url]");
        if (fresh) update(fresh);
      })
      .catch(function () { /* a missed poll is retried on the next tick */ })
      .then(schedule);
  }

  schedule();
})();
