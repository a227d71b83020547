// An action the page knows would be refused is not offered: its button is disabled and the reason stands
// beside it (the `submit_button` macro of web/forms/_fields.html renders both; the server still refuses).
// Scripts that learn the reason as the person types (vote.js, review.js) call Blocked.set; a form marked
// data-block-until-filled="<button id>" waits until each of its required fields with a data-label is filled
// (a radio group: one chosen; a field marked data-required-when="<radio name>": only once one of those is
// chosen), naming those still blank after its data-msg-unfilled (joined by its data-msg-separator); see data-rows-cover below.
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

  Array.prototype.forEach.call(document.querySelectorAll("form[data-block-until-filled]"), function (form) {
    var button = document.getElementById(form.getAttribute("data-block-until-filled"));
    function chosen(name) {
      return !!form.querySelector('input[name="' + name + '"]:checked');
    }
    function wanted(input) {
      var when = input.getAttribute("data-required-when");
      return input.hasAttribute("required") || chosen(when);
    }
    function update() {
      var blank = [];
      Array.prototype.forEach.call(form.querySelectorAll("[required][data-label], [data-required-when][data-label]"), function (input) {
        if (!wanted(input)) return;
        var empty = input.type === "radio" ? !chosen(input.name) : !input.value.trim();
        if (empty) blank.push(input.getAttribute("data-label"));
      });
      // A table marked data-rows-cover='[[value, label], …]' needs, for each value, a row whose [data-row-key]
      // holds it and whose [data-row-filled] fields are filled (a member named for each department): named by
      // its data-label, the values still uncovered in brackets.
      Array.prototype.forEach.call(form.querySelectorAll("[data-rows-cover][data-label]"), function (table) {
        var covered = {};
        Array.prototype.forEach.call(table.querySelectorAll("[data-row]"), function (row) {
          var key = row.querySelector("[data-row-key]");
          var filled = Array.prototype.every.call(row.querySelectorAll("[data-row-filled]"), function (input) {
            return input.value.trim();
          });
          if (key && filled) covered[key.value] = true;
        });
        var open = JSON.parse(table.getAttribute("data-rows-cover")).filter(function (pair) { return !covered[pair[0]]; });
        if (open.length) {
          blank.push(table.getAttribute("data-label") + (form.getAttribute("data-msg-open") || "（{items}）").replace("{items}",
            open.map(function (pair) { return pair[1]; }).join(form.getAttribute("data-msg-separator") || "、")));
        }
      });
      window.Blocked.set(button, blank.length ? form.getAttribute("data-msg-unfilled") + blank.join(form.getAttribute("data-msg-separator") || "、") : "");
    }
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    update();
  });
})();
