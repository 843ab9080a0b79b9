/*
 * overview.js: the course overview (index.html) for use without an LMS. Shows, per module,
 * what this browser remembers of it (the module pages save it in localStorage).
 */
(function () {
  "use strict";
  var stringsElement = document.getElementById("overview-strings");
  if (!stringsElement) return;
  var S = JSON.parse(stringsElement.textContent);
  Array.prototype.forEach.call(document.querySelectorAll("[data-status-key]"), function (element) {
    var saved = null;
    try { saved = JSON.parse(window.localStorage.getItem(element.getAttribute("data-status-key")) || "null"); } catch (e) { saved = null; }
    if (!saved || typeof saved !== "object") return;
    var status = saved.success === "passed" ? "status_passed" : saved.success === "failed" ? "status_failed"
      : saved.completed ? "status_completed" : "status_in_progress";
    element.textContent = S[status];
    element.className = "module-card-status is-" + status.replace("status_", "").replace("_", "-");
  });
})();
