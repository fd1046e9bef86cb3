// Quick exit: leave for a neutral site and replace this page in the history, so that the
// Back button does not return here. Fires on the button, and on Shift pressed three times.
//
// Loaded in <head>, before the button is drawn, and listening on the document: on a slow
// connection the button shows long before the end of the page arrives, and a click then must
// already replace the page rather than follow the link (which would leave this page in the
// history). Pages visited before this one stay in the history: no web page can erase them,
// and the safety page says so.
(function () {
  "use strict";
  var BUTTON = "[data-quick-exit]";

  function leave(event) {
    var button = document.querySelector(BUTTON);
    if (!button) {
      return;
    }
    if (event) {
      event.preventDefault();
    }
    if (document.body) {
      document.body.style.visibility = "hidden";
    }
    document.title = "";
    window.location.replace(button.href);
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest(BUTTON)) {
      leave(event);
    }
  });
  // The link has role="button", so it also answers to the Space key, like a real button.
  document.addEventListener("keydown", function (event) {
    if ((event.key === " " || event.key === "Spacebar") && event.target.closest && event.target.closest(BUTTON)) {
      leave(event);
    }
  });

  var presses = [];
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift") {
      presses = [];
      return;
    }
    var now = Date.now();
    presses = presses.filter(function (time) { return now - time < 2000; });
    presses.push(now);
    if (presses.length >= 3) {
      presses = [];
      leave();
    }
  });

  // A page kept in the browser's back-forward cache comes back as it was left, hidden: show it.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && document.body) {
      document.body.style.visibility = "";
    }
  });
})();
