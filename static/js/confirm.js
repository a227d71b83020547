// Irreversible actions (record a vote, decide a review, the working group's decision, publish, start
// execution, deactivate an account, revoke a role) ask first. Their form holds a checkbox the server
// requires (app/web/confirmation.py), so without this script the person ticks it; with it, the box is hidden and a dialog names what will happen: only "确定" ticks it and
// sends the form, with the button that was pressed.
(function () {
  "use strict";
  var boxes = document.querySelectorAll("[data-confirm-box]");
  if (!boxes.length || typeof HTMLDialogElement === "undefined") return;

  function build(box) {
    var dialog = document.createElement("dialog");
    dialog.className = "confirm-dialog";
    dialog.setAttribute("data-testid", "confirm-dialog");
    dialog.setAttribute("aria-labelledby", "confirm-dialog-title");
    var inner = document.createElement("form");
    inner.method = "dialog";
    var title = document.createElement("h2");
    title.className = "h5";
    title.id = "confirm-dialog-title";
    title.textContent = box.getAttribute("data-title");
    var text = document.createElement("p");
    text.setAttribute("data-testid", "confirm-text");
    var buttons = document.createElement("div");
    buttons.className = "d-flex flex-wrap gap-2 justify-content-end";
    var cancel = document.createElement("button");
    cancel.className = "btn btn-outline-secondary";
    cancel.value = "cancel";
    cancel.textContent = box.getAttribute("data-cancel");
    cancel.autofocus = true;  // Enter on an irreversible step does nothing by accident
    var ok = document.createElement("button");
    ok.className = "btn btn-primary";
    ok.value = "ok";
    ok.textContent = box.getAttribute("data-ok");
    buttons.appendChild(cancel);
    buttons.appendChild(ok);
    inner.appendChild(title);
    inner.appendChild(text);
    inner.appendChild(buttons);
    dialog.appendChild(inner);
    document.body.appendChild(dialog);
    return {dialog: dialog, text: text};
  }

  // The words for what will happen: by the choice the form makes (a review's decision), else the box's own.
  function words(box, form) {
    var by = box.getAttribute("data-confirm-by");
    var choice = by ? form.querySelector('input[name="' + by + '"]:checked') : null;
    var specific = choice ? box.getAttribute("data-confirm-" + choice.value) : null;
    return specific || box.querySelector("label").textContent.trim();
  }

  // Whether to ask at all: a form whose irreversible part is one of the choices (the working group may
  // form itself without deciding yet) asks only when a choice is made.
  function needed(box, form) {
    var by = box.getAttribute("data-confirm-by");
    if (!by || !box.hasAttribute("data-confirm-chosen-only")) return true;
    return !!form.querySelector('input[name="' + by + '"]:checked');
  }

  Array.prototype.forEach.call(boxes, function (box) {
    var form = box.closest("form");
    var check = box.querySelector('input[type="checkbox"]');
    if (!form || !check) return;
    box.classList.add("d-none");
    var parts = null;
    form.addEventListener("submit", function (event) {
      if (check.checked || !needed(box, form)) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      parts = parts || build(box);
      parts.text.textContent = words(box, form);
      var submitter = event.submitter || null;
      parts.dialog.returnValue = "";
      parts.dialog.onclose = function () {
        if (parts.dialog.returnValue !== "ok") return;
        check.checked = true;
        if (submitter && form.requestSubmit) form.requestSubmit(submitter);
        else if (form.requestSubmit) form.requestSubmit();
        else form.submit();
      };
      parts.dialog.showModal();
    }, true);
  });
})();
