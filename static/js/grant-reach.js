// The role grant form: show only the reach the chosen role is granted with (the server decides anyway).
(function () {
  "use strict";
  var script = document.currentScript;
  var reachOfRole = JSON.parse(script.getAttribute("data-reach-of-role"));
  var role = document.getElementById("role");
  if (!role) {
    return;
  }
  function update() {
    var wanted = reachOfRole[role.value];
    document.querySelectorAll("[data-reach]").forEach(function (box) {
      box.hidden = box.getAttribute("data-reach") !== wanted;
    });
  }
  role.addEventListener("change", update);
  update();
})();
