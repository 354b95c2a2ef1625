// The month of free days as a WAI-ARIA grid (https://www.w3.org/WAI/ARIA/apg/patterns/grid/):
// one Tab stop; arrow keys move by day and week, Home/End to the week's first and last day,
// Page Up/Page Down to the previous and next month; Enter or Space picks a marked day. Picking a
// day or a month updates the calendar and the day's times in place (page_regions.js) and keeps
// focus in the grid. Without scripts every marked day is a link and every month a page.
(function () {
  "use strict";
  if (!window.PageRegions || !window.PageRegions.supported) return;

  function grid() {
    return document.querySelector("[data-slot-month] table[role=grid]");
  }

  function cells(table) {
    return Array.prototype.slice.call(table.querySelectorAll("td[data-date]"));
  }

  function cellFor(table, iso) {
    return table.querySelector('td[data-date="' + iso + '"]');
  }

  function iso(day) {
    var m = String(day.getUTCMonth() + 1), d = String(day.getUTCDate());
    return day.getUTCFullYear() + "-" + (m.length < 2 ? "0" + m : m) + "-" + (d.length < 2 ? "0" + d : d);
  }

  function parse(text) {
    var parts = text.split("-");
    return new Date(Date.UTC(+parts[0], +parts[1] - 1, +parts[2]));
  }

  function shift(text, days) {
    var day = parse(text);
    day.setUTCDate(day.getUTCDate() + days);
    return iso(day);
  }

  function shiftMonth(text, months) {
    var day = parse(text);
    var target = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + months, 1));
    var last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
    target.setUTCDate(Math.min(day.getUTCDate(), last));
    return iso(target);
  }

  function focusCell(table, cell) {
    cells(table).forEach(function (other) { other.tabIndex = other === cell ? 0 : -1; });
    cell.focus();
  }

  function setUp() {
    var table = grid();
    if (!table || table.hasAttribute("data-ready")) return;
    table.setAttribute("data-ready", "");
    var all = cells(table);
    if (!all.length) return;
    Array.prototype.forEach.call(table.querySelectorAll("a"), function (link) { link.tabIndex = -1; });
    var active = table.querySelector("td[aria-selected=true]") ||
      table.querySelector("td[data-free]") || all[0];
    all.forEach(function (cell) { cell.tabIndex = cell === active ? 0 : -1; });
  }

  // Loads another month or day, then puts focus on `focusDate` (or the month link stepped by).
  function go(url, focusDate, stepLink) {
    var hadFocus = document.activeElement;
    var inGrid = hadFocus && grid() && grid().contains(hadFocus);
    return window.PageRegions.load(url).then(function () {
      setUp();
      var table = grid();
      if (!table) return;
      if (stepLink) {
        var again = document.querySelector('[data-slot-month] [data-month-step="' + stepLink + '"]');
        if (again) { again.focus(); return; }
      }
      if (!inGrid && !focusDate) return;
      var cell = (focusDate && cellFor(table, focusDate)) ||
        table.querySelector("td[aria-selected=true]") || cells(table)[0];
      if (cell) focusCell(table, cell);
    });
  }

  function monthUrl(months, focusDate) {
    var link = document.querySelector('[data-slot-month] [data-month-step="' + (months < 0 ? -1 : 1) + '"]');
    if (!link) return null;
    var url = new URL(link.href);
    url.searchParams.set("month", focusDate.slice(0, 7));
    return url.toString();
  }

  function move(table, cell, target) {
    var next = cellFor(table, target);
    if (next) { focusCell(table, next); return; }
    var months = target < cell.getAttribute("data-date") ? -1 : 1;
    var url = monthUrl(months, target);
    if (url) go(url, target);
  }

  function lastOfWeek(cell) {
    var row = cell.parentElement;
    var days = row.querySelectorAll("td[data-date]");
    return days[days.length - 1];
  }

  document.addEventListener("keydown", function (event) {
    var table = grid();
    var cell = event.target.closest && event.target.closest("td[data-date]");
    if (!table || !cell || !table.contains(cell)) return;
    var date = cell.getAttribute("data-date");
    var handled = true;
    switch (event.key) {
      case "ArrowRight": move(table, cell, shift(date, 1)); break;
      case "ArrowLeft": move(table, cell, shift(date, -1)); break;
      case "ArrowDown": move(table, cell, shift(date, 7)); break;
      case "ArrowUp": move(table, cell, shift(date, -7)); break;
      case "Home": focusCell(table, cell.parentElement.querySelector("td[data-date]")); break;
      case "End": focusCell(table, lastOfWeek(cell)); break;
      case "PageUp": move(table, cell, shiftMonth(date, -1)); break;
      case "PageDown": move(table, cell, shiftMonth(date, 1)); break;
      case "Enter":
      case " ":
        var link = cell.querySelector("a[data-day-link]");
        if (link) go(link.href, date);
        break;
      default: handled = false;
    }
    if (handled) event.preventDefault();
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-slot-month] a[data-day-link], [data-slot-month] a[data-month-step]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    var cell = link.closest("td[data-date]");
    if (cell) go(link.href, cell.getAttribute("data-date"));
    else go(link.href, null, link.getAttribute("data-month-step"));
  });

  document.addEventListener("regions:updated", setUp);
  setUp();
})();
