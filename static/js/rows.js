// "Add a row" for WTForms FieldLists: clone the last row of the table marked data-rows, with the
// next index in its field names (members-3-name -> members-4-name) and empty values. Without
// JavaScript the button submits the form and the server returns the page with one more row.
document.querySelectorAll("[data-add-row]").forEach((button) => {
  const table = button.form.querySelector("[data-rows]");
  if (!table) return;
  button.addEventListener("click", (event) => {
    const rows = table.querySelectorAll("[data-row]");
    const last = rows[rows.length - 1];
    if (!last) return;
    event.preventDefault();
    const row = last.cloneNode(true);
    const next = rows.length;
    row.querySelectorAll("[name], [id], [for]").forEach((el) => {
      for (const attr of ["name", "id", "for"]) {
        const value = el.getAttribute(attr);
        if (value) el.setAttribute(attr, value.replace(/-\d+-/, `-${next}-`));
      }
      if (el.tagName === "SELECT") el.selectedIndex = 0;
      else if ("value" in el) el.value = "";
      el.classList.remove("is-invalid");
    });
    row.querySelectorAll(".invalid-feedback").forEach((el) => el.remove());
    const number = row.querySelector("[data-row-number]");
    if (number) number.textContent = String(next + 1);
    last.after(row);
    row.querySelector("input, select")?.focus();
  });
});
