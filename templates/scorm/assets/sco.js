/*
 * sco.js: the module's pages in the browser: navigation, quiz, reflections, result, and
 * when to tell the LMS (through lms.js) what happened.
 *
 * The page holds every screen as a <section data-page>, all rendered at build time; this
 * script shows one at a time and only toggles `hidden`, classes and text (textContent,
 * never innerHTML), so nothing from suspend_data or the LMS can become markup.
 *
 * The test's rules (option order, pool, scoring) are in quiz.js; the settings come from
 * config.test (docs/scorm.md, "Test settings"). Knowledge checks in the lessons are
 * questions too (q.check): never graded, never reported, unlimited tries.
 *
 * When the LMS hears from us (lms.js decides when a Commit is worth it):
 *   - on every page change: location, suspend_data, status, score; a Commit only after
 *     several pages or minutes without one
 *   - after each graded answer that is final (right, or no tries left): one
 *     cmi.interactions entry with its result, the same values, and Commit
 *   - a reflection: values after a pause in typing, Commit when the box is left (notes.js)
 *   - when the tab is hidden: Commit if something worth keeping is not committed yet;
 *     on pagehide: session time, exit, Terminate (no Commit before it)
 * A failed save shows a calm notice and is retried with back-off; the learner carries on.
 */
(function () {
  "use strict";

  var configElement = document.getElementById("sco-config");
  if (!configElement || !window.CourseLMS || !window.CourseState || !window.CourseQuiz || !window.CourseNotes) return;
  var config = JSON.parse(configElement.textContent);
  var S = config.strings;
  var State = window.CourseState;
  var Quiz = window.CourseQuiz;
  var test = config.test;
  document.documentElement.classList.add("js");

  function $(selector, scope) { return (scope || document).querySelector(selector); }
  function $$(selector, scope) { return Array.prototype.slice.call((scope || document).querySelectorAll(selector)); }
  function fmt(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, name) { return name in values ? String(values[name]) : m; });
  }
  function text(element) { return element ? element.textContent.replace(/\s+/g, " ").trim() : ""; }
  function show(element, visible) { if (element) element.hidden = !visible; }

  var pages = $$("[data-page]");
  var graded = config.questions.filter(function (q) { return !q.check; });
  var questionByPage = {};
  graded.forEach(function (q) { questionByPage[q.page] = q; });
  var lessonPages = [];
  config.pages.forEach(function (page, index) { if (page.kind === "section" || page.kind === "vignette") lessonPages.push(index); });

  var connection = window.CourseLMS.connect(config);
  var tracker = connection.tracker;
  var started = connection.started;
  var state = State.decode(config, started.suspendData);
  // The LMS kept a finished status but dropped suspend_data (after an exit "normal" of an
  // earlier package): SCORM 2004 interactions still hold the answers (1.2 ones are write-only).
  if (tracker.stored && tracker.stored.completed && !started.suspendData && tracker.answersFrom) {
    var found = tracker.answersFrom(config);
    graded.forEach(function (q) { if (found[q.key] && State.valid(q, found[q.key])) state.answers[q.key] = found[q.key]; });
    if (Object.keys(state.answers).length || !graded.length) state.visited = state.visited.map(function () { return true; });
  }
  var passing = started.passingScore !== null && started.passingScore !== undefined ? started.passingScore : config.passingScore;
  var current = 0;
  var terminated = false;
  // Seeds the option order and the pool draw: the LMS's learner id, else a seed of our own
  // kept in suspend_data (so a resumed attempt shows the same order either way).
  if (!started.learnerId && !state.seed) state.seed = State.newSeed();
  var learner = started.learnerId || state.seed;
  var asked = [];   // keys of the graded questions this attempt asks (the pool, or all)

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

  function currentScore() {
    return State.score(config, state, asked);
  }

  /* The score that counts (for the LMS): this attempt's when it is finished, combined with
   * the earlier attempts' by test.counting (best or last); null while there is none. */
  function countedScore(score) {
    var now = score.total > 0 && score.complete ? score.percent : null;
    if (now === null) return state.counted;
    if (state.counted === null) return now;
    return test.counting === "best" ? Math.max(state.counted, now) : now;
  }

  function snapshot() {
    var score = currentScore();
    var active = activePages();
    var visited = active.filter(function (index) { return state.visited[index]; }).length;
    var counted = countedScore(score);
    // Once finished, a module stays completed while the learner retakes the test.
    var completed = visited === active.length && (score.complete || state.counted !== null);
    return {
      location: config.pages[current].location,
      suspendData: State.encode(config, state, config.suspendLimit),
      completed: completed,
      success: counted !== null ? (counted >= passing ? "passed" : "failed") : null,
      score: counted,
      progress: active.length ? visited / active.length : 1,
      finished: completed
    };
  }

  var unrecorded = [];   // answers whose interaction the API threw on: sent again on the next save

  function record(q, answer) {
    if (!tracker.record(q, answer, Quiz.credit(q, answer, test.partial))) unrecorded.push([q, answer]);
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

  /* A question page the current attempt does not ask is left out of everything. */
  function isActive(index) {
    var q = questionByPage[index];
    return !q || asked.indexOf(q.key) >= 0;
  }

  function activePages() {
    return pages.map(function (page, index) { return index; }).filter(isActive);
  }

  /* The nearest page to ask from `index` in `step`'s direction (itself when active). */
  function nearestActive(index, step) {
    for (var i = index; i >= 0 && i < pages.length; i += step) if (isActive(i)) return i;
    return step > 0 ? nearestActive(index, -1) : 0;
  }

  function testLocked() {
    return test.unlock && lessonPages.some(function (index) { return !state.visited[index]; });
  }

  /* After a new draw: the pages the attempt asks, numbered 1..n in the headings and the menu. */
  function layoutQuestions() {
    var number = 0;
    graded.forEach(function (q) {
      var active = asked.indexOf(q.key) >= 0;
      var entry = $("[data-toc-page='" + q.page + "']");
      if (entry) entry.hidden = !active;
      var resultItem = $("[data-result-item='" + q.key + "']");
      if (resultItem) resultItem.hidden = !active;
      if (!active) return;
      number++;
      var title = fmt(S.question_n, { n: number, total: asked.length });
      config.pages[q.page].title = title;
      var heading = $("[data-question-title]", pages[q.page]);
      if (heading) heading.textContent = title;
      if (entry) $(".toc-page-title", entry).textContent = title;
    });
  }

  function markChecks() {
    $$("[data-check-mark]").forEach(function (mark) {
      var index = Number(mark.getAttribute("data-check-mark"));
      var done = config.questions.every(function (q) { return !q.check || q.page !== index || state.checks[q.key]; });
      mark.textContent = "";
      mark.className = "toc-check" + (done ? " is-done" : "");
      var glyph = document.createElement("span");
      glyph.setAttribute("aria-hidden", "true");
      glyph.textContent = done ? "\u2713" : "\u25CB";
      var label = document.createElement("span");
      label.className = "sr-only";
      label.textContent = done ? S.check_done : S.check_open;
      mark.appendChild(glyph);
      mark.appendChild(label);
    });
  }

  function markToc() {
    markChecks();
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
    var active = activePages();
    var visited = active.filter(function (index) { return state.visited[index]; }).length;
    var percent = Math.round((visited / active.length) * 100);
    var bar = $(".progress-bar");
    bar.setAttribute("aria-valuenow", String(percent));
    bar.setAttribute("aria-valuetext", fmt(S.progress_done, { percent: percent }));
    $(".progress-fill").style.width = percent + "%";
    $("[data-page-of]").textContent = fmt(S.page_of, { n: active.indexOf(current) + 1, total: active.length });
    $("[data-progress-done]").textContent = fmt(S.progress_done, { percent: percent });
  }

  /* A question page while the test is locked shows what is left to read instead. */
  function updateLock(page) {
    var box = $("[data-locked]", page);
    if (!box) return;
    var locked = testLocked();
    show(box, locked);
    show($("[data-quiz-body]", page), !locked);
    if (locked) fillLinks($("[data-locked-list]", box), lessonPages.filter(function (index) { return !state.visited[index]; }));
  }

  /* A list of links to pages (titles as text, never markup). */
  function fillLinks(list, indices) {
    list.textContent = "";
    indices.forEach(function (index) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#p-" + index;
      link.setAttribute("data-goto", String(index));
      link.textContent = config.pages[index].title;
      item.appendChild(link);
      list.appendChild(item);
    });
  }

  function go(index, moveFocus, step) {
    index = nearestActive(Math.max(0, Math.min(pages.length - 1, index)), step || 1);
    pages[current].hidden = true;
    current = index;
    pages[current].hidden = false;
    state.visited[current] = true;
    var active = activePages();
    // The start page has its own "begin" button; the last page has nowhere to go.
    show(pager, current > 0);
    show(prevButton, current > 0);
    show(nextButton, current < active[active.length - 1]);
    updateLock(pages[current]);
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
    else if (target.hasAttribute("data-next")) go(current + 1, true, 1);
    else go(current - 1, true, -1);
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

  // -- one handler per form a question is drawn as (_quiz.html; each type's form: quiz.js TYPES,
  // the same as targets/scorm/quiz_views.py):
  //   read(form): the chosen source indices (null: incomplete); write(form, picks): restore them
  //   feedback(q, form, picks, right, spoken): mark each part right or wrong after the last try
  //   retry(q, form, picks, right, spoken): a wrong try: what may be said without the answer
  //   reset(form): back to the order first shown; arrange(form, order): show in this order
  //   need: the strings key of "answer first"
  var FORMS = {
    choices: {
      read: function (form) {
        var picks = $$("input:checked", form).map(function (input) { return Number(input.value); });
        if (!picks.length) return null;
        return picks.sort(function (a, b) { return a - b; });
      },
      write: function (form, picks) {
        $$("input", form).forEach(function (input) { input.checked = picks.indexOf(Number(input.value)) >= 0; });
      },
      feedback: function (q, form, picks, right, spoken) {
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
          show($("[data-option-text]", feedback), chosen || !Quiz.types[q.type].chosenFeedbackOnly);
          var label = chosen ? S.your_choice + ": " + (isRight ? S.question_correct : S.question_incorrect) : S.correct_answer;
          verdict($("[data-verdict]", feedback), isRight, label);
          if (chosen) spoken.push(text($("[data-option-text]", feedback)));
        });
      },
      retry: function (q, form, picks, right, spoken) {
        $$(".option", form).forEach(function (li) {
          var index = Number(li.getAttribute("data-option"));
          if (picks.indexOf(index) < 0 || right.indexOf(index) >= 0) return;
          var feedback = $("[data-option-feedback]", li);
          li.classList.add("is-chosen", "is-wrong");
          show(feedback, true);
          show($("[data-option-text]", feedback), true);
          verdict($("[data-verdict]", feedback), false, S.your_choice + ": " + S.question_incorrect);
          spoken.push(text($("[data-option-text]", feedback)));
        });
      },
      reset: function () {},
      arrange: function (form, order) {
        var list = $(".option-list", form);
        order.forEach(function (i) { list.appendChild($(".option[data-option='" + i + "']", list)); });
      },
      need: "need_answer"
    },
    order: {
      read: function (form) {
        return $$(".order-item", form).map(function (li) { return Number(li.getAttribute("data-option")); });
      },
      write: function (form, picks) {
        var list = $(".order-list", form);
        picks.forEach(function (d) { list.appendChild($(".order-item[data-option='" + d + "']", list)); });
      },
      feedback: function (q, form) {
        $$(".order-item", form).forEach(function (li, position) {
          var good = Number(li.getAttribute("data-option")) === position;
          var mark = $("[data-verdict]", li);
          verdict(mark, good, good ? S.question_correct : S.question_incorrect);
          show(mark, true);
          li.classList.toggle("is-correct", good);
          li.classList.toggle("is-incorrect", !good);
        });
      },
      retry: function () {},  // which positions are right would give the order away
      reset: function (form) {
        var list = $(".order-list", form);
        (list.initialOrder || []).forEach(function (li) { list.appendChild(li); });
      },
      arrange: function (form, order) {
        var list = $(".order-list", form);
        order.forEach(function (i) { list.appendChild($(".order-item[data-option='" + i + "']", list)); });
        list.initialOrder = $$(".order-item", list);
      },
      need: "need_answer"
    },
    match: {
      read: function (form) {
        var selects = $$("select", form);
        if (selects.some(function (select) { return select.value === ""; })) return null;
        return selects.map(function (select) { return Number(select.value); });
      },
      write: function (form, picks) {
        $$("select", form).forEach(function (select, i) { select.value = String(picks[i]); });
      },
      feedback: function (q, form, picks) {
        $$(".match-row", form).forEach(function (row, i) {
          var good = picks[i] === i;
          var feedback = $("[data-match-feedback]", row);
          show(feedback, true);
          verdict($("[data-verdict]", feedback), good, good ? S.question_correct : S.question_incorrect);
          show($("[data-match-correct]", feedback), !good);
          row.classList.toggle("is-correct", good);
          row.classList.toggle("is-incorrect", !good);
        });
      },
      retry: function () {},  // which pairs are right would give them away
      reset: function () {},
      arrange: function (form, order) {
        $$("select", form).forEach(function (select) {
          order.forEach(function (i) { select.appendChild($("option[value='" + i + "']", select)); });
        });
      },
      need: "need_all_matches"
    }
  };

  function formHandler(q) { return FORMS[Quiz.types[q.type].form]; }

  /* The learner's current answer in the state encoding, or null if incomplete. */
  function readAnswer(q, form) {
    var picks = formHandler(q).read(form);
    return picks === null ? null : picks.map(function (d) { return d.toString(36); }).join("");
  }

  /* Put an answer back into the form (when resuming). */
  function writeAnswer(q, form, answer) {
    formHandler(q).write(form, State.digits(answer));
  }

  function setLocked(form, locked) {
    $$("input, select", form).forEach(function (control) { control.disabled = locked; });
    $$("[data-move]", form).forEach(function (button) { button.setAttribute("aria-disabled", locked ? "true" : "false"); });
    var check = $("[data-check]", form);
    check.setAttribute("aria-disabled", locked ? "true" : "false");
    // A greyed-out "Check" beside the feedback reads as "something is still to do": once the
    // answer is checked it is gone; "Try again" (or the next page) is the next step.
    check.hidden = locked;
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
    // With partial credit a partly right answer earns points: say so, as the result page does,
    // instead of a flat "not right" (a knowledge check earns nothing).
    var credit = q.check ? 0 : Quiz.credit(q, answer, test.partial);
    var wrongVerdict = $("[data-feedback-incorrect] .verdict", box);
    wrongVerdict.textContent = !correct && credit > 0 ? fmt(S.partly_correct, { percent: Math.round(credit * 100) }) : S.incorrect;
    spoken.push(text($(correct ? "[data-feedback-correct]" : "[data-feedback-incorrect]", box)));

    formHandler(q).feedback(q, form, picks, right, spoken);
    setLocked(form, true);
    return spoken.filter(Boolean).join(" ");
  }

  function retryBox(form) {
    return form.parentNode.querySelector("[data-feedback-retry]");
  }

  /* A wrong answer with tries left: say so, with the feedback of the wrong choices made, but
   * nothing that gives the answer away (no right option, no right order or pairs). */
  function showRetry(q, form, answer, left) {
    var picks = State.digits(answer);
    var right = State.digits(q.correct);
    var spoken = [S.incorrect + " " + S.try_again];
    formHandler(q).retry(q, form, picks, right, spoken);
    var box = retryBox(form);
    var tries = $("[data-tries-left]", box);
    tries.textContent = left === null ? "" : fmt(left === 1 ? S.tries_left_one : S.tries_left, { n: left });
    show(tries, left !== null);
    if (left !== null) spoken.push(tries.textContent);
    show(box, true);
    setLocked(form, true);
    return spoken.filter(Boolean).join(" ");
  }

  function hideFeedback(q, form) {
    show(form.nextElementSibling, false);
    show(retryBox(form), false);
    $$("[data-option-feedback], [data-match-feedback], .item-verdict", form).forEach(function (el) { show(el, false); });
    $$(".option, .order-item, .match-row", form).forEach(function (el) {
      el.classList.remove("is-chosen", "is-right", "is-wrong", "is-correct", "is-incorrect");
    });
    $$("input", form).forEach(function (input) { input.checked = false; });
    $$("select", form).forEach(function (select) { select.value = ""; });
    formHandler(q).reset(form);
    $("[data-form-message]", form).textContent = "";
    setLocked(form, false);
  }

  function isDone(q) {
    return q.check ? !!state.checks[q.key] : state.answers[q.key] !== undefined;
  }

  function check(q, form) {
    if (isDone(q)) return;
    var answer = readAnswer(q, form);
    var message = $("[data-form-message]", form);
    if (answer === null) {
      message.textContent = S[formHandler(q).need];
      announce(message.textContent);
      return;
    }
    message.textContent = "";
    var right = State.isCorrect(q, answer);
    if (q.check) {
      // A knowledge check: tries until right; only "done" is kept, nothing is reported.
      if (right) state.checks[q.key] = true;
      announce(right ? showFeedback(q, form, answer) : showRetry(q, form, answer, null));
      if (right) form.nextElementSibling.focus();
      else $("[data-try-again]", retryBox(form)).focus();
      markToc();
      if (right) persist(true);
      return;
    }
    var tries = (state.tries[q.key] || 0) + 1;
    if (!right && tries < test.tries) {
      state.tries[q.key] = tries;
      announce(showRetry(q, form, answer, test.tries - tries));
      // The locked form's controls no longer act: the next step is "try again".
      $("[data-try-again]", retryBox(form)).focus();
      persist(true);
      return;
    }
    delete state.tries[q.key];
    state.answers[q.key] = answer;
    announce(showFeedback(q, form, answer));
    // The pressed "Check" is hidden now: keep the keyboard where the learner reads on.
    form.nextElementSibling.focus();
    record(q, answer);
    markToc();
    persist(true);
  }

  /* The options in this learner's order for this attempt (quiz.js optionOrder). The
   * controls keep their source index, so answers do not depend on the order. */
  function arrange(q, form) {
    formHandler(q).arrange(form, Quiz.optionOrder(q, learner, q.check ? 1 : state.attempt));
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

  asked = Quiz.draw(config.questions, test.pool, learner, state.attempt);
  layoutQuestions();
  config.questions.forEach(function (q) {
    var form = formOf(q);
    if (!form) return;
    arrange(q, form);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if ($("[data-check]", form).getAttribute("aria-disabled") !== "true") check(q, form);
    });
    form.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest("[data-move]") : null;
      if (button) { event.preventDefault(); move(form, button); }
    });
    $("[data-try-again]", retryBox(form)).addEventListener("click", function () {
      hideFeedback(q, form);
      var first = $("input, select, [data-move]", form);
      if (first) first.focus();
    });
    if (isDone(q)) {
      // A knowledge check keeps only that it was done: show it answered right.
      var answer = q.check ? q.correct : state.answers[q.key];
      writeAnswer(q, form, answer);
      showFeedback(q, form, answer);
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
  function retakesLeft() {
    return test.retakes < 0 ? Infinity : Math.max(0, test.retakes - (state.attempt - 1));
  }

  function updateResult() {
    var page = pages[current];
    var score = currentScore();
    var canRetake = false;
    if (score.total) {
      var complete = score.complete;
      var counted = countedScore(score);
      var status = $("[data-status]", page);
      var passed = counted !== null && counted >= passing;
      show($("[data-score]", page), complete);
      show($("[data-score-detail]", page), complete);
      show(status, counted !== null);
      show($("[data-unanswered]", page), !complete);
      if (complete) {
        $("[data-score]", page).textContent = fmt(S.score_line, { score: Math.round(score.percent) });
        $("[data-score-detail]", page).textContent = fmt(S.score_detail, { correct: score.correct, total: score.total });
      } else {
        $("[data-unanswered]", page).textContent = fmt(S.unanswered, { answered: score.answered, total: score.total });
      }
      if (counted !== null) {
        status.textContent = fmt(passed ? S.passed : S.failed, { passing: Math.round(passing) });
        status.className = "result-status " + (passed ? "is-passed" : "is-failed");
      }
      // After a retake: which attempt's score the LMS gets.
      var countedLine = $("[data-counted]", page);
      show(countedLine, counted !== null && state.counted !== null);
      countedLine.textContent = fmt(test.counting === "best" ? S.counted_best : S.counted_last, { score: Math.round(counted || 0) });
      var left = retakesLeft();
      canRetake = complete && !passed && left > 0;
      show($("[data-retry]", page), canRetake);
      var retakes = $("[data-retakes]", page);
      show(retakes, complete && !passed && left !== Infinity);
      retakes.textContent = left === 0 ? S.retakes_none : fmt(left === 1 ? S.retakes_left_one : S.retakes_left, { n: left });
      var review = {};
      graded.forEach(function (q) {
        var mark = $("[data-question-status='" + q.key + "']", page);
        if (!mark || asked.indexOf(q.key) < 0) return;
        var answer = state.answers[q.key];
        var credit = answer === undefined ? null : Quiz.credit(q, answer, test.partial);
        mark.textContent = credit === null ? S.question_open : credit === 1 ? S.question_correct : credit > 0 ? S.question_partial : S.question_incorrect;
        mark.className = "result-mark" + (credit === null ? "" : credit === 1 ? " is-correct" : " is-incorrect");
        if (complete && credit !== null && credit < 1) q.concepts.forEach(function (id) { review[id] = true; });
      });
      showReview(page, Object.keys(review));
    }
    var missing = [];
    activePages().forEach(function (index) { if (!state.visited[index] && index !== current) missing.push(index); });
    fillLinks($("[data-not-visited-list]", page), missing);
    var finished = missing.length === 0 && score.complete;
    show($("[data-not-visited]", page), missing.length > 0);
    show($("[data-visited-all]", page), missing.length === 0 && !finished);
    show($("[data-finished]", page), finished && !canRetake);
    show($("[data-finished-retake]", page), finished && canRetake);
  }

  /* The concepts of the questions not (entirely) right, each with a link to the first page
   * of the lesson that teaches it (config.review: id -> [label, page or null]). */
  function showReview(page, concepts) {
    var box = $("[data-review]", page);
    if (!box) return;
    var list = $("[data-review-list]", box);
    list.textContent = "";
    var seen = {};
    concepts.forEach(function (id) {
      var entry = config.review[id];
      if (!entry || seen[entry[0]]) return;
      seen[entry[0]] = true;
      var item = document.createElement("li");
      if (entry[1] !== null && entry[1] !== undefined) {
        var link = document.createElement("a");
        link.href = "#p-" + entry[1];
        link.setAttribute("data-goto", String(entry[1]));
        link.textContent = entry[0];
        item.appendChild(link);
        var where = document.createElement("span");
        where.className = "review-page";
        where.textContent = " (" + config.pages[entry[1]].title + ")";
        item.appendChild(where);
      } else {
        item.textContent = entry[0] + " " + S.review_no_page;
      }
      list.appendChild(item);
    });
    show(box, list.children.length > 0);
  }

  /* A retake: the score so far is kept by test.counting, the attempt number goes up, which
   * draws new questions (with a pool) and a new option order; the answers are cleared. */
  var retryButton = $("[data-retry]");
  if (retryButton) {
    retryButton.addEventListener("click", function () {
      var score = currentScore();
      if (!score.complete || retakesLeft() <= 0) return;
      state.counted = countedScore(score);
      state.attempt = Math.min(State.MAX_ATTEMPT, state.attempt + 1);
      graded.forEach(function (q) {
        delete state.answers[q.key];
        delete state.tries[q.key];
        var form = formOf(q);
        if (form) { hideFeedback(q, form); arrange(q, form); updateMoveButtons(form); }
      });
      asked = Quiz.draw(config.questions, test.pool, learner, state.attempt);
      layoutQuestions();
      var first = graded.filter(function (q) { return asked.indexOf(q.key) >= 0; })[0];
      go(first ? first.page : 0, true);
      announce(S.retry_done);
    });
  }

  // ---------------------------------------------------------------------------- start
  // The pass mark on the start page: the LMS's own mark when it gives one.
  var passMark = $("[data-pass-mark]");
  if (passMark && graded.length) {
    passMark.textContent = fmt(S.facts_pass_mark, { passing: Math.round(passing) });
    show(passMark, true);
  }
  pages.forEach(function (page) { page.hidden = true; });
  show($(".progress"), true);
  var startAt = 0;
  config.pages.forEach(function (page, index) { if (page.location === started.location) startAt = index; });
  // A finished module opens on its result page, with the answers (not a retake under way).
  if (snapshot().finished && currentScore().complete) startAt = pages.length - 1;
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
