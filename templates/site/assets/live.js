/* adr site --serve: reload this page when its rebuilt bytes differ. Only served by the
   preview server, never written into a built site. */
(function () {
  "use strict";
  var me = document.currentScript;
  var page = me.getAttribute("data-page");
  var token = me.getAttribute("data-token");
  var wait = 250;

  function poll() {
    fetch("/__adr/poll?page=" + encodeURIComponent(page), { cache: "no-store" })
      .then(function (response) { return response.text(); })
      .then(function (now) {
        wait = 250;
        if (now !== token) { window.location.reload(); return; }
        window.setTimeout(poll, wait);
      })
      .catch(function () {
        wait = Math.min(wait * 2, 4000);  /* the server stopped: ask less often */
        window.setTimeout(poll, wait);
      });
  }
  window.setTimeout(poll, wait);
})();
