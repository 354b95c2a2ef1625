// Keeps the meeting-link panel current: re-fetches it until the server marks it settled.
(function () {
  "use strict";
  var panel = document.querySelector("[data-poll-url]");
  if (!panel || !window.fetch) return;
  var delay = 1500;
  var deadline = Date.now() + 15 * 60 * 1000;

  function schedule() {
    if (panel.getAttribute("data-settled") === "true" || Date.now() > deadline) return;
    window.setTimeout(poll, delay);
    delay = Math.min(Math.round(delay * 1.3), 10000);
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
        var fresh = holder.firstElementChild;
        if (fresh) {
          panel.replaceWith(fresh);
          panel = fresh;
        }
      })
      .catch(function () { /* a missed poll is retried on the next tick */ })
      .then(schedule);
  }

  schedule();
})();
