// An action the page knows would be refused is not offered: its button is disabled and the reason stands
// beside it (the `submit_button` macro of web/forms/_fields.html renders both; the server still refuses).
// Scripts that learn the reason as the person types (vote.js, review.js) call Blocked.set.
(function () {
  "use strict";
  window.Blocked = {
    // reason: the text to show, or "" when the action may be taken.
    set: function (button, reason) {
      if (!button) return;
      var note = document.getElementById(button.id + "-blocked");
      button.disabled = !!reason;
      if (note) {
        note.textContent = reason || "";
        note.classList.toggle("d-none", !reason);
      }
    }
  };
})();
