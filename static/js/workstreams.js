// Tambon plan forms: add formset rows, and narrow goal/programme choices to the chosen workstream.
(function () {
  "use strict";
  // "Add" buttons clone their box's empty row (a <template>); rows may hold rows of their own (a new project holds
  // budget lines), so each box names its placeholder and the click is caught once, for boxes added later too.
  function direct(box, selector) {
    return Array.prototype.find.call(box.children, function (child) { return child.matches(selector); });
  }
  document.addEventListener("click", function (event) {
    var add = event.target.closest("[data-add-row]");
    if (!add) return;
    var box = add.closest("[data-formset]");
    var prefix = box && box.getAttribute("data-formset");
    var total = box && box.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var template = box && direct(box, "template");
    var rows = box && direct(box, "[data-rows]");
    if (!total || !template || !rows) return;
    var n = parseInt(total.value, 10);
    var placeholder = new RegExp(box.getAttribute("data-placeholder") || "__prefix__", "g");
    rows.insertAdjacentHTML("beforeend", template.innerHTML.replace(placeholder, String(n)));
    total.value = String(n + 1);
    var added = rows.lastElementChild;
    if (!added) return;
    var legend = added.querySelector("legend");
    if (legend && added.hasAttribute("data-project")) legend.textContent = legend.textContent.trim() + " " + (n + 1);
    if (window.CODIThaiDate) window.CODIThaiDate.enhance(added);
    var first = added.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
  });

  // Goals narrow to the chosen workstream; programmes to the workstream and, when they sit under a goal, to that goal.
  var tree = document.querySelector("[data-plan-tree]");
  if (!tree) return;
  var workstream = tree.querySelector("select[name=workstream]");
  var goal = tree.querySelector("select[name=goal]");
  var dependents = tree.querySelectorAll("select[name=goal], select[name=programme]");
  function narrow() {
    var chosen = workstream.options[workstream.selectedIndex];
    var label = chosen && chosen.value ? chosen.text : null;
    dependents.forEach(function (select) {
      select.querySelectorAll("optgroup").forEach(function (group) {
        var show = !label || group.label === label;
        group.hidden = !show;
        group.disabled = !show;
      });
    });
    var goalValue = goal && goal.value;
    tree.querySelectorAll("select[name=programme] option[data-parent]").forEach(function (option) {
      var show = !goalValue || option.getAttribute("data-parent") === goalValue;
      option.hidden = !show;
      option.disabled = !show;
    });
    dependents.forEach(function (select) {
      var current = select.options[select.selectedIndex];
      if (current && (current.disabled || current.parentElement.disabled)) select.value = "";
    });
  }
  workstream.addEventListener("change", narrow);
  if (goal) goal.addEventListener("change", narrow);
  narrow();
})();
