/* The party's signature on the officer's phone: a canvas the party draws on with a finger
   (pointer events), sent as a PNG with the device's time; "拒绝签名" swaps the box for the
   witness's fields. No libraries. */
(function () {
  "use strict";
  var form = document.getElementById("party-signature-form");
  if (!form) {
    return;
  }
  var canvas = form.querySelector("canvas");
  var pad = form.querySelector("[data-party-pad]");
  var witness = form.querySelector("[data-party-witness]");
  var context = canvas.getContext("2d");
  var inked = false;
  var last = null;

  // The drawing's pixels follow the screen's (a sharp line on a phone), on a white ground.
  function fit() {
    var ratio = window.devicePixelRatio || 1;
    var box = canvas.getBoundingClientRect();
    if (!box.width) {
      return;
    }
    canvas.width = Math.round(box.width * ratio);
    canvas.height = Math.round(box.height * ratio);
    context.fillStyle = "#fff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.lineWidth = 2.5 * ratio;
    context.lineCap = "round";
    context.lineJoin = "round";
    context.strokeStyle = "#111";
    inked = false;
  }

  function point(event) {
    var box = canvas.getBoundingClientRect();
    return {
      x: (event.clientX - box.left) * (canvas.width / box.width),
      y: (event.clientY - box.top) * (canvas.height / box.height)
    };
  }

  canvas.addEventListener("pointerdown", function (event) {
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    last = point(event);
    context.beginPath();
    context.arc(last.x, last.y, context.lineWidth / 2, 0, 2 * Math.PI);
    context.fillStyle = "#111";
    context.fill();
    inked = true;
  });
  canvas.addEventListener("pointermove", function (event) {
    if (!last) {
      return;
    }
    var next = point(event);
    context.beginPath();
    context.moveTo(last.x, last.y);
    context.lineTo(next.x, next.y);
    context.stroke();
    last = next;
  });
  function lift() {
    last = null;
  }
  canvas.addEventListener("pointerup", lift);
  canvas.addEventListener("pointercancel", lift);

  form.querySelector("[data-party-clear]").addEventListener("click", fit);

  function refusing() {
    var checked = form.querySelector("input[name=refused]:checked");
    return Boolean(checked && checked.value);
  }
  function toggle() {
    pad.classList.toggle("d-none", refusing());
    witness.classList.toggle("d-none", !refusing());
    if (!refusing() && !inked) {
      fit();
    }
  }
  form.querySelectorAll("input[name=refused]").forEach(function (radio) {
    radio.addEventListener("change", toggle);
  });

  // The box is drawn once it is on screen (inside a closed <details> it has no size yet).
  var details = form.closest("details");
  if (details) {
    details.addEventListener("toggle", function () {
      if (details.open && !inked) {
        fit();
      }
    });
  }
  fit();

  form.addEventListener("submit", function () {
    form.elements.namedItem("captured_at").value = new Date().toISOString();
    form.elements.namedItem("image").value = !refusing() && inked ? canvas.toDataURL("image/png") : "";
  });
})();
