/* The plan's process diagram: bpmn-js (vendored navigated viewer) draws the BPMN file of the plan's
   process version, then marks the task(s) waiting now (class "current") and the path taken
   ("taken"). The container's height follows the diagram's shape at the page's width. */
(function () {
  'use strict';

  function mark(viewer, marks) {
    var registry = viewer.get('elementRegistry');
    var canvas = viewer.get('canvas');
    ['taken', 'current'].forEach(function (name) {
      (marks[name] || []).forEach(function (id) {
        if (registry.get(id)) { canvas.addMarker(id, name); }
      });
    });
  }

  // As tall as the diagram needs at the container's width (never enlarged past its own size).
  function fit(container, canvas) {
    var inner = canvas.viewbox().inner;
    var scale = Math.min(1, (container.clientWidth - 40) / Math.max(inner.width, 1));
    var height = Math.ceil(inner.height * scale + 60);
    container.style.height = Math.max(180, Math.min(720, height)) + 'px';
    canvas.resized();
    canvas.zoom('fit-viewport', 'auto');
    if (canvas.zoom() > 1) { canvas.zoom(1, 'auto'); }
  }

  function render(container) {
    if (container.dataset.state) { return; }
    container.dataset.state = 'loading';
    var viewer = new BpmnJS({ container: container });
    fetch(container.dataset.src, { credentials: 'same-origin' })
      .then(function (response) {
        if (!response.ok) { throw new Error('HTTP ' + response.status); }
        return response.text();
      })
      .then(function (xml) { return viewer.importXML(xml); })
      .then(function () {
        mark(viewer, JSON.parse(container.dataset.marks));
        fit(container, viewer.get('canvas'));
        container.dataset.state = 'rendered';
      })
      .catch(function () {
        container.dataset.state = 'failed';
        container.textContent = container.dataset.error;
      });
  }

  document.querySelectorAll('.diagram[data-src]').forEach(render);
})();
