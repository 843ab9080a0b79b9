/*
 * notes.js: the learner's reflection notes on the vignette pages, never lost unnoticed.
 *
 * CourseNotes.attach({ config, state, announce, save }) wires every textarea[data-reflection]:
 *   - the note goes into state.reflections as typed (the whole text while the page is open);
 *     suspend_data keeps its first State.noteLimit characters (state.js cut);
 *   - under the box: the room left while typing; near the end (the last tenth) a warning;
 *     past the end, that only the first part is saved and how to keep the rest; a change of
 *     level is announced to screen readers once;
 *   - "download your notes": every note of the module (the whole text, also a part that is
 *     not saved) with its case and questions, as a .txt file, at any time;
 *   - saving: save(false) (values only) after a pause in typing; save(true) (a Commit) when
 *     the box is left or after a longer pause.
 */
(function () {
  "use strict";

  var WRITE_AFTER_MS = 800;
  var COMMIT_AFTER_MS = 10000;

  function fmt(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, name) { return name in values ? String(values[name]) : m; });
  }

  function plain(element) { return element ? element.textContent.replace(/\s+/g, " ").trim() : ""; }

  /* "ok", "near" (the last tenth of the room, at least the last 20 characters) or "over". */
  function level(size, limit) {
    if (size > limit) return "over";
    return limit - size <= Math.max(20, Math.ceil(limit / 10)) ? "near" : "ok";
  }

  function attach(options) {
    var config = options.config;
    var state = options.state;
    var S = config.strings;
    var State = window.CourseState;
    var limit = State.noteLimit(config);
    var writeTimer = null;
    var commitTimer = null;

    function paint(textarea, hint) {
      if (!limit) return;   // no room at all: the page says so (reflection_unsaved)
      var size = State.noteSize(textarea.value);
      var now = level(size, limit);
      hint.classList.toggle("is-near", now === "near");
      hint.classList.toggle("is-warning", now === "over");
      hint.textContent = now === "over" ? fmt(S.reflection_cut, { limit: limit, count: size })
        : fmt(now === "near" ? S.reflection_near : S.reflection_room, { left: limit - size, limit: limit });
      if (now !== "ok" && now !== textarea.noteLevel) options.announce(hint.textContent);
      textarea.noteLevel = now;
    }

    /* All notes of the module as text: the module, then per case its title, questions, note. */
    function notesText() {
      var lines = [fmt(S.notes_file_title, { module: plain(document.querySelector("h1")) || config.module }), ""];
      config.reflections.forEach(function (r) {
        var page = document.querySelector("section[data-page='" + r.page + "']");
        lines.push("## " + plain(page && page.querySelector("h1")));
        Array.prototype.forEach.call(page ? page.querySelectorAll(".reflection-questions li") : [], function (li, i) {
          lines.push((i + 1) + ". " + plain(li));
        });
        lines.push("");
        lines.push(state.reflections[r.key] || S.notes_file_empty);
        lines.push("", "");
      });
      return lines.join("\r\n");
    }

    function download() {
      var blob = new Blob(["\ufeff" + notesText()], { type: "text/plain;charset=utf-8" });
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = fmt(S.notes_file_name, { module: config.module });
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
    }

    Array.prototype.forEach.call(document.querySelectorAll("[data-notes-download]"), function (button) {
      button.parentNode.hidden = false;
      button.addEventListener("click", download);
    });

    Array.prototype.forEach.call(document.querySelectorAll("[data-reflection]"), function (textarea) {
      var key = textarea.getAttribute("data-reflection");
      var hint = textarea.parentNode.querySelector("[data-reflection-hint]");
      if (state.reflections[key]) textarea.value = state.reflections[key];
      textarea.noteLevel = level(State.noteSize(textarea.value), limit);
      paint(textarea, hint);
      textarea.addEventListener("input", function () {
        state.reflections[key] = textarea.value;
        paint(textarea, hint);
        clearTimeout(writeTimer);
        clearTimeout(commitTimer);
        writeTimer = setTimeout(function () { options.save(false); }, WRITE_AFTER_MS);
        commitTimer = setTimeout(function () { options.save(true); }, COMMIT_AFTER_MS);
      });
      // Leaving the box ("change"): the note is worth a Commit now.
      textarea.addEventListener("change", function () {
        clearTimeout(writeTimer);
        clearTimeout(commitTimer);
        options.save(true);
      });
    });
  }

  window.CourseNotes = { attach: attach };
})();
