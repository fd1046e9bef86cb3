// Quick exit: leave for a neutral site and replace this page in the history, so that the
// Back button does not return here. Fires on the button, and on Shift pressed three times.
(function () {
  "use strict";
  var button = document.querySelector("[data-quick-exit]");
  if (!button) {
    return;
  }
  var target = button.getAttribute("href");

  function leave(event) {
    if (event) {
      event.preventDefault();
    }
    document.body.style.visibility = "hidden";
    document.title = "";
    window.location.replace(target);
  }

  button.addEventListener("click", leave);
  // The link has role="button", so it also answers to the Space key, like a real button.
  button.addEventListener("keydown", function (event) {
    if (event.key === " " || event.key === "Spacebar") {
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
      leave();
    }
  });
})();
