// Wide tables scroll sideways inside their own box on a phone; a box that scrolls takes keyboard focus, so people
// without a mouse or touch screen can scroll it with the arrow keys (WCAG 2.1.1). Boxes that fit stay out of the tab order.
(function () {
  "use strict";
  var BOXES = "table.data, .table-scroll, .grid-form";
  function mark() {
    document.querySelectorAll(BOXES).forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1 && getComputedStyle(box).overflowX !== "visible";
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("data-scroll-focus", "");
      } else if (!scrolls && box.hasAttribute("data-scroll-focus")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("data-scroll-focus");
      }
    });
  }
  mark();
  var pending;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(mark, 150);
  });
})();
