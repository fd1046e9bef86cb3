// Progress pages of background jobs: fetch the page again every few seconds and put the new status
// in place of the old (its region is aria-live, so the change is announced without moving focus);
// once the job has ended, load the page again to show its result. Without JavaScript the page
// refreshes itself instead.
(function () {
  var region = document.querySelector("[data-job-progress]");
  if (!region || region.getAttribute("data-finished") === "true") {
    return;
  }
  var every = 3000;
  function poll() {
    fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        return response.ok ? response.text() : Promise.reject(response.status);
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-job-progress]");
        if (!fresh || fresh.getAttribute("data-finished") === "true") {
          window.location.reload();
          return;
        }
        region.innerHTML = fresh.innerHTML;
        window.setTimeout(poll, every);
      })
      .catch(function () {
        window.setTimeout(poll, every * 5);
      });
  }
  window.setTimeout(poll, every);
})();
