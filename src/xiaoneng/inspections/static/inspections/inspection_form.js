/* The inspection form on a phone: check-in from the device's position, "now" buttons,
   "the rest all pass", a warning before leaving with unsaved input. No libraries
   (navigator.geolocation only). */
(function () {
  "use strict";
  var form = document.getElementById("inspection-form");
  if (!form) {
    return;
  }

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  // The value of a datetime-local input: the phone's local time (Asia/Shanghai in use).
  function localInput(d) {
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) +
      "T" + pad(d.getHours()) + ":" + pad(d.getMinutes());
  }

  function field(name) {
    return form.elements.namedItem(name);
  }

  var dirty = false;
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () { dirty = true; });
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  document.querySelectorAll("[data-now-for]").forEach(function (button) {
    button.addEventListener("click", function () {
      field(button.getAttribute("data-now-for")).value = localInput(new Date());
      dirty = true;
    });
  });

  document.querySelectorAll("[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.getAttribute("data-confirm"))) {
        event.preventDefault();
      } else {
        dirty = false;
      }
    });
  });

  // 其余未填项全部符合: every item without a result becomes 符合; an answered item is kept.
  var allPass = document.getElementById("all-pass");
  if (allPass) {
    allPass.hidden = false;
    allPass.addEventListener("click", function () {
      var answered = {};
      form.querySelectorAll("input[type=radio][name^='result_']").forEach(function (radio) {
        answered[radio.name] = answered[radio.name] || radio.checked;
      });
      Object.keys(answered).forEach(function (name) {
        var pass = form.querySelector("input[type=radio][name='" + name + "'][value='pass']");
        if (!answered[name] && pass) {
          pass.checked = true;
          dirty = true;
        }
      });
    });
  }

  var checkin = document.getElementById("checkin");
  var result = document.getElementById("checkin-result");
  if (!checkin || !result) {
    return;
  }

  function show(text, tone) {
    result.textContent = text;
    result.className = "small mb-2 " + tone;
  }

  checkin.addEventListener("click", function () {
    if (!("geolocation" in navigator)) {
      show(checkin.getAttribute("data-unsupported"), "text-danger");
      return;
    }
    checkin.disabled = true;
    show(checkin.getAttribute("data-locating"), "text-muted");
    navigator.geolocation.getCurrentPosition(function (position) {
      var when = new Date(position.timestamp || Date.now());
      var lon = position.coords.longitude.toFixed(6);
      var lat = position.coords.latitude.toFixed(6);
      var accuracy = Math.round(position.coords.accuracy);
      field("checkin_longitude").value = lon;
      field("checkin_latitude").value = lat;
      field("checkin_accuracy").value = accuracy;
      field("checkin_at").value = when.toISOString();
      if (!field("started_at").value) {
        field("started_at").value = localInput(when);
      }
      dirty = true;
      checkin.disabled = false;
      show(checkin.getAttribute("data-done")
        .replace("{lon}", lon).replace("{lat}", lat).replace("{acc}", accuracy)
        .replace("{time}", pad(when.getHours()) + ":" + pad(when.getMinutes())), "text-success");
    }, function (error) {
      checkin.disabled = false;
      show(checkin.getAttribute("data-failed") + "（" + error.message + "）", "text-danger");
    }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 0 });
  });
}());
