// A page sent back with an error brings the person to it: the element marked data-focus-on-load (an
// error summary with tabindex="-1") is scrolled into view and focused, so a screen reader reads it too.
// After "load": the browser's own scroll to the URL's #fragment comes first and would take focus away.
(function () {
  "use strict";
  var target = document.querySelector("[data-focus-on-load]");
  if (!target) return;
  function bring() {
    target.scrollIntoView({block: "center", behavior: "instant"});  // Bootstrap scrolls smoothly: not here
    target.focus({preventScroll: true});
  }
  if (document.readyState === "complete") bring();
  else window.addEventListener("load", function () { window.requestAnimationFrame(bring); });
})();
