/* Follow a report's (or an export's) build: poll its JSON status and show the files when it is done. No library. */
(function () {
  "use strict";
  var box = document.getElementById("build");
  if (!box || box.dataset.finished === "true") return;
  var url = box.dataset.statusUrl;
  var status = box.querySelector('[data-role="status"]');
  var bar = box.querySelector('[data-role="progress"]');
  var reason = box.querySelector('[data-role="reason"]');
  var files = box.querySelector('[data-role="files"]');
  var waiting = box.querySelector('[data-role="waiting"]');
  var delay = 1000;

  function show(data) {
    status.textContent = data.status_label;
    status.className = "badge report-" + data.status;
    bar.value = data.progress;
    bar.textContent = data.progress + "%";
    if (data.reason) { reason.textContent = data.reason; reason.hidden = false; }
    // Each file the build made (pdf and xlsx for reports, xlsx and csv for exports) fills its own link.
    var formats = Object.keys(data.files || {});
    formats.forEach(function (format) {
      var link = files.querySelector('[data-format="' + format + '"]');
      if (link) link.href = data.files[format];
    });
    if (formats.length) files.hidden = false;
    if (data.finished) waiting.hidden = true;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
      .then(function (data) {
        show(data);
        if (!data.finished) { delay = Math.min(delay * 1.5, 10000); setTimeout(poll, delay); }
      })
      .catch(function () { delay = Math.min(delay * 2, 30000); setTimeout(poll, delay); });
  }
  setTimeout(poll, delay);
})();
