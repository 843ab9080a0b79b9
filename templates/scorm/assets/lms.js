/*
 * lms.js: talking to the LMS, or to localStorage when there is none.
 *
 * CourseLMS.connect(config) returns a "tracker" with one interface for SCORM 1.2, SCORM
 * 2004 and standalone use:
 *   start()             -> { location, suspendData, passingScore, resumed, mode, learnerId } or null
 *                          mode: "normal", or "review"/"browse" when the LMS opened the SCO
 *                          to look back or to preview: then nothing is written to the LMS
 *                          (but "browsed" in a SCORM 1.2 preview of a module not attempted)
 *   save(snapshot, commit) -> false when the data did not reach the LMS (Commit failed
 *                          or the API threw): the caller retries. commit: false (only
 *                          SetValue), true (Commit if worth it: see shouldCommit), "flush"
 *                          (the page is hidden: Commit what the learner would regret losing)
 *   record(q, answer, credit) -> writes one cmi.interactions entry; credit 0..1 (partial
 *                          credit: 2004 result is the decimal, 1.2 says "correct" only at 1)
 *   finish(snapshot)    -> session time, exit, then Terminate (which commits), once
 *   stored              -> what the LMS held at launch: { completed, success, score }
 *   answersFrom(config) -> SCORM 2004 only: the answers the LMS's interactions hold, by
 *                          question key (for a record whose suspend_data the LMS dropped)
 * A snapshot is { location, suspendData, completed, success ("passed"/"failed"/null),
 * score (0..100 or null), progress (0..1), finished }.
 *
 * Keeping the learner's record (docs/scorm.md, "Moodle"): the stored status is read before
 * anything is written, and never lowered: completed stays completed, passed stays passed
 * (a new attempt is the LMS's to start, with an empty record). Exit is always "suspend", so
 * that the LMS hands back suspend_data and location next time, also after finishing. Commit
 * only when something worth keeping happened; Terminate without a Commit before it.
 *
 * Nothing here throws: a misbehaving LMS (exceptions, "false" results) is reported as a
 * failed save, and the page keeps working.
 */
(function () {
  "use strict";

  // SCORM 2004 RTE 3.1.2.1 walks up to 500 parents; SCORM 1.2 sample code used 7. Use the
  // larger bound: deep LMS frame sets exist, and the walk stops at the top anyway.
  var MAX_DEPTH = 500;

  /* Look for window[name] in win and its parents. Every step is in try/catch: reading a
   * property of a cross-origin frame throws a SecurityError, which must end this chain only. */
  function scan(win, name) {
    for (var depth = 0; win && depth <= MAX_DEPTH; depth++) {
      try {
        if (win[name]) return win[name];
      } catch (e) { /* cross-origin: try its parent */ }
      var parent = null;
      try { parent = win.parent; } catch (e) { return null; }
      if (!parent || parent === win) return null;
      win = parent;
    }
    return null;
  }

  /* The spec's order: this window's parent chain first, then the chain of the window that
   * opened the top window (LMSs that launch the SCO in a pop-up). */
  function findAPI(name) {
    var api = scan(window, name);
    if (api) return api;
    var opener = null;
    try { opener = window.top && window.top.opener; } catch (e) { opener = null; }
    if (!opener) {
      try { opener = window.opener; } catch (e) { opener = null; }
    }
    return opener ? scan(opener, name) : null;
  }

  function pad(number, width) {
    var text = String(number);
    while (text.length < width) text = "0" + text;
    return text;
  }

  /* SCORM 1.2 CMITimespan: HHHH:MM:SS.SS (hours 2 to 4 digits). */
  function timespan12(ms) {
    var cs = Math.max(0, Math.round(ms / 10));
    var hours = Math.min(9999, Math.floor(cs / 360000));
    var minutes = Math.floor(cs / 6000) % 60;
    var seconds = Math.floor(cs / 100) % 60;
    return pad(hours, 2) + ":" + pad(minutes, 2) + ":" + pad(seconds, 2) + "." + pad(cs % 100, 2);
  }

  /* SCORM 2004 timeinterval: ISO 8601 duration, at most 2 decimals on the seconds. */
  function timespan2004(ms) {
    var cs = Math.max(0, Math.round(ms / 10));
    var hours = Math.floor(cs / 360000);
    var minutes = Math.floor(cs / 6000) % 60;
    var seconds = (cs % 6000) / 100;
    return "PT" + hours + "H" + minutes + "M" + seconds.toFixed(2).replace(/\.?0+$/, "") + "S";
  }

  function localTime() { // 1.2 CMITime: HH:MM:SS
    var d = new Date();
    return pad(d.getHours(), 2) + ":" + pad(d.getMinutes(), 2) + ":" + pad(d.getSeconds(), 2);
  }

  function timestamp() { // 2004 time(second,10,0): YYYY-MM-DDThh:mm:ss, local time
    var d = new Date();
    return d.getFullYear() + "-" + pad(d.getMonth() + 1, 2) + "-" + pad(d.getDate(), 2) + "T" +
      pad(d.getHours(), 2) + ":" + pad(d.getMinutes(), 2) + ":" + pad(d.getSeconds(), 2);
  }

  var LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789";

  /* The two versions differ in names, vocabularies and response formats. */
  var VERSIONS = {
    "1.2": {
      apiName: "API",
      calls: { init: "LMSInitialize", get: "LMSGetValue", set: "LMSSetValue", commit: "LMSCommit",
               finish: "LMSFinish", error: "LMSGetLastError" },
      location: "cmi.core.lesson_location",
      learnerId: "cmi.core.student_id",
      entry: "cmi.core.entry",
      mode: "cmi.core.lesson_mode",
      exit: "cmi.core.exit",
      sessionTime: "cmi.core.session_time",
      score: "cmi.core.score",
      timespan: timespan12,
      // An LMS-set pass mark (from adlcp:masteryscore), 0..100.
      passingScore: function (tracker) {
        var value = parseFloat(tracker.get("cmi.student_data.mastery_score"));
        return isNaN(value) ? null : value;
      },
      status: ["cmi.core.lesson_status"],
      // The stored lesson_status as { completed, success }.
      readStatus: function (values) {
        var status = values[0];
        return { completed: /^(completed|passed|failed)$/.test(status),
                 success: status === "passed" || status === "failed" ? status : null };
      },
      writeStatus: function (tracker, snap) {
        // One field for both: passed/failed once there is a score, else completed/incomplete.
        tracker.set("cmi.core.lesson_status", snap.success || (snap.completed ? "completed" : "incomplete"));
      },
      // 1.2 responses: single characters 0-9a-z; we use a, b, c, ... by option position.
      response: function (q, answer) {
        var chars = answer.split("").map(function (d) { return LETTERS.charAt(parseInt(d, 36)); });
        if (q.interaction === "true-false") return q.ids[parseInt(answer, 36)] === "true" ? "t" : "f";
        if (q.interaction === "matching") {
          return chars.map(function (c, left) { return LETTERS.charAt(left) + "." + c; }).join(",");
        }
        return chars.join(",");
      },
      // 1.2 has no partial result: "correct" only when the answer is entirely right (its
      // share still counts in score.raw).
      result: function (credit) { return credit >= 1 ? "correct" : "wrong"; },
      interactionTime: ["time", localTime]
    },
    "2004": {
      apiName: "API_1484_11",
      calls: { init: "Initialize", get: "GetValue", set: "SetValue", commit: "Commit",
               finish: "Terminate", error: "GetLastError" },
      location: "cmi.location",
      learnerId: "cmi.learner_id",
      entry: "cmi.entry",
      mode: "cmi.mode",
      exit: "cmi.exit",
      sessionTime: "cmi.session_time",
      score: "cmi.score",
      timespan: timespan2004,
      // An LMS-set pass mark (imsss:minNormalizedMeasure), -1..1 scaled to 0..100.
      passingScore: function (tracker) {
        var value = parseFloat(tracker.get("cmi.scaled_passing_score"));
        return isNaN(value) ? null : value * 100;
      },
      status: ["cmi.completion_status", "cmi.success_status"],
      readStatus: function (values) {
        return { completed: values[0] === "completed",
                 success: values[1] === "passed" || values[1] === "failed" ? values[1] : null };
      },
      writeStatus: function (tracker, snap) {
        tracker.set("cmi.completion_status", snap.completed ? "completed" : "incomplete");
        tracker.set("cmi.success_status", snap.success || "unknown");
        tracker.set("cmi.progress_measure", (snap.completed ? 1 : snap.progress).toFixed(2));
      },
      // The inverse of response(): a learner_response back in the runtime's answer encoding.
      answer: function (q, response) {
        if (q.interaction === "true-false") return String(q.ids.indexOf(response)).replace("-1", "");
        var parts = response.split("[,]");
        var digits = parts.map(function (part) {
          if (q.interaction === "matching") return LETTERS.indexOf(part.split("[.]")[1] || "");
          return q.ids.indexOf(part);
        });
        if (q.interaction === "matching") {
          // Rows in left-hand order, whatever order the LMS kept them in.
          var rows = [];
          parts.forEach(function (part, i) { rows[q.ids.indexOf(part.split("[.]")[0])] = digits[i]; });
          digits = rows;
        }
        if (digits.length !== (q.interaction === "matching" ? q.count : digits.length)) return "";
        for (var i = 0; i < digits.length; i++) if (!(digits[i] >= 0)) return "";
        return digits.map(function (d) { return d.toString(36); }).join("");
      },
      // 2004 responses use the source's option ids; "[,]" and "[.]" are the delimiters.
      response: function (q, answer) {
        var picks = answer.split("").map(function (d) { return parseInt(d, 36); });
        if (q.interaction === "true-false") return q.ids[picks[0]];
        if (q.interaction === "matching") {
          return picks.map(function (right, left) { return q.ids[left] + "[.]" + LETTERS.charAt(right); }).join("[,]");
        }
        return picks.map(function (i) { return q.ids[i]; }).join("[,]");
      },
      // 2004 result may be a real number (RTE 4.2.9.1): a partly right answer reports its share.
      result: function (credit) {
        return credit >= 1 ? "correct" : credit <= 0 ? "incorrect" : String(Math.round(credit * 10000) / 10000);
      },
      interactionTime: ["timestamp", timestamp]
    }
  };

  // When a page change alone is worth a Commit: after this many pages, or this long, since
  // the last one (answers, notes and status changes commit at once).
  var COMMIT_PAGES = 10;
  var COMMIT_MS = 3 * 60 * 1000;
  // A browser keeps 64 KiB of keep-alive uploads (sendBeacon) in flight; LMSs like Moodle
  // upload the whole data model per Commit and per Terminate while the page closes.
  var BEACON_BUDGET = 64 * 1024;
  var SIZE_FIXED = 800;           // what the LMS itself holds (ids, names, modes) and adds
  // Head room for an LMS that uploads more than the values set: issue 14 measured Moodle's
  // uploads of the earlier package at up to 1.6 times what the test LMS counts.
  var SIZE_MARGIN = 1.6;
  var SIZE_PER_OLD_INTERACTION = 450;

  var SUCCESS_RANK = { failed: 1, passed: 2 };

  function LmsTracker(api, version) {
    this.api = api;
    this.v = VERSIONS[version];
    this.version = version;
    this.mode = "lms";
    this.started = 0;
    this.terminated = false;
    this.nextInteraction = 0;
    this.interactionIndex = {};
    this.stored = { completed: false, success: null, score: null };
    this.written = {};            // element -> the value last set (unchanged values are not sent again)
    this.committed = null;        // what the last Commit carried (see worth())
    this.pagesSinceCommit = 0;
    this.lastCommit = 0;
    this.recorded = false;        // an interaction written since the last Commit
    this.oldInteractions = 0;
  }

  LmsTracker.prototype.call = function (name, a, b) {
    try {
      var fn = this.api[this.v.calls[name]];
      return String(fn.call(this.api, a === undefined ? "" : a, b));
    } catch (e) {
      this.threw = true;      // a broken API: treated like a failed save, and retried
      return "false";
    }
  };

  LmsTracker.prototype.get = function (element) {
    var value = this.call("get", element);
    return value === "false" && this.call("error") !== "0" ? "" : value;
  };

  /* SetValue only stores in the page's API object; a "false" there means the LMS rejected
   * the value (retrying will not help), so it is logged, not reported to the learner.
   * Whether data reached the LMS is what Commit says. */
  LmsTracker.prototype.set = function (element, value) {
    value = String(value);
    if (this.written[element] === value) return true;
    var ok = this.call("set", element, value) === "true";
    if (ok) this.written[element] = value;
    else if (window.console) window.console.warn("SCORM: setting " + element + " failed, error " + this.call("error"));
    return ok;
  };

  /* About how many bytes an LMS like Moodle uploads for the whole data model: every value
   * set, URL-encoded, with its name (the values kept from earlier sessions estimated). */
  LmsTracker.prototype.uploadSize = function () {
    var size = SIZE_FIXED + this.oldInteractions * SIZE_PER_OLD_INTERACTION;
    for (var element in this.written) {
      if (Object.prototype.hasOwnProperty.call(this.written, element)) {
        size += element.length + 3 + encodeURIComponent(this.written[element]).length;
      }
    }
    return size;
  };

  LmsTracker.prototype.start = function () {
    if (this.call("init") !== "true") return null;
    this.started = Date.now();
    var count = parseInt(this.get("cmi.interactions._count"), 10) || 0;
    this.nextInteraction = count;
    if (this.version === "2004") {
      // 2004 interactions are readable: find each question's entry so a retake updates it.
      for (var i = 0; i < count; i++) this.interactionIndex[this.get("cmi.interactions." + i + ".id")] = i;
    }
    this.oldInteractions = count;
    // What the LMS holds, read before anything is written: it is never lowered (write()).
    var self = this;
    var status = this.v.status.map(function (element) { return self.get(element); });
    var raw = parseFloat(this.get(this.v.score + ".raw"));
    this.stored = this.v.readStatus(status);
    this.stored.score = isNaN(raw) ? null : raw;
    var suspendData = this.get("cmi.suspend_data");
    // What the LMS holds already needs no Commit (a resumed session commits when it changes).
    this.committed = worth({ suspendData: suspendData, completed: this.stored.completed,
                             success: this.stored.success, score: this.stored.score });
    this.lastCommit = Date.now();
    var entry = this.get(this.v.entry);
    var mode = this.get(this.v.mode);
    // Review (a finished attempt looked back on) and browse (a preview without credit): the
    // LMS keeps the record as it is, so the SCO only reads it (RTE 4.2.14 / 1.2 lesson_mode).
    this.readOnly = mode === "review" || mode === "browse";
    if (mode === "browse" && this.version === "1.2" && (status[0] === "not attempted" || status[0] === "")) {
      // SCORM 1.2 allows "browsed" in browse mode; left at "not attempted", some LMSs (Moodle)
      // turn the preview into "completed" when it ends. Terminate stores it.
      this.call("set", "cmi.core.lesson_status", "browsed");
    }
    return {
      location: this.get(this.v.location),
      suspendData: suspendData,
      passingScore: this.v.passingScore(this),
      resumed: entry === "resume",
      mode: this.readOnly ? mode : "normal",
      learnerId: this.get(this.v.learnerId)
    };
  };

  /* SCORM 2004 interactions are readable: the answers they hold, by question key, for a
   * record whose suspend_data the LMS dropped (an earlier exit "normal"). 1.2: none. */
  LmsTracker.prototype.answersFrom = function (config) {
    var answers = {};
    if (this.version !== "2004" || !this.v.answer) return answers;
    var self = this;
    config.questions.forEach(function (q) {
      var index = self.interactionIndex[q.id];
      if (index === undefined) return;
      var answer = self.v.answer(q, self.get("cmi.interactions." + index + ".learner_response"));
      if (answer) answers[q.key] = answer;
    });
    return answers;
  };

  /* The snapshot as the LMS may see it: never lower than what it held. A status kept higher
   * also keeps its score (a pass is not reported with a failing score). */
  LmsTracker.prototype.kept = function (snap) {
    var held = this.stored;
    var kept = {};
    for (var name in snap) if (Object.prototype.hasOwnProperty.call(snap, name)) kept[name] = snap[name];
    kept.completed = snap.completed || held.completed;
    if ((SUCCESS_RANK[snap.success] || 0) < (SUCCESS_RANK[held.success] || 0)) {
      kept.success = held.success;
      kept.score = held.score;
    }
    return kept;
  };

  LmsTracker.prototype.write = function (snap) {
    snap = this.kept(snap);
    this.set(this.v.location, snap.location);
    this.set("cmi.suspend_data", snap.suspendData);
    this.v.writeStatus(this, snap);
    this.stored = { completed: snap.completed, success: snap.success || this.stored.success,
                    score: snap.score !== null ? snap.score : this.stored.score };
    if (snap.score !== null) {
      // Percent with at most 2 decimals; 2004 also wants it scaled to -1..1 (RTE 4.2.20).
      this.set(this.v.score + ".min", "0");
      this.set(this.v.score + ".max", "100");
      this.set(this.v.score + ".raw", String(Math.round(snap.score * 100) / 100));
      if (this.version === "2004") this.set("cmi.score.scaled", String(Math.round(snap.score * 100) / 10000));
    }
    // Always "suspend", also when finished: after any other exit an LMS may start the next
    // launch without suspend_data and location (Moodle does, in the same attempt), and the
    // learner's answers and notes would be gone. The status says the module is finished.
    this.set(this.v.exit, "suspend");
  };

  /* JSON with the keys of every object sorted: the same data gives the same text. */
  function canonical(value) {
    if (!value || typeof value !== "object") return JSON.stringify(value === undefined ? null : value);
    if (Array.isArray(value)) return "[" + value.map(canonical).join(",") + "]";
    return "{" + Object.keys(value).sort().map(function (key) {
      return JSON.stringify(key) + ":" + canonical(value[key]);
    }).join(",") + "}";
  }

  /* What a Commit would protect: everything but the pages seen and the bookmark. */
  function worth(snap) {
    var data;
    try { data = JSON.parse(snap.suspendData || "{}"); } catch (e) { data = {}; }
    if (data && typeof data === "object") delete data.p;
    return canonical([data, !!snap.completed, snap.success || null, snap.score === undefined ? null : snap.score]);
  }

  /* Commit when something a learner would regret losing happened (an answer, a note, a
   * status or score), or on a page change after COMMIT_PAGES pages or COMMIT_MS since the
   * last Commit. "flush" (the page is hidden, perhaps closing): only for something worth
   * it, and only when a Commit and a Terminate both fit in the beacon budget. */
  LmsTracker.prototype.shouldCommit = function (snap, commit) {
    if (commit === false) return false;
    var important = this.recorded || worth(snap) !== this.committed;
    if (commit === "flush") return important && 2 * SIZE_MARGIN * this.uploadSize() <= BEACON_BUDGET;
    if (important) return true;
    var moved = this.pagesSinceCommit > 0;
    return moved && (this.pagesSinceCommit >= COMMIT_PAGES || Date.now() - this.lastCommit >= COMMIT_MS);
  };

  LmsTracker.prototype.save = function (snap, commit) {
    if (this.terminated) return false;
    if (this.readOnly) return true;
    this.threw = false;
    if (snap.location !== this.written[this.v.location]) this.pagesSinceCommit++;
    this.write(snap);
    snap = this.kept(snap);
    if (!this.shouldCommit(snap, commit)) return !this.threw;
    var ok = this.call("commit") === "true" && !this.threw;
    if (ok) {
      this.committed = worth(snap);
      this.recorded = false;
      this.pagesSinceCommit = 0;
      this.lastCommit = Date.now();
    }
    return ok;
  };

  /* One entry per answered question. SCORM 2004 order matters: id first, then type, before
   * the responses (RTE 4.2.9: data model dependencies). */
  LmsTracker.prototype.record = function (q, answer, credit) {
    if (typeof credit === "boolean") credit = credit ? 1 : 0;
    if (this.terminated) return false;
    if (this.readOnly) return true;
    this.threw = false;
    var index = this.interactionIndex[q.id];
    if (index === undefined) {
      index = this.nextInteraction++;
      if (this.version === "2004") this.interactionIndex[q.id] = index;
    }
    var base = "cmi.interactions." + index + ".";
    this.set(base + "id", q.id);
    this.set(base + "type", q.interaction);
    this.set(base + this.v.interactionTime[0], this.v.interactionTime[1]());
    this.set(base + "weighting", "1");
    this.set(base + "correct_responses.0.pattern", this.v.response(q, q.correct));
    this.set(base + (this.version === "2004" ? "learner_response" : "student_response"), this.v.response(q, answer));
    this.set(base + "result", this.v.result(credit));
    this.recorded = true;
    return !this.threw;
  };

  /* Terminate exactly once, whatever it returns: a second Terminate is an error in both
   * versions (1.2: 101, 2004: 113) and some LMSs close the attempt on the first. No Commit
   * before it: Terminate stores everything, and a second upload of the whole data model
   * while the page closes can push Terminate's over the browser's beacon budget. */
  LmsTracker.prototype.finish = function (snap) {
    if (this.terminated) return false;
    if (!this.readOnly) {
      this.write(snap);
      this.set(this.v.sessionTime, this.v.timespan(Date.now() - this.started));
    }
    this.terminated = true;
    return this.call("finish") === "true";
  };

  /* Standalone: the same interface over localStorage (or memory, when storage is blocked). */
  function LocalTracker(key) {
    this.key = key;
    this.mode = "standalone";
    this.version = null;
    this.storage = null;
    this.memory = {};
    try {
      var probe = key + ":probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      this.storage = window.localStorage;
    } catch (e) {
      this.storage = null;
    }
  }

  LocalTracker.prototype.read = function () {
    try {
      return JSON.parse((this.storage ? this.storage.getItem(this.key) : this.memory[this.key]) || "{}") || {};
    } catch (e) {
      return {};
    }
  };

  LocalTracker.prototype.start = function () {
    var saved = this.read();
    return {
      location: typeof saved.location === "string" ? saved.location : "",
      suspendData: typeof saved.suspendData === "string" ? saved.suspendData : "",
      passingScore: null,
      resumed: !!saved.location,
      mode: "normal",
      learnerId: this.learnerId()
    };
  };

  /* Without an LMS: one random id per browser, shared by the course's modules. */
  LocalTracker.prototype.learnerId = function () {
    var key = "coursegen:learner";
    try {
      var id = this.storage && this.storage.getItem(key);
      if (id) return id;
      id = "local-" + Math.random().toString(36).slice(2, 12);
      if (this.storage) this.storage.setItem(key, id);
      return id;
    } catch (e) {
      return "";
    }
  };

  LocalTracker.prototype.save = function (snap) {
    var text = JSON.stringify({
      location: snap.location, suspendData: snap.suspendData, completed: snap.completed,
      success: snap.success, score: snap.score
    });
    if (!this.storage) { this.memory[this.key] = text; return true; }
    try { this.storage.setItem(this.key, text); return true; } catch (e) { return false; }
  };

  LocalTracker.prototype.record = function () { return true; };
  LocalTracker.prototype.finish = function (snap) { return this.save(snap); };

  window.CourseLMS = {
    connect: function (config) {
      var version = VERSIONS[config.scorm] ? config.scorm : "1.2";
      var api = findAPI(VERSIONS[version].apiName);
      if (api) {
        var tracker = new LmsTracker(api, version);
        var started = tracker.start();
        if (started) return { tracker: tracker, started: started };
      }
      var local = new LocalTracker(config.storageKey);
      return { tracker: local, started: local.start(), failedApi: !!api };
    },
    timespan12: timespan12,
    timespan2004: timespan2004
  };
})();
