// The roster upload: the button is disabled while the file is sent and checked (a second click would
// send it again), and the page says what is happening. A large file (data-progress-from bytes or more)
// is sent with a progress bar; the server's answer is then shown as if the form had been sent: the
// report (after its redirect) or the page with the refusal. Without this script the form works as is.
(function () {
  "use strict";
  var form = document.querySelector("form[data-upload-progress]");
  if (!form) return;
  var button = form.querySelector('button[type="submit"]');
  var input = form.querySelector('input[type="file"]');
  var status = document.getElementById("upload-status");
  var text = document.getElementById("upload-status-text");
  var bar = status.querySelector("progress");
  var from = Number(form.getAttribute("data-progress-from"));

  function say(name, values) {
    text.textContent = form.getAttribute("data-msg-" + name).replace(/\{(\w+)\}/g, function (_, key) {
      return String(values[key]);
    });
  }

  function busy(on) {
    button.disabled = on;
    button.setAttribute("aria-busy", on ? "true" : "false");
    status.classList.toggle("d-none", !on);
  }

  // Back to this page from the browser's history: the form is usable again.
  window.addEventListener("pageshow", function () { busy(false); });

  form.addEventListener("submit", function (event) {
    var file = input && input.files && input.files[0];
    busy(true);
    bar.removeAttribute("value");  // indeterminate: checking
    say("checking", {});
    if (!file || file.size < from || !window.FormData) return;  // sent by the browser; the answer replaces the page
    event.preventDefault();
    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) return;
      var percent = Math.floor(100 * e.loaded / e.total);
      bar.value = percent;
      say("uploading", {percent: percent});
    });
    request.upload.addEventListener("load", function () {
      bar.removeAttribute("value");
      say("checking", {});
    });
    request.addEventListener("load", function () {
      if (request.status === 200) {
        // checked: the server redirected to the report, which a GET shows
        window.location.assign(request.responseURL || form.action);
        return;
      }
      document.open();
      document.write(request.responseText);
      document.close();
    });
    request.addEventListener("error", function () {
      busy(false);
      status.classList.remove("d-none");
      bar.value = 0;
      say("failed", {});
    });
    say("uploading", {percent: 0});
    bar.value = 0;
    request.send(new FormData(form));
  });
})();
