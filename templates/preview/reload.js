// Live preview only (never packaged): reload the page when `coursegen serve` finished a rebuild.
(function () {
  var seen = null;
  function poll() {
    fetch("/__build", { cache: "no-store" })
      .then(function (r) { return r.text(); })
      .then(function (n) {
        if (seen !== null && n !== seen) { location.reload(); }
        seen = n;
      })
      .catch(function () {})
      .finally(function () { setTimeout(poll, 700); });
  }
  poll();
})();
