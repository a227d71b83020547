// Editable rows of a WTForms FieldList table (funding sources, timetable items, working-group
// members). "Add" inserts a row from the <template data-row-template="NAME"> beside the table when
// there is one, otherwise a blank copy of the last row, with the next index in the field names
// (members-3-name -> members-4-name); "remove" drops a row. The server renumbers the rows it
// receives, so gaps do not matter. Without JavaScript, an add button that is a submit button asks
// the server for the page with one more row.
(function () {
  "use strict";

  function renumber(tbody) {
    tbody.querySelectorAll("tr[data-row]").forEach(function (row, i) {
      row.querySelectorAll(".row-number, [data-row-number]").forEach(function (cell) {
        cell.textContent = String(i + 1);
      });
    });
  }

  function blankCopy(last, index) {
    var row = last.cloneNode(true);
    row.querySelectorAll("[name], [id], [for]").forEach(function (el) {
      ["name", "id", "for"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value) el.setAttribute(attr, value.replace(/-\d+-/, "-" + index + "-"));
      });
      if (el.tagName === "SELECT") el.selectedIndex = 0;
      else if ("value" in el) el.value = "";
      el.classList.remove("is-invalid");
    });
    row.querySelectorAll(".invalid-feedback").forEach(function (el) { el.remove(); });
    return row;
  }

  document.addEventListener("click", function (event) {
    var add = event.target.closest("[data-add-row]");
    if (add) {
      var name = add.getAttribute("data-add-row");
      var table = name ? document.querySelector('table[data-rows="' + name + '"]')
                       : add.form && add.form.querySelector("table[data-rows]");
      if (!table) return;
      event.preventDefault();
      var tbody = table.tBodies[0];
      var rows = tbody.querySelectorAll("tr[data-row]");
      var index = Number(tbody.getAttribute("data-next-index") || String(rows.length));
      tbody.setAttribute("data-next-index", String(index + 1));
      var template = name && document.querySelector('template[data-row-template="' + name + '"]');
      if (template) {
        tbody.insertAdjacentHTML("beforeend", template.innerHTML.split("__index__").join(String(index)));
      } else if (rows.length) {
        tbody.appendChild(blankCopy(rows[rows.length - 1], index));
      } else {
        return;
      }
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
