// Tambon plan forms: add formset rows, and narrow goal/programme choices to the chosen workstream.
(function () {
  "use strict";
  document.querySelectorAll("[data-formset]").forEach(function (box) {
    var prefix = box.getAttribute("data-formset");
    var total = box.querySelector("#id_" + prefix + "-TOTAL_FORMS");
    var template = box.querySelector("template");
    var rows = box.querySelector("[data-rows]");
    var add = box.querySelector("[data-add-row]");
    if (!total || !template || !rows || !add) return;
    add.addEventListener("click", function () {
      var n = parseInt(total.value, 10);
      rows.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, String(n)));
      total.value = String(n + 1);
      var first = rows.lastElementChild && rows.lastElementChild.querySelector("input, select, textarea");
      if (first) first.focus();
    });
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
