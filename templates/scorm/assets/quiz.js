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

  /* Source option indices in the order shown (match: the right-hand answers), by the
   * display rule of the question's type. */
  function optionOrder(q, learner, attempt) {
    var order = range(q.count);
    var display = TYPES[q.type].display;
    if (display === "fixed" || (display === "shuffled" && q.shuffle === false)) return order;
    order = shuffled(order, random(seed(learner, attempt, q.id)));
    if ((display === "scrambled" || display === "rows") && order.length > 1 && isIdentity(order)) {
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
    if (!partial) return 0;
    return TYPES[q.type].partial(q, digits(answer));
  }

  /* Is `answer` a well-formed answer to question q (state.js decodes with it)? */
  function valid(q, answer) {
    if (typeof answer !== "string" || !/^[0-9a-z]+$/.test(answer) || !has(TYPES, q.type)) return false;
    var picks = digits(answer);
    return picks.every(function (d) { return d < q.count; }) && TYPES[q.type].valid(picks, q.count);
  }

  function has(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key);
  }

  // -- the rules of each quiz item type (generator/quiztypes.py), one handler per type ---------
  //   display: the order shown (D1): "shuffled" (unless shuffle: false), "fixed" (as listed),
  //            "scrambled" (never as listed), "rows" (the right-hand answers never in row order)
  //   valid(picks, count): whether the digits (each below count) are a complete answer
  //   partial(q, picks): the partial credit (D2) of an answer that is not the right one
  //   form: how the page draws it (targets/scorm/quiz_views.py); sco.js FORMS[form] reads it
  //         and shows its feedback
  //   chosenFeedbackOnly: after the last try, only the chosen option's feedback is shown

  function unique(picks) {
    return picks.every(function (d, i) { return picks.indexOf(d) === i; });
  }

  function onePick(picks) { return picks.length === 1; }

  function nothing() { return 0; }

  var TYPES = {
    single: { display: "shuffled", form: "choices", valid: onePick, partial: nothing },
    multiple: {
      display: "shuffled",
      form: "choices",
      valid: function (picks) {
        return unique(picks) && picks.join() === picks.slice().sort(function (a, b) { return a - b; }).join();
      },
      /* max(0, (chosen right - chosen wrong) / number right) */
      partial: function (q, picks) {
        var right = digits(q.correct);
        var hits = picks.filter(function (d) { return right.indexOf(d) >= 0; }).length;
        return Math.max(0, (hits - (picks.length - hits)) / right.length);
      }
    },
    truefalse: { display: "fixed", form: "choices", valid: onePick, partial: nothing, chosenFeedbackOnly: true },
    order: {
      display: "scrambled",
      form: "order",
      valid: function (picks, count) { return picks.length === count && unique(picks); },
      partial: nothing
    },
    match: {
      display: "rows",
      form: "match",
      valid: function (picks, count) { return picks.length === count; },
      /* the share of rows right */
      partial: function (q, picks) {
        return picks.filter(function (d, row) { return d === row; }).length / q.count;
      }
    }
  };

  window.CourseQuiz = {
    hash: hash, random: random, optionOrder: optionOrder, draw: draw, credit: credit, digits: digits, valid: valid,
    types: TYPES
  };
})();
