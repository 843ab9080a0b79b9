/*
 * quiz.js: the rules of the module's test, without the page: in which order a learner sees
 * an item's options, which items an attempt draws from the pool, and what an answer scores.
 * Pure functions of the runtime config and the learner's state (see docs/scorm.md).
 *
 * Option order (decision D1): per learner, per attempt and per item, from a seeded random
 * generator, so that two learners see different orders and a resumed attempt the same one
 * (nothing about the order is stored: it is derived again from the same seed).
 *   single, multiple: shuffled, unless the item says shuffle: false
 *   truefalse:        always true, false
 *   order:            shuffled, never already in the correct order
 *   match:            the right-hand answers shuffled, never in row order
 * Answers stay in the source's option indices whatever the order shown, so what is stored
 * and reported to the LMS does not depend on it.
 *
 * Scoring (decision D2), per item 0..1:
 *   single, truefalse: 1 or 0
 *   multiple: with partial credit max(0, (chosen right - chosen wrong) / number right),
 *             else all or nothing
 *   match:    with partial credit the share of rows right, else all or nothing
 *   order:    all or nothing
 */
(function () {
  "use strict";

  /* A 32-bit hash of a text (FNV-1a, then a final mix so that near texts differ widely). */
  function hash(text) {
    var h = 2166136261;
    for (var i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 16777619);
    }
    h ^= h >>> 16; h = Math.imul(h, 2246822507);
    h ^= h >>> 13; h = Math.imul(h, 3266489909);
    return (h ^ (h >>> 16)) >>> 0;
  }

  /* A seeded generator of numbers in [0, 1) (mulberry32). */
  function random(seed) {
    var a = hash(seed);
    return function () {
      a = (a + 0x6D2B79F5) | 0;
      var t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function range(count) {
    var list = [];
    for (var i = 0; i < count; i++) list.push(i);
    return list;
  }

  function shuffled(list, next) {
    var out = list.slice();
    for (var i = out.length - 1; i > 0; i--) {
      var j = Math.floor(next() * (i + 1));
      var keep = out[i]; out[i] = out[j]; out[j] = keep;
    }
    return out;
  }

  function isIdentity(order) {
    return order.every(function (value, index) { return value === index; });
  }

  /* The seed of everything one attempt of one learner sees. */
  function seed(learner, attempt, name) {
    return learner + "\u001f" + attempt + "\u001f" + name;
  }

  /* Source option indices in the order shown (match: the right-hand answers). */
  function optionOrder(q, learner, attempt) {
    var order = range(q.count);
    if (q.type === "truefalse" || (q.shuffle === false && (q.type === "single" || q.type === "multiple"))) return order;
    order = shuffled(order, random(seed(learner, attempt, q.id)));
    if ((q.type === "order" || q.type === "match") && order.length > 1 && isIdentity(order)) {
      order = order.slice(1).concat(order.slice(0, 1));
    }
    return order;
  }

  /* The keys of the graded questions this attempt asks, in the module's order. pool: how many
   * (0 or more than there are: all). */
  function draw(questions, pool, learner, attempt) {
    var graded = questions.filter(function (q) { return !q.check; });
    if (!pool || pool >= graded.length) return graded.map(function (q) { return q.key; });
    var picked = shuffled(range(graded.length), random(seed(learner, attempt, "pool"))).slice(0, pool);
    picked.sort(function (a, b) { return a - b; });
    return picked.map(function (i) { return graded[i].key; });
  }

  function digits(answer) {
    return answer.split("").map(function (c) { return parseInt(c, 36); });
  }

  /* What `answer` (in the state's encoding) scores, 0..1. */
  function credit(q, answer, partial) {
    if (answer === q.correct) return 1;
    var picks = digits(answer);
    if (!partial) return 0;
    if (q.type === "multiple") {
      var right = digits(q.correct);
      var hits = picks.filter(function (d) { return right.indexOf(d) >= 0; }).length;
      return Math.max(0, (hits - (picks.length - hits)) / right.length);
    }
    if (q.type === "match") {
      var rows = picks.filter(function (d, row) { return d === row; }).length;
      return rows / q.count;
    }
    return 0;
  }

  window.CourseQuiz = {
    hash: hash, random: random, optionOrder: optionOrder, draw: draw, credit: credit, digits: digits
  };
})();
