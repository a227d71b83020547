/* The plan page's tabs: the open tab lives in the URL (?tab=…, or #roster), so a link opens it and
   reloading keeps it; links to another tab of the same page switch without a reload. */
(function () {
  'use strict';

  function tabLink(key) {
    return document.querySelector('.plan-tabs [data-tab="' + key + '"]');
  }

  function show(key) {
    var link = tabLink(key);
    if (link) { bootstrap.Tab.getOrCreateInstance(link).show(); }
    return Boolean(link);
  }

  document.querySelectorAll('.plan-tabs [data-tab]').forEach(function (link) {
    link.addEventListener('shown.bs.tab', function () {
      var url = new URL(window.location.href);
      url.searchParams.set('tab', link.dataset.tab);
      url.hash = '';
      window.history.replaceState(null, '', url);
    });
  });

  // A link to a tab (and maybe a place in it) of this very page, with nothing else asked for.
  document.querySelectorAll('a[data-tab-link]').forEach(function (link) {
    link.addEventListener('click', function (event) {
      var target = new URL(link.href, window.location.href);
      var others = Array.from(target.searchParams.keys()).filter(function (k) { return k !== 'tab'; });
      if (target.pathname !== window.location.pathname || others.length) { return; }
      event.preventDefault();
      show(link.dataset.tabLink);
      if (target.hash) {
        var place = document.getElementById(target.hash.slice(1));
        if (place) { place.scrollIntoView({ block: 'start' }); }
      }
    });
  });

  var hash = window.location.hash.slice(1);
  if (hash && !show(hash) && hash.indexOf('section-') === 0) {
    show('content');
    var section = document.getElementById(hash);
    if (section) { section.scrollIntoView({ block: 'start' }); }
  }
})();
