/* Budgets: live totals of money columns and "add a row" for row formsets. The forms work without it. */
(function () {
  "use strict";
  function satang(value) {
    var n = Number(String(value || "").replace(/,/g, "").trim());
    return isFinite(n) ? Math.round(n * 100) : 0;
  }
  function baht(s) {
    var sign = s < 0 ? "-" : "";
    s = Math.abs(s);
    var whole = String(Math.floor(s / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return sign + whole + "." + String(s % 100).padStart(2, "0");
  }
  function updateTotals() {
    document.querySelectorAll("[data-total-of]").forEach(function (out) {
      var prefix = out.getAttribute("data-total-of") + "-";
      var suffix = out.getAttribute("data-total-suffix") || "amount";
      var sum = 0;
      document.querySelectorAll("input").forEach(function (input) {
        if (input.name.indexOf(prefix) === 0 && input.name.slice(-suffix.length) === suffix) {
          sum += satang(input.value);
        }
      });
      out.textContent = baht(sum);
    });
  }
  document.addEventListener("input", updateTotals);
  updateTotals();

  document.querySelectorAll("table[data-formset]").forEach(function (table) {
    var prefix = table.getAttribute("data-formset");
    var total = document.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var body = table.querySelector("tbody");
    if (!total || !body || !body.lastElementChild) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "link add-row";
    button.textContent = table.getAttribute("data-add-label") || "+";
    button.addEventListener("click", function () {
      var index = Number(total.value);
      var row = body.lastElementChild.cloneNode(true);
      row.querySelectorAll("input, select, textarea").forEach(function (field) {
        ["name", "id"].forEach(function (attr) {
          var v = field.getAttribute(attr);
          if (v) field.setAttribute(attr, v.replace(new RegExp(prefix + "-\\d+-"), prefix + "-" + index + "-"));
        });
        if (field.tagName === "SELECT") field.selectedIndex = 0; else if (field.type !== "hidden") field.value = "";
      });
      // Each cell's hidden label names its field and row: point it at the new field and number the new row.
      row.querySelectorAll("label[for]").forEach(function (label) {
        label.setAttribute("for", label.getAttribute("for").replace(new RegExp(prefix + "-\\d+-"), prefix + "-" + index + "-"));
      });
      row.querySelectorAll("[data-row-number]").forEach(function (n) { n.textContent = String(index + 1); });
      row.querySelectorAll(".error").forEach(function (e) { e.remove(); });
      body.appendChild(row);
      total.value = index + 1;
    });
    table.parentNode.appendChild(button);
  });
})();
