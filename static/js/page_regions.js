// Updates parts of a page in place: fetches the same page for another query (another time zone,
// month or day) and swaps each element marked [data-region] for its fresh copy (matched by id),
// so focus stays where the person is instead of jumping to the top of a reloaded page. A
// [role=status] region keeps its node and takes the fresh text, so screen readers announce it.
// The page's new address is kept where a form sends the person back to it (the language switch's
// `next`, marked data-follows-page), so switching language keeps the zone, month and day picked.
// Falls back to loading the page when the fetch fails.
(function () {
  "use strict";

  function swap(doc) {
    Array.prototype.forEach.call(document.querySelectorAll("[data-region]"), function (old) {
      var fresh = doc.getElementById(old.id);
      if (!fresh) return;
      if (old.getAttribute("role") === "status") {
        old.textContent = fresh.textContent;
      } else {
        old.replaceWith(document.importNode(fresh, true));
      }
    });
    if (doc.title) document.title = doc.title;
  }

  function load(url) {
    var target = new URL(url, window.location.href);
    return window.fetch(target.toString(), { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok || response.redirected) throw new Error("status " + response.status);
        return response.text();
      })
      .then(function (html) {
        swap(new DOMParser().parseFromString(html, "text/html"));
        var here = target.pathname + target.search + target.hash;
        window.history.replaceState(null, "", here);
        Array.prototype.forEach.call(document.querySelectorAll("[data-follows-page]"), function (input) {
          input.value = here;
        });
        document.dispatchEvent(new CustomEvent("regions:updated"));
      })
      .catch(function () {
        window.location.assign(target.toString());
        return new Promise(function () {}); // the page is being replaced
      });
  }

  window.PageRegions = { load: load, supported: !!(window.fetch && window.DOMParser) };
})();
