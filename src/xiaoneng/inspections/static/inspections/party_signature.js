/* The party's signature on the officer's phone: signature_pad (vendored, docs/vendor.md)
   draws the finger's strokes on a canvas; the drawing is sent as a PNG with the device's
   time. "拒绝签名" swaps the box for the witness's fields. */
(function () {
  "use strict";
  var form = document.getElementById("party-signature-form");
  if (!form || typeof SignaturePad === "undefined") {
    return;
  }
  var canvas = form.querySelector("canvas");
  var box = form.querySelector("[data-party-pad]");
  var witness = form.querySelector("[data-party-witness]");
  var pad = new SignaturePad(canvas, {
    backgroundColor: "rgb(255, 255, 255)",
    penColor: "rgb(17, 17, 17)",
    minWidth: 1,
    maxWidth: 3
  });

  // The drawing's pixels follow the screen's (a sharp line on a phone); resizing clears it,
  // so the box is sized once it is on screen (inside a closed <details> it has no size yet).
  function fit() {
    var ratio = Math.max(window.devicePixelRatio || 1, 1);
    if (!canvas.offsetWidth) {
      return;
    }
    canvas.width = canvas.offsetWidth * ratio;
    canvas.height = canvas.offsetHeight * ratio;
    canvas.getContext("2d").scale(ratio, ratio);
    pad.clear();
  }

  form.querySelector("[data-party-clear]").addEventListener("click", function () {
    pad.clear();
  });

  function refusing() {
    var checked = form.querySelector("input[name=refused]:checked");
    return Boolean(checked && checked.value);
  }
  function toggle() {
    box.classList.toggle("d-none", refusing());
    witness.classList.toggle("d-none", !refusing());
    if (!refusing() && pad.isEmpty()) {
      fit();
    }
  }
  form.querySelectorAll("input[name=refused]").forEach(function (radio) {
    radio.addEventListener("change", toggle);
  });
  var details = form.closest("details");
  if (details) {
    details.addEventListener("toggle", function () {
      if (details.open && pad.isEmpty()) {
        fit();
      }
    });
  }
  fit();

  form.addEventListener("submit", function () {
    form.elements.namedItem("captured_at").value = new Date().toISOString();
    form.elements.namedItem("image").value =
      !refusing() && !pad.isEmpty() ? pad.toDataURL("image/png") : "";
  });
})();
