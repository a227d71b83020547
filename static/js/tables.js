// Data tables on a phone. Below 576 px a table of many columns squeezes each cell to a character
// or two, so static/app.css shows every row of a `.table-stacked` table as a block of "label value"
// lines instead. This script gives each cell of every Bootstrap table with a header row its
// column's header as `data-label` (a cell that spans columns gets none; a label a template wrote
// itself is kept), marks the table `table-stacked`, and does it again for rows added later (the
// editable rows of static/js/rows.js). It also states each part's table role, which a table laid
// out as blocks may otherwise lose in some screen readers. Without JavaScript a table keeps its
// columns and scrolls in its box.
(function () {
  "use strict";

  function text(cell) {
    if (cell.hasAttribute("data-label")) return cell.getAttribute("data-label");
    return cell.textContent.replace(/\s+/g, " ").trim();
  }

  // The cells of rows laid on a grid: grid[r][c] is the cell covering row r, column c.
  function grid(rows) {
    var covered = [];
    rows.forEach(function (row, r) {
      covered[r] = covered[r] || [];
      var c = 0;
      Array.prototype.forEach.call(row.cells, function (cell) {
        while (covered[r][c]) c += 1;
        for (var dr = 0; dr < Math.max(cell.rowSpan, 1) && r + dr < rows.length; dr += 1) {
          covered[r + dr] = covered[r + dr] || [];
          for (var dc = 0; dc < Math.max(cell.colSpan, 1); dc += 1) covered[r + dr][c + dc] = cell;
        }
        c += Math.max(cell.colSpan, 1);
      });
    });
    return covered;
  }

  // Each column's label: the texts of the header cells above it, joined when there are several rows.
  function columnLabels(head) {
    var labels = [];
    grid(Array.prototype.slice.call(head.rows)).forEach(function (cells) {
      cells.forEach(function (cell, c) {
        var label = text(cell);
        var parts = labels[c] || [];
        if (label && parts.indexOf(label) < 0) parts.push(label);
        labels[c] = parts;
      });
    });
    return labels.map(function (parts) { return parts.join(" · "); });
  }

  function label(table) {
    var head = table.tHead;
    if (!head || !head.rows.length) return;
    var labels = columnLabels(head);
    table.setAttribute("role", "table");
    head.setAttribute("role", "rowgroup");
    Array.prototype.forEach.call(head.rows, function (row) {
      row.setAttribute("role", "row");
      Array.prototype.forEach.call(row.cells, function (cell) { cell.setAttribute("role", "columnheader"); });
    });
    var groups = Array.prototype.slice.call(table.tBodies);
    if (table.tFoot) groups.push(table.tFoot);
    groups.forEach(function (group) {
      group.setAttribute("role", "rowgroup");
      var rows = Array.prototype.slice.call(group.rows);
      grid(rows).forEach(function (cells, r) {
        rows[r].setAttribute("role", "row");
        cells.forEach(function (cell, c) {
          if (cell.parentElement !== rows[r] || cell.hasAttribute("data-label")) return;
          cell.setAttribute("data-label", cell.colSpan > 1 ? "" : labels[c] || "");
          cell.setAttribute("role", cell.tagName === "TH" && c === 0 ? "rowheader" : "cell");
        });
      });
    });
    table.classList.add("table-stacked");
  }

  function labelAll(root) {
    root.querySelectorAll("table.table").forEach(label);
  }

  labelAll(document);
  new MutationObserver(function (changes) {
    var tables = [];
    changes.forEach(function (change) {
      var table = change.target.closest && change.target.closest("table.table");
      if (table && tables.indexOf(table) < 0) tables.push(table);
    });
    tables.forEach(label);
  }).observe(document.body, { childList: true, subtree: true });
})();
