/*
 * sco.js: the module's pages in the browser: navigation, quiz, reflections, result, and
 * when to tell the LMS (through lms.js) what happened.
 *
 * The page holds every screen as a <section data-page>, all rendered at build time; this
 * script shows one at a time and only toggles `hidden`, classes and text (textContent,
 * never innerHTML), so nothing from suspend_data or the LMS can become markup.
 *
 * When the LMS hears from us (lms.js decides when a Commit is worth it):
 *   - on every page change: location, suspend_data, status, score; a Commit only after
 *     several pages or minutes without one
 *   - after each checked answer: one cmi.interactions entry, the same values, and Commit
 *   - a reflection: values after a pause in typing, Commit when the box is left (notes.js)
 *   - when the tab is hidden: Commit if something worth keeping is not committed yet;
 *     on pagehide: session time, exit, Terminate (no Commit before it)
 * A failed save shows a calm notice and is retried with back-off; the learner carries on.
 */
(function () {
  "use strict";

  var configElement = document.getElementById("sco-config");
  if (!configElement || !window.CourseLMS || !window.CourseState || !window.CourseNotes) return;
  var config = JSON.parse(configElement.textContent);
  var S = config.strings;
  var State = window.CourseState;
  document.documentElement.classList.add("js");

  function $(selector, scope) { return (scope || document).querySelector(selector); }
  function $$(selector, scope) { return Array.prototype.slice.call((scope || document).querySelectorAll(selector)); }
  function fmt(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, name) { return name in values ? String(values[name]) : m; });
  }
  function text(element) { return element ? element.textContent.replace(/\s+/g, " ").trim() : ""; }
  function show(element, visible) { if (element) element.hidden = !visible; }

  var pages = $$("[data-page]");
  var questionByPage = {};
  config.questions.forEach(function (q) { questionByPage[q.page] = q; });

  var connection = window.CourseLMS.connect(config);
  var tracker = connection.tracker;
  var started = connection.started;
  var state = State.decode(config, started.suspendData);
  // The LMS kept a finished status but dropped suspend_data (after an exit "normal" of an
  // earlier package): SCORM 2004 interactions still hold the answers (1.2 ones are write-only).
  if (tracker.stored && tracker.stored.completed && !started.suspendData && tracker.answersFrom) {
    var found = tracker.answersFrom(config);
    config.questions.forEach(function (q) { if (found[q.key] && State.valid(q, found[q.key])) state.answers[q.key] = found[q.key]; });
    if (State.score(config, state).complete) state.visited = state.visited.map(function () { return true; });
  }
  var passing = started.passingScore !== null && started.passingScore !== undefined ? started.passingScore : config.passingScore;
  var current = 0;
  var terminated = false;

  // ---------------------------------------------------------------- notices, announcements
  /* One visible notice at a time. A warning (saving failed) stays until it is resolved, as
   * does the review/browse notice; an info notice (standalone mode, welcome back) lasts until
   * the learner changes page. */
  var notice = $("[data-notice]");
  var announcer = $("[data-announcer]");
  var warning = "";
  var noticeTimer = null;

  function paint(message, kind) {
    notice.className = "notice" + (message ? " notice-" + kind : "");
    notice.textContent = message || "";
  }

  function setWarning(message, kind) {
    warning = message;
    clearTimeout(noticeTimer);
    paint(message, kind || "warning");
  }

  function setInfo(message, kind, seconds) {
    if (warning) return;
    clearTimeout(noticeTimer);
    paint(message, kind || "info");
    if (seconds) noticeTimer = setTimeout(function () { paint("", "info"); }, seconds * 1000);
  }

  function clearWarning(message) {
    warning = "";
    setInfo(message, "success", 6);
  }

  function announce(message) {
    // Clearing first makes screen readers repeat a message that is the same as the last one.
    announcer.textContent = "";
    setTimeout(function () { announcer.textContent = message; }, 50);
  }

  var standaloneNotice = "";
  if (tracker.mode === "standalone") {
    standaloneNotice = tracker.storage ? S.notice_standalone : S.notice_no_storage;
    show($(".toc-overview"), true);
  }

  // ------------------------------------------------------------------------- saving
  var retryDelay = 0;
  var retryTimer = null;

  function snapshot() {
    var score = State.score(config, state);
    var visited = state.visited.filter(Boolean).length;
    var completed = visited === pages.length && score.complete;
    var graded = score.total > 0 && score.complete;
    return {
      location: config.pages[current].location,
      suspendData: State.encode(config, state, config.suspendLimit),
      completed: completed,
      success: graded ? (score.percent >= passing ? "passed" : "failed") : null,
      score: graded ? score.percent : null,
      progress: pages.length ? visited / pages.length : 1,
      finished: completed
    };
  }

  var unrecorded = [];   // answers whose interaction the API threw on: sent again on the next save

  function record(q, answer) {
    if (!tracker.record(q, answer, State.isCorrect(q, answer))) unrecorded.push([q, answer]);
  }

  function persist(commit) {
    if (terminated) return;
    var retry = unrecorded;
    unrecorded = [];
    retry.forEach(function (entry) { record(entry[0], entry[1]); });
    var ok = tracker.save(snapshot(), commit) && !unrecorded.length;
    if (ok && retryDelay && commit !== false) {
      retryDelay = 0;
      clearTimeout(retryTimer);
      clearWarning(S.notice_saved_again);
    } else if (!ok && tracker.mode === "lms") {
      scheduleRetry();
    } else if (!ok) {
      setWarning(S.notice_no_storage);
    }
  }

  /* The LMS refused (or threw): keep everything in memory, say so once, try again later. */
  function scheduleRetry() {
    if (!retryDelay) setWarning(S.notice_commit_failed);
    retryDelay = Math.min(30000, retryDelay ? retryDelay * 2 : 2000);
    clearTimeout(retryTimer);
    retryTimer = setTimeout(function () { persist(true); }, retryDelay);
  }

  function terminate() {
    if (terminated) return;
    var snap = snapshot();
    terminated = true;          // before the call: never a second Terminate, whatever happens
    clearTimeout(retryTimer);
    tracker.finish(snap);
  }

  window.addEventListener("pagehide", terminate);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") persist("flush");
  });

  // ----------------------------------------------------------------------- navigation
  var tocToggle = $(".toc-toggle");
  var pager = $(".pager");
  var prevButton = $("[data-prev]", pager);
  var nextButton = $("[data-next]", pager);

  function setTocOpen(open) {
    document.body.classList.toggle("toc-open", open);
    tocToggle.setAttribute("aria-expanded", open ? "true" : "false");
  }

  function markToc() {
    $$("[data-mark]").forEach(function (mark) {
      var index = Number(mark.getAttribute("data-mark"));
      var q = questionByPage[index];
      var done = q ? state.answers[q.key] !== undefined : state.visited[index];
      mark.textContent = "";
      mark.className = "toc-mark" + (done ? " is-done" : "");
      if (done) {
        var label = document.createElement("span");
        label.className = "sr-only";
        label.textContent = q ? S.answered : S.visited;
        mark.appendChild(label);
      }
      var link = mark.parentNode;
      if (index === current) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    });
    // Keep the current page in view in a long, scrolling table of contents.
    var toc = $("#toc");
    var here = $("[aria-current='page']", toc);
    if (here && toc.scrollHeight > toc.clientHeight) {
      var offset = here.getBoundingClientRect().top - toc.getBoundingClientRect().top;
      if (offset < 0 || offset > toc.clientHeight - here.offsetHeight) toc.scrollTop += offset - toc.clientHeight / 3;
    }
  }

  function updateProgress() {
    var visited = state.visited.filter(Boolean).length;
    var percent = Math.round((visited / pages.length) * 100);
    var bar = $(".progress-bar");
    bar.setAttribute("aria-valuenow", String(percent));
    bar.setAttribute("aria-valuetext", fmt(S.progress_done, { percent: percent }));
    $(".progress-fill").style.width = percent + "%";
    $("[data-page-of]").textContent = fmt(S.page_of, { n: current + 1, total: pages.length });
    $("[data-progress-done]").textContent = fmt(S.progress_done, { percent: percent });
  }

  function go(index, moveFocus) {
    index = Math.max(0, Math.min(pages.length - 1, index));
    pages[current].hidden = true;
    current = index;
    pages[current].hidden = false;
    state.visited[current] = true;
    // The start page has its own "begin" button; the last page has nowhere to go.
    show(pager, current > 0);
    show(prevButton, current > 0);
    show(nextButton, current < pages.length - 1);
    if (config.pages[current].kind === "result") updateResult();
    markToc();
    updateProgress();
    setTocOpen(false);
    // Standalone mode is explained on the start page; other info notices end here.
    setInfo(current === 0 ? standaloneNotice : "", "info");
    persist(true);
    window.scrollTo(0, 0);
    if (moveFocus) {
      var heading = $("h1", pages[current]);
      if (heading) heading.focus();
    }
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-goto], [data-next], [data-prev]") : null;
    if (!target) return;
    event.preventDefault();
    if (target.hasAttribute("data-goto")) go(Number(target.getAttribute("data-goto")), true);
    else if (target.hasAttribute("data-next")) go(current + 1, true);
    else go(current - 1, true);
  });

  tocToggle.hidden = false;
  tocToggle.addEventListener("click", function () {
    setTocOpen(!document.body.classList.contains("toc-open"));
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && document.body.classList.contains("toc-open")) {
      setTocOpen(false);
      tocToggle.focus();
    }
  });

  // ------------------------------------------------------------------------------ quiz
  function formOf(q) { return $("[data-question='" + q.key + "']"); }

  /* The learner's current answer in the state encoding, or null if incomplete. */
  function readAnswer(q, form) {
    var picks = [];
    if (q.type === "order") {
      picks = $$(".order-item", form).map(function (li) { return Number(li.getAttribute("data-option")); });
    } else if (q.type === "match") {
      var selects = $$("select", form);
      if (selects.some(function (select) { return select.value === ""; })) return null;
      picks = selects.map(function (select) { return Number(select.value); });
    } else {
      picks = $$("input:checked", form).map(function (input) { return Number(input.value); });
      if (!picks.length) return null;
      picks.sort(function (a, b) { return a - b; });
    }
    return picks.map(function (d) { return d.toString(36); }).join("");
  }

  /* Put an answer back into the form (when resuming). */
  function writeAnswer(q, form, answer) {
    var picks = State.digits(answer);
    if (q.type === "order") {
      var list = $(".order-list", form);
      picks.forEach(function (d) { list.appendChild($(".order-item[data-option='" + d + "']", list)); });
    } else if (q.type === "match") {
      $$("select", form).forEach(function (select, i) { select.value = String(picks[i]); });
    } else {
      $$("input", form).forEach(function (input) { input.checked = picks.indexOf(Number(input.value)) >= 0; });
    }
  }

  function setLocked(form, locked) {
    $$("input, select", form).forEach(function (control) { control.disabled = locked; });
    $$("[data-move]", form).forEach(function (button) { button.setAttribute("aria-disabled", locked ? "true" : "false"); });
    var check = $("[data-check]", form);
    check.setAttribute("aria-disabled", locked ? "true" : "false");
    form.classList.toggle("is-locked", locked);
    if (!locked) updateMoveButtons(form);
  }

  function verdict(element, good, label) {
    element.textContent = label;
    element.classList.toggle("is-correct", good);
    element.classList.toggle("is-incorrect", !good);
  }

  /* Show the feedback for `answer`; returns the text to announce. */
  function showFeedback(q, form, answer) {
    var picks = State.digits(answer);
    var right = State.digits(q.correct);
    var correct = State.isCorrect(q, answer);
    var spoken = [];
    var box = form.nextElementSibling;
    show(box, true);
    show($("[data-feedback-correct]", box), correct);
    show($("[data-feedback-incorrect]", box), !correct);
    spoken.push(text($(correct ? "[data-feedback-correct]" : "[data-feedback-incorrect]", box)));

    if (q.type === "order") {
      $$(".order-item", form).forEach(function (li, position) {
        var good = Number(li.getAttribute("data-option")) === position;
        var mark = $("[data-verdict]", li);
        verdict(mark, good, good ? S.question_correct : S.question_incorrect);
        show(mark, true);
        li.classList.toggle("is-correct", good);
        li.classList.toggle("is-incorrect", !good);
      });
    } else if (q.type === "match") {
      $$(".match-row", form).forEach(function (row, i) {
        var good = picks[i] === i;
        var feedback = $("[data-match-feedback]", row);
        show(feedback, true);
        verdict($("[data-verdict]", feedback), good, good ? S.question_correct : S.question_incorrect);
        show($("[data-match-correct]", feedback), !good);
        row.classList.toggle("is-correct", good);
        row.classList.toggle("is-incorrect", !good);
      });
    } else {
      $$(".option", form).forEach(function (li) {
        var index = Number(li.getAttribute("data-option"));
        var chosen = picks.indexOf(index) >= 0;
        var isRight = right.indexOf(index) >= 0;
        var feedback = $("[data-option-feedback]", li);
        li.classList.toggle("is-chosen", chosen);
        li.classList.toggle("is-right", isRight);
        li.classList.toggle("is-wrong", chosen && !isRight);
        show(feedback, chosen || isRight);
        if (!chosen && !isRight) return;
        // True/false feedback answers the choice made; for the other option show only the mark.
        show($("[data-option-text]", feedback), chosen || q.type !== "truefalse");
        var label = chosen ? S.your_choice + ": " + (isRight ? S.question_correct : S.question_incorrect) : S.correct_answer;
        verdict($("[data-verdict]", feedback), isRight, label);
        if (chosen) spoken.push(text($("[data-option-text]", feedback)));
      });
    }
    setLocked(form, true);
    return spoken.filter(Boolean).join(" ");
  }

  function hideFeedback(q, form) {
    show(form.nextElementSibling, false);
    $$("[data-option-feedback], [data-match-feedback], .item-verdict", form).forEach(function (el) { show(el, false); });
    $$(".option, .order-item, .match-row", form).forEach(function (el) {
      el.classList.remove("is-chosen", "is-right", "is-wrong", "is-correct", "is-incorrect");
    });
    $$("input", form).forEach(function (input) { input.checked = false; });
    $$("select", form).forEach(function (select) { select.value = ""; });
    if (q.type === "order") {
      var list = $(".order-list", form);
      (list.initialOrder || []).forEach(function (li) { list.appendChild(li); });
    }
    $("[data-form-message]", form).textContent = "";
    setLocked(form, false);
  }

  function check(q, form) {
    if (state.answers[q.key] !== undefined) return;
    var answer = readAnswer(q, form);
    var message = $("[data-form-message]", form);
    if (answer === null) {
      message.textContent = q.type === "match" ? S.need_all_matches : S.need_answer;
      announce(message.textContent);
      return;
    }
    message.textContent = "";
    state.answers[q.key] = answer;
    announce(showFeedback(q, form, answer));
    record(q, answer);
    markToc();
    persist(true);
  }

  function updateMoveButtons(form) {
    var items = $$(".order-item", form);
    items.forEach(function (li, position) {
      $("[data-move='-1']", li).setAttribute("aria-disabled", position === 0 ? "true" : "false");
      $("[data-move='1']", li).setAttribute("aria-disabled", position === items.length - 1 ? "true" : "false");
    });
  }

  /* Order items: move with buttons. aria-disabled (not disabled) keeps focus on the button. */
  function move(form, button) {
    if (button.getAttribute("aria-disabled") === "true") return;
    var li = button.closest(".order-item");
    var list = li.parentNode;
    if (button.getAttribute("data-move") === "-1" && li.previousElementSibling) list.insertBefore(li, li.previousElementSibling);
    else if (button.getAttribute("data-move") === "1" && li.nextElementSibling) list.insertBefore(li.nextElementSibling, li);
    updateMoveButtons(form);
    button.focus();
    var items = $$(".order-item", list);
    announce(fmt(S.moved, { item: text($(".order-text", li)), position: items.indexOf(li) + 1, total: items.length }));
  }

  config.questions.forEach(function (q) {
    var form = formOf(q);
    if (!form) return;
    var list = $(".order-list", form);
    if (list) list.initialOrder = $$(".order-item", list);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if ($("[data-check]", form).getAttribute("aria-disabled") !== "true") check(q, form);
    });
    form.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest("[data-move]") : null;
      if (button) { event.preventDefault(); move(form, button); }
    });
    if (state.answers[q.key] !== undefined) {
      writeAnswer(q, form, state.answers[q.key]);
      showFeedback(q, form, state.answers[q.key]);
    } else {
      updateMoveButtons(form);
    }
  });

  // ---------------------------------------------------------------------- reflections
  window.CourseNotes.attach({ config: config, state: state, announce: announce, save: persist });

  // Print every page, model answers open.
  window.addEventListener("beforeprint", function () {
    $$("details").forEach(function (d) { d.wasOpen = d.open; d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    $$("details").forEach(function (d) { d.open = !!d.wasOpen; });
  });

  // --------------------------------------------------------------------------- result
  function updateResult() {
    var page = pages[current];
    var score = State.score(config, state);
    if (score.total) {
      var graded = score.complete;
      var status = $("[data-status]", page);
      show($("[data-score]", page), graded);
      show($("[data-score-detail]", page), graded);
      show(status, graded);
      show($("[data-unanswered]", page), !graded);
      if (graded) {
        var passed = score.percent >= passing;
        $("[data-score]", page).textContent = fmt(S.score_line, { score: Math.round(score.percent) });
        $("[data-score-detail]", page).textContent = fmt(S.score_detail, { correct: score.correct, total: score.total });
        status.textContent = fmt(passed ? S.passed : S.failed, { passing: Math.round(passing) });
        status.className = "result-status " + (passed ? "is-passed" : "is-failed");
        show($("[data-retry]", page), !passed);
      } else {
        $("[data-unanswered]", page).textContent = fmt(S.unanswered, { answered: score.answered, total: score.total });
        show($("[data-retry]", page), false);
      }
      config.questions.forEach(function (q) {
        var mark = $("[data-question-status='" + q.key + "']", page);
        var answer = state.answers[q.key];
        var good = answer !== undefined && State.isCorrect(q, answer);
        mark.textContent = answer === undefined ? S.question_open : good ? S.question_correct : S.question_incorrect;
        mark.className = "result-mark" + (answer === undefined ? "" : good ? " is-correct" : " is-incorrect");
      });
    }
    var missing = [];
    state.visited.forEach(function (seen, index) { if (!seen && index !== current) missing.push(index); });
    var list = $("[data-not-visited-list]", page);
    list.textContent = "";
    missing.forEach(function (index) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#p-" + index;
      link.setAttribute("data-goto", String(index));
      link.textContent = config.pages[index].title;
      item.appendChild(link);
      list.appendChild(item);
    });
    var finished = missing.length === 0 && score.complete;
    show($("[data-not-visited]", page), missing.length > 0);
    show($("[data-visited-all]", page), missing.length === 0 && !finished);
    show($("[data-finished]", page), finished);
  }

  var retryButton = $("[data-retry]");
  if (retryButton) {
    retryButton.addEventListener("click", function () {
      config.questions.forEach(function (q) {
        delete state.answers[q.key];
        var form = formOf(q);
        if (form) hideFeedback(q, form);
      });
      go(config.questions[0].page, true);
      announce(S.retry_done);
    });
  }

  // ---------------------------------------------------------------------------- start
  pages.forEach(function (page) { page.hidden = true; });
  show($(".progress"), true);
  var startAt = 0;
  config.pages.forEach(function (page, index) { if (page.location === started.location) startAt = index; });
  // A finished module opens on its result page, with the answers.
  if (snapshot().finished) startAt = pages.length - 1;
  current = startAt;
  go(startAt, false);
  if (started.mode === "review" || started.mode === "browse") {
    // Shown on every page: whatever the learner does now, the LMS keeps the earlier record.
    setWarning(started.mode === "review" ? S.notice_review : S.notice_browse, "info");
  } else if (started.resumed && startAt > 0) {
    setInfo(S.notice_resumed, "resumed");
  }
  if (connection.failedApi) setInfo(standaloneNotice, "info");
})();
