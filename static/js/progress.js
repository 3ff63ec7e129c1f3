// Project progress: photos are made smaller in the phone before they are sent (longest side 1600 px, JPEG 0.8),
// so a report goes through on a slow connection. Without JavaScript, or where the browser cannot do it, the
// original files are sent and the server's limits apply (codi_plans/uploads.py).
(function () {
  "use strict";
  var MAX_SIDE = 1600;
  var QUALITY = 0.8;
  var input = document.querySelector("input[type=file][data-resize]");
  if (!input || !window.DataTransfer || !window.HTMLCanvasElement) { return; }
  var form = input.form;
  var status = document.getElementById("photo-status");
  var buttons = form ? form.querySelectorAll("button[type=submit]") : [];

  function say(text) { if (status) { status.textContent = text; } }
  function busy(on) { buttons.forEach(function (b) { b.disabled = on; }); }

  function decode(file) {
    if (window.createImageBitmap) { return createImageBitmap(file); }
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () {
        var img = new Image();
        img.onload = function () { resolve(img); };
        img.onerror = reject;
        img.src = reader.result;  // a data: URL, which the page's CSP allows for images
      };
      reader.onerror = reject;
      reader.readAsDataURL(file);
    });
  }

  function shrink(file) {
    if (!/^image\/(jpeg|png|webp)$/.test(file.type)) { return Promise.resolve(file); }
    return decode(file).then(function (img) {
      var w = img.width, h = img.height;
      var scale = Math.min(1, MAX_SIDE / Math.max(w, h));
      if (scale === 1 && file.type === "image/jpeg" && file.size < 600 * 1024) { return file; }
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(w * scale);
      canvas.height = Math.round(h * scale);
      canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob || blob.size >= file.size) { resolve(file); return; }
          var name = file.name.replace(/\.[^.]+$/, "") + ".jpg";
          resolve(new File([blob], name, { type: "image/jpeg", lastModified: Date.now() }));
        }, "image/jpeg", QUALITY);
      });
    }).catch(function () { return file; });
  }

  input.addEventListener("change", function () {
    var files = Array.prototype.slice.call(input.files || []);
    if (!files.length) { say(""); return; }
    busy(true);
    say(input.dataset.working || "…");
    Promise.all(files.map(shrink)).then(function (smaller) {
      var transfer = new DataTransfer();
      smaller.forEach(function (f) { transfer.items.add(f); });
      input.files = transfer.files;
      var kb = smaller.reduce(function (sum, f) { return sum + f.size; }, 0) / 1024;
      say((input.dataset.ready || "") + " " + Math.round(kb) + " KB");
      input.dataset.resized = "true";
    }).finally(function () { busy(false); });
  });
})();
