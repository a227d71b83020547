// The review form: the decision's button waits until the server would take it (blocked.js), saying why:
// a decision must be chosen, and a return needs its reasons (a ticked checklist item or words). Approving
// while a condition of approval is unmet is not offered at all (the option is disabled by the page).
(function () {
  "use strict";
  var form = document.getElementById("review-form");
  var button = document.getElementById("review-submit");
  if (!form || !button || !window.Blocked) return;
  var reasons = form.querySelector('textarea[name="reasons"]');

  function reason() {
    var decision = form.querySelector('input[name="decision"]:checked');
    if (!decision) return form.getAttribute("data-msg-choose");
    if (decision.value !== "return") return "";
    var ticked = document.querySelector('input[name="reason_items"]:checked');
    return ticked || (reasons && reasons.value.trim()) ? "" : form.getAttribute("data-msg-reasons");
  }

  function update() {
    window.Blocked.set(button, reason());
  }

  document.addEventListener("input", update);
  document.addEventListener("change", update);
  update();
})();
