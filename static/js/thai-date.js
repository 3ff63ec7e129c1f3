/* A small date picker for day/month/B.E.-year boxes (codi_plans.forms.ThaiDateInput), phone first, no dependency.

   The box stays a plain text field the server parses (codi_plans.thai_calendar.parse_date); this script only adds
   a button that opens a month grid, and a line under the box that says the typed date in words ("1 ตุลาคม 2569"),
   so a mistyped year shows before the form is sent. Without JavaScript the box and its format hint remain. */
(function () {
  "use strict";

  var THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙";
  var BE_OFFSET = 543;

  function arabic(text) {
    return text.replace(/[๐-๙]/g, function (ch) { return String(THAI_DIGITS.indexOf(ch)); });
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  // The same numeric forms the server takes: 01/10/2569, 1-10-69, 01102569, 2569-10-01 (month names: server only).
  function parse(text) {
    text = arabic(text).trim();
    var day, month, year, short = false, m;
    if ((m = text.match(/^(\d{1,2})\s*[\/.\-]\s*(\d{1,2})\s*[\/.\-]\s*(\d{4}|\d{2})$/)) || (m = text.match(/^(\d{2})(\d{2})(\d{4})$/))) {
      day = +m[1]; month = +m[2]; year = +m[3]; short = m[3].length === 2;
    } else if ((m = text.match(/^(\d{4})-(\d{1,2})-(\d{1,2})$/))) {
      year = +m[1]; month = +m[2]; day = +m[3];
    } else {
      return null;
    }
    if (short) { year += 2500; }
    if (year >= 2400) { year -= BE_OFFSET; }
    var date = new Date(year, month - 1, day);
    if (date.getFullYear() !== year || date.getMonth() !== month - 1 || date.getDate() !== day) { return null; }
    if (Math.abs(year - new Date().getFullYear()) > 30) { return null; }
    return date;
  }

  function format(date) {
    return pad(date.getDate()) + "/" + pad(date.getMonth() + 1) + "/" + (date.getFullYear() + BE_OFFSET);
  }

  function sameDay(a, b) {
    return a && b && a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
  }

  function element(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  var SVG = "http://www.w3.org/2000/svg";

  // A small calendar drawn in SVG (an emoji is missing from many phones' fonts).
  function calendarIcon() {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "22");
    svg.setAttribute("height", "22");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    [["rect", { x: "3", y: "5", width: "18", height: "16", rx: "2" }],
     ["line", { x1: "3", y1: "10", x2: "21", y2: "10" }],
     ["line", { x1: "8", y1: "3", x2: "8", y2: "7" }],
     ["line", { x1: "16", y1: "3", x2: "16", y2: "7" }]].forEach(function (shape) {
      var node = document.createElementNS(SVG, shape[0]);
      Object.keys(shape[1]).forEach(function (name) { node.setAttribute(name, shape[1][name]); });
      node.setAttribute("fill", "none");
      node.setAttribute("stroke", "currentColor");
      node.setAttribute("stroke-width", "2");
      svg.appendChild(node);
    });
    return svg;
  }

  var counter = 0;

  function enhance(wrapper) {
    var input = wrapper.querySelector("input[data-thai-date]");
    if (!input || wrapper.hasAttribute("data-ready")) { return; }
    wrapper.setAttribute("data-ready", "");
    var months = (wrapper.getAttribute("data-months") || "").split(",");
    var weekdays = (wrapper.getAttribute("data-days") || "").split(",");
    var labels = (wrapper.getAttribute("data-labels") || "").split("|");
    var id = "thai-date-" + (++counter);

    var words = element("span", { "class": "date-words", "aria-live": "polite" });
    var toggle = element("button", { type: "button", "class": "date-toggle", "aria-haspopup": "dialog",
                                     "aria-expanded": "false", "aria-controls": id, "aria-label": labels[0] });
    toggle.appendChild(calendarIcon());
    var panel = element("div", { id: id, role: "dialog", "class": "date-panel", "aria-label": labels[0], hidden: "" });
    input.insertAdjacentElement("afterend", toggle);
    wrapper.appendChild(words);
    wrapper.appendChild(panel);

    var shown = new Date();

    function describe() {
      var value = input.value.trim();
      if (!value) { words.textContent = ""; words.className = "date-words"; return; }
      var date = parse(value);
      if (date) {
        words.textContent = date.getDate() + " " + months[date.getMonth()] + " " + (date.getFullYear() + BE_OFFSET);
        words.className = "date-words";
      } else if (/[a-zก-๛]/i.test(value)) {
        words.textContent = "";  // month names are read by the server; say nothing rather than something wrong
      } else {
        words.textContent = labels[7];
        words.className = "date-words bad";
      }
    }

    function close(focusToggle) {
      panel.hidden = true;
      toggle.setAttribute("aria-expanded", "false");
      if (focusToggle) { toggle.focus(); }
    }

    function choose(date) {
      input.value = format(date);
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
      close(false);
      input.focus();
    }

    function render(focusDay) {
      panel.textContent = "";
      var head = element("div", { "class": "date-head" });
      var prev = element("button", { type: "button", "aria-label": labels[1] }, "‹");
      var next = element("button", { type: "button", "aria-label": labels[2] }, "›");
      var monthSelect = element("select", { "aria-label": labels[3] });
      months.forEach(function (name, index) {
        var option = element("option", { value: String(index) }, name);
        if (index === shown.getMonth()) { option.selected = true; }
        monthSelect.appendChild(option);
      });
      var yearSelect = element("select", { "aria-label": labels[4] });
      var thisYear = new Date().getFullYear();
      for (var y = thisYear - 30; y <= thisYear + 30; y++) {
        var option = element("option", { value: String(y) }, String(y + BE_OFFSET));
        if (y === shown.getFullYear()) { option.selected = true; }
        yearSelect.appendChild(option);
      }
      prev.addEventListener("click", function () { shown = new Date(shown.getFullYear(), shown.getMonth() - 1, 1); render(); });
      next.addEventListener("click", function () { shown = new Date(shown.getFullYear(), shown.getMonth() + 1, 1); render(); });
      monthSelect.addEventListener("change", function () { shown = new Date(shown.getFullYear(), +monthSelect.value, 1); render(); });
      yearSelect.addEventListener("change", function () { shown = new Date(+yearSelect.value, shown.getMonth(), 1); render(); });
      head.appendChild(prev); head.appendChild(monthSelect); head.appendChild(yearSelect); head.appendChild(next);
      panel.appendChild(head);

      var grid = element("table", { "class": "date-grid", role: "grid" });
      var headRow = element("tr");
      weekdays.forEach(function (name) { headRow.appendChild(element("th", { scope: "col" }, name)); });
      var thead = element("thead"); thead.appendChild(headRow); grid.appendChild(thead);
      var body = element("tbody");
      var first = new Date(shown.getFullYear(), shown.getMonth(), 1);
      var selected = parse(input.value);
      var today = new Date();
      var row = element("tr");
      for (var blank = 0; blank < first.getDay(); blank++) { row.appendChild(element("td")); }
      var last = new Date(shown.getFullYear(), shown.getMonth() + 1, 0).getDate();
      var focusTarget = null;
      var initialDay = focusDay
        || (selected && selected.getFullYear() === shown.getFullYear() && selected.getMonth() === shown.getMonth() ? selected.getDate() : 0)
        || (today.getFullYear() === shown.getFullYear() && today.getMonth() === shown.getMonth() ? today.getDate() : 1);
      for (var d = 1; d <= last; d++) {
        var date = new Date(shown.getFullYear(), shown.getMonth(), d);
        var cell = element("td");
        var button = element("button", { type: "button", "data-day": String(d),
                                         "aria-label": d + " " + months[date.getMonth()] + " " + (date.getFullYear() + BE_OFFSET) }, String(d));
        if (sameDay(date, selected)) { button.setAttribute("aria-pressed", "true"); }
        if (sameDay(date, today)) { button.classList.add("today"); }
        button.tabIndex = -1;
        button.addEventListener("click", choose.bind(null, date));
        cell.appendChild(button);
        row.appendChild(cell);
        if (date.getDay() === 6) { body.appendChild(row); row = element("tr"); }
        if (d === initialDay) { focusTarget = button; }
      }
      if (row.children.length) { body.appendChild(row); }
      grid.appendChild(body);
      panel.appendChild(grid);
      if (focusTarget) { focusTarget.tabIndex = 0; }

      grid.addEventListener("keydown", function (event) {
        var current = event.target.getAttribute && +event.target.getAttribute("data-day");
        if (!current) { return; }
        var moves = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };
        if (!(event.key in moves)) { return; }
        event.preventDefault();
        var target = new Date(shown.getFullYear(), shown.getMonth(), current + moves[event.key]);
        if (target.getMonth() !== shown.getMonth()) {
          shown = new Date(target.getFullYear(), target.getMonth(), 1);
          render(target.getDate());
        }
        var button = panel.querySelector('button[data-day="' + target.getDate() + '"]');
        if (button) { button.focus(); }
      });

      var foot = element("div", { "class": "date-foot" });
      var todayButton = element("button", { type: "button" }, labels[5]);
      todayButton.addEventListener("click", function () { choose(new Date()); });
      var closeButton = element("button", { type: "button" }, labels[6]);
      closeButton.addEventListener("click", function () { close(true); });
      foot.appendChild(todayButton); foot.appendChild(closeButton);
      panel.appendChild(foot);
      if (focusDay && focusTarget) { focusTarget.focus(); }
    }

    toggle.addEventListener("click", function () {
      if (!panel.hidden) { close(true); return; }
      var selected = parse(input.value);
      shown = selected ? new Date(selected.getFullYear(), selected.getMonth(), 1) : new Date();
      render();
      panel.hidden = false;
      toggle.setAttribute("aria-expanded", "true");
      var focus = panel.querySelector('.date-grid button[tabindex="0"]');
      if (focus) { focus.focus(); }
    });
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { event.preventDefault(); close(true); }
    });
    document.addEventListener("click", function (event) {
      if (!panel.hidden && !wrapper.contains(event.target)) { close(false); }
    });
    input.addEventListener("input", describe);
    describe();
  }

  function enhanceAll(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll(".thai-date"), enhance);
  }

  window.CODIThaiDate = { parse: parse, format: format, enhance: enhanceAll };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  } else {
    enhanceAll(document);
  }
}());
