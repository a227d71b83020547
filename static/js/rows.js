// Editable rows of a list section (funding sources, timetable items): add a blank row from the
// <template> beside the table, or remove a row. Field names follow WTForms' FieldList
// ("sources-3-amount"); the server renumbers the rows it receives, so gaps left by removed rows
// do not matter.
(function () {
  "use strict";

  function renumber(tbody) {
    tbody.querySelectorAll("tr[data-row] .row-number").forEach(function (cell, i) {
      cell.textContent = String(i + 1);
    });
  }

  document.addEventListener("click", function (event) {
    var add = event.target.closest("[data-add-row]");
    if (add) {
      var name = add.getAttribute("data-add-row");
      var table = document.querySelector('table[data-rows="' + name + '"]');
      var template = document.querySelector('template[data-row-template="' + name + '"]');
      if (!table || !template) return;
      var tbody = table.tBodies[0];
      var index = Number(tbody.getAttribute("data-next-index") || "0");
      tbody.setAttribute("data-next-index", String(index + 1));
      var html = template.innerHTML.split("__index__").join(String(index));
      tbody.insertAdjacentHTML("beforeend", html);
      renumber(tbody);
      var first = tbody.lastElementChild.querySelector("input, select, textarea");
      if (first) first.focus();
      return;
    }
    var remove = event.target.closest("[data-remove-row]");
    if (remove) {
      var row = remove.closest("tr[data-row]");
      var body = row && row.parentElement;
      if (row) row.remove();
      if (body) renumber(body);
    }
  });
})();
