/*
 * state.js: the learner's state of one module, and its compact form in cmi.suspend_data.
 *
 * SCORM 1.2 gives a SCO 4,096 characters of suspend_data (2004: 64,000). The encoding is
 * JSON with one-letter fields and short per-item keys (made at build time from the item
 * ids, so they survive reordering):
 *
 *   {"v":2,"p":"_wD","a":{"k3f":"0","x9a":"02"},"t":{"q7c":1},"n":2,"b":62.5,
 *    "c":"m2a q8d","k":"x7Gq2LpA","r":{"q1z":"my note"}}
 *
 *   v  format version (1: before the test settings; read as attempt 1, nothing else lost)
 *   p  pages visited: a bit set, 6 pages per base64url character (page i = bit i % 6 of
 *      character i / 6)
 *   a  final answers of the current attempt by question key. An answer is a string of
 *      base-36 digits, one per choice, always in the source's option indices (whatever
 *      order the learner saw):
 *        single, truefalse: the chosen option's index ("1")
 *        multiple:          the chosen indices, ascending ("02")
 *        order:             the option indices in the learner's order ("201"; the options
 *                           are listed in the right order, so "012" is correct)
 *        match:             per left-hand item, the index of the right-hand side chosen
 *   t  wrong tries so far on a question not yet final (only with tries > 1)
 *   n  attempt number, from 1 (omitted: 1); a retake adds one. With the learner id it seeds
 *      the option order and the pool draw (quiz.js), so nothing of either is stored
 *   b  the score (percent) that counts from the earlier, finished attempts: the best or the
 *      last (test.counting); omitted before the first retake
 *   c  the knowledge checks answered right, their keys separated by spaces
 *   k  a random learner seed, only when the LMS gives no learner id
 *   r  reflection notes by vignette key, each cut to the package's note limit (noteLimit:
 *      the learner is told before, see notes.js)
 *
 * Decoding never trusts its input: anything malformed, or not matching the current
 * questions, is dropped (the course may have changed between two sessions).
 */
(function () {
  "use strict";

  var B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var FORMAT = 2;
  var MAX_ATTEMPT = 999;

  function create(config) {
    return {
      visited: config.pages.map(function () { return false; }), answers: {}, tries: {}, attempt: 1,
      counted: null, checks: {}, seed: "", reflections: {}
    };
  }

  function encodeVisited(visited) {
    var out = "";
    for (var i = 0; i < visited.length; i += 6) {
      var bits = 0;
      for (var j = 0; j < 6 && i + j < visited.length; j++) if (visited[i + j]) bits |= 1 << j;
      out += B64.charAt(bits);
    }
    return out;
  }

  function decodeVisited(text, count) {
    var visited = [];
    for (var i = 0; i < count; i++) {
      var bits = B64.indexOf(text.charAt(Math.floor(i / 6)));
      visited.push(bits >= 0 && (bits & (1 << (i % 6))) !== 0);
    }
    return visited;
  }

  function digits(answer) {
    return answer.split("").map(function (c) { return parseInt(c, 36); });
  }

  /* Is `answer` a well-formed answer to question q? (Its type's rule: quiz.js.) */
  function valid(q, answer) {
    return window.CourseQuiz.valid(q, answer);
  }

  function isCorrect(q, answer) {
    return answer === q.correct;
  }

  function has(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key);
  }

  function encode(config, state, limit) {
    var data = { v: FORMAT, p: encodeVisited(state.visited), a: {} };
    var tries = {};
    var checks = [];
    config.questions.forEach(function (q) {
      if (q.check) {
        if (state.checks[q.key]) checks.push(q.key);
      } else if (state.answers[q.key] !== undefined) {
        data.a[q.key] = state.answers[q.key];
      } else if (state.tries[q.key]) {
        tries[q.key] = state.tries[q.key];
      }
    });
    if (Object.keys(tries).length) data.t = tries;
    if (state.attempt > 1) data.n = state.attempt;
    if (state.counted !== null) data.b = state.counted;
    if (checks.length) data.c = checks.join(" ");
    if (state.seed) data.k = state.seed;
    data.r = {};
    var notes = [];
    config.reflections.forEach(function (r) {
      var text = state.reflections[r.key];
      if (text && cut(config, text)) { data.r[r.key] = cut(config, text); notes.push(r.key); }
    });
    var text = JSON.stringify(data);
    // Safety net: the build sized reflectionLimit so this never happens; if it does anyway,
    // drop the longest notes rather than have the LMS refuse everything.
    notes.sort(function (a, b) { return data.r[b].length - data.r[a].length; });
    while (text.length > limit && notes.length) {
      delete data.r[notes.shift()];
      text = JSON.stringify(data);
    }
    return text;
  }

  /* The room for one note in this package (SCORM 2004 allows more than 1.2). */
  function noteLimit(config) {
    var limits = config.reflectionLimits || {};
    return limits[config.scorm] !== undefined ? limits[config.scorm] : config.reflectionLimit;
  }

  /* How much of the room a note takes: its JSON-escaped length (a quote or a line break
   * takes two). */
  function noteSize(text) {
    return JSON.stringify(text).length - 2;
  }

  /* A note is kept whole when it is within the limit. */
  function fits(config, text) {
    return noteSize(text) <= noteLimit(config);
  }

  /* The part of a note that is kept: the longest start within the limit. */
  function cut(config, text) {
    var limit = noteLimit(config);
    if (noteSize(text) <= limit) return text;
    var end = Math.min(text.length, limit);
    while (end > 0 && noteSize(text.slice(0, end)) > limit) end--;
    // Never split a surrogate pair.
    if (end > 0 && /[\ud800-\udbff]/.test(text.charAt(end - 1))) end--;
    return text.slice(0, end);
  }

  function wholeNumber(value, low, high) {
    return typeof value === "number" && value % 1 === 0 && value >= low && value <= high;
  }

  function decode(config, text) {
    var state = create(config);
    var data;
    try { data = JSON.parse(text || "{}"); } catch (e) { return state; }
    if (!data || typeof data !== "object" || (data.v !== FORMAT && data.v !== 1)) return state;
    if (typeof data.p === "string") state.visited = decodeVisited(data.p, config.pages.length);
    var answers = data.a && typeof data.a === "object" ? data.a : {};
    var tries = data.t && typeof data.t === "object" ? data.t : {};
    var checks = typeof data.c === "string" ? data.c.split(" ") : [];
    config.questions.forEach(function (q) {
      if (q.check) {
        if (checks.indexOf(q.key) >= 0) state.checks[q.key] = true;
      } else if (has(answers, q.key) && valid(q, answers[q.key])) {
        state.answers[q.key] = answers[q.key];
      } else if (has(tries, q.key) && wholeNumber(tries[q.key], 1, 99)) {
        state.tries[q.key] = tries[q.key];
      }
    });
    if (wholeNumber(data.n, 1, MAX_ATTEMPT)) state.attempt = data.n;
    if (typeof data.b === "number" && data.b >= 0 && data.b <= 100) state.counted = data.b;
    if (typeof data.k === "string" && /^[0-9A-Za-z]{1,16}$/.test(data.k)) state.seed = data.k;
    var notes = data.r && typeof data.r === "object" ? data.r : {};
    config.reflections.forEach(function (r) {
      var note = notes[r.key];
      if (typeof note === "string" && has(notes, r.key)) state.reflections[r.key] = note;
    });
    return state;
  }

  /* The score of the current attempt over the questions it asks (`asked`: their keys):
   * each question scores 0..1 (quiz.js credit, partial credit per config.test.partial), the
   * percent is their mean. correct counts the questions entirely right. */
  function score(config, state, asked) {
    var answered = 0, correct = 0, points = 0;
    config.questions.forEach(function (q) {
      if (q.check || asked.indexOf(q.key) < 0) return;
      var answer = state.answers[q.key];
      if (answer === undefined) return;
      answered++;
      var credit = window.CourseQuiz.credit(q, answer, config.test.partial);
      points += credit;
      if (credit === 1) correct++;
    });
    var total = asked.length;
    return {
      answered: answered, correct: correct, total: total,
      complete: answered === total,
      percent: total ? Math.round((points / total) * 10000) / 100 : null
    };
  }

  /* A fresh random learner seed (for an LMS that gives no learner id). */
  function newSeed() {
    var out = "";
    for (var i = 0; i < 8; i++) out += B64.charAt(Math.floor(Math.random() * 62));
    return out;
  }

  window.CourseState = {
    create: create, encode: encode, decode: decode, valid: valid, fits: fits, cut: cut,
    noteLimit: noteLimit, noteSize: noteSize,
    isCorrect: isCorrect, score: score, digits: digits, newSeed: newSeed, MAX_ATTEMPT: MAX_ATTEMPT
  };
})();
