// A changed section of the drafting page is not left without a question: following a link, sending
// another form of the page (an evidence upload, the submission) or closing the tab asks first, in the
// words of the form's data-unsaved-warning. Saving the section (either of its buttons) does not ask.
// "Changed" compares what the form would send now with what it held when the page was shown, blank
// values left out, so adding a blank row is no change and clearing a field is one. A form shown again
// after a refused save (data-unsaved-pending) holds unsaved input from the start.
(function () {
  "use strict";

  var form = document.querySelector("form[data-unsaved-warning]");
  if (!form) return;
  var message = form.getAttribute("data-unsaved-warning");
  var pending = form.hasAttribute("data-unsaved-pending");
  var saving = false;
  var leaving = false;

  function state() {
    var parts = [];
    new FormData(form).forEach(function (value, name) {
      if (name === "csrf_token" || name === "version" || typeof value !== "string") return;
      if (value.trim() !== "") parts.push(name + "=" + value);
    });
    return parts.join("\u0000");
  }

  var shown = state();

  function changed() {
    return !saving && !leaving && (pending || state() !== shown);
  }

  // Leave without asking again (beforeunload) once the person said yes.
  function confirmLeave() {
    if (!window.confirm(message)) return false;
    leaving = true;
    window.setTimeout(function () { leaving = false; }, 1000);  // a download does not leave the page
    return true;
  }

  form.addEventListener("submit", function () { saving = true; });

  document.addEventListener("submit", function (event) {
    if (event.target === form || event.defaultPrevented || !changed()) return;
    if (!confirmLeave()) event.preventDefault();
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[href]");
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;  // a new tab or window
    if (link.target === "_blank" || link.hasAttribute("download")) return;
    var href = link.getAttribute("href");
    if (href.charAt(0) === "#") return;  // a place on this page
    if (changed() && !confirmLeave()) event.preventDefault();
  });

  window.addEventListener("beforeunload", function (event) {
    if (!changed()) return;
    event.preventDefault();
    event.returnValue = message;  // older browsers show it; current ones their own words
    return message;
  });
})();
