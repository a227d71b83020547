/* The plan page's tabs are links (?tab=…): the server renders the open tab only. A link written
   with a fragment naming a tab (…/plans/7#roster) opens that tab. */
(function () {
  'use strict';
  var key = window.location.hash.slice(1);
  if (key && document.querySelector('.plan-tabs [data-tab="' + key + '"]')) {
    var url = new URL(window.location.href);
    url.searchParams.set('tab', key);
    url.hash = '';
    window.location.replace(url);
  }
})();
