/*
 * The test LMS. The test calls, through page.evaluate:
 *   harness.launch({version, url, resume, commitUrl, masteryScore, failInitialize, learnerId,
 *                   moodle})
 *                                                       start an attempt (resume: the record
 *                                                       kept from the previous session;
 *                                                       moodle: {strict12} to keep records
 *                                                       the way Moodle does, see moodle.js)
 *   harness.close()                                     hide and remove the SCO frame (a tab
 *                                                       closed: visibilitychange, pagehide)
 *                                                       and return what the LMS keeps
 * and reads harness.api / harness.calls while the SCO runs.
 */
(function () {
  "use strict";

  var WRITE_ONLY = {
    "1.2": ["cmi.core.session_time", "cmi.core.exit"],
    "2004": ["cmi.session_time", "cmi.exit"]
  };

  /* What an LMS hands a SCO on a first launch. */
  function firstLaunch(version, options) {
    if (version === "1.2") {
      return { cmi: { core: { student_id: options.learnerId || "learner-1", student_name: "Tester, Tess", credit: "credit",
        lesson_mode: "normal", entry: "ab-initio" },
        student_data: { mastery_score: options.masteryScore === undefined ? "" : String(options.masteryScore) } } };
    }
    return { cmi: { learner_id: options.learnerId || "learner-1", learner_name: "Tess Tester", credit: "credit", mode: "normal",
      entry: "ab-initio",
      scaled_passing_score: options.masteryScore === undefined ? "" : String(options.masteryScore / 100) } };
  }

  function count(api, names, calls) {
    names.forEach(function (name) {
      var original = api[name];
      api[name] = function () {
        calls[name] = (calls[name] || 0) + 1;
        var args = Array.prototype.slice.call(arguments);
        var result = original.apply(api, args);
        calls.log.push([name].concat(args, [String(result)]));
        return result;
      };
    });
  }

  function remove(object, path) {
    var parts = path.split(".");
    for (var i = 0; i < parts.length - 1; i++) {
      object = object && object[parts[i]];
    }
    if (object) delete object[parts[parts.length - 1]];
  }

  function get(object, path) {
    return path.split(".").reduce(function (o, key) { return o ? o[key] : undefined; }, object);
  }

  window.harness = {
    api: null,
    version: null,
    calls: null,

    launch: function (options) {
      var version = options.version;
      var settings = { autocommit: false, lmsCommitUrl: options.commitUrl || false, logLevel: 5 };
      var api = version === "1.2" ? new window.Scorm12API(settings) : new window.Scorm2004API(settings);
      var launched = options.resume || firstLaunch(version, options);
      api.loadFromJSON(JSON.parse(JSON.stringify(launched)));
      this.launched = launched;
      this.moodle = options.moodle ? window.MoodleLike.wrap(api, version, options.moodle) : null;
      var calls = { log: [] };
      count(api, version === "1.2"
        ? ["LMSInitialize", "LMSCommit", "LMSFinish", "LMSSetValue", "LMSGetValue"]
        : ["Initialize", "Commit", "Terminate", "SetValue", "GetValue"], calls);
      if (options.failInitialize) {
        // An LMS that refuses the session: Initialize answers "false" (error 101/102).
        api[version === "1.2" ? "LMSInitialize" : "Initialize"] = function () { return "false"; };
      }
      window.API = version === "1.2" ? api : undefined;
      window.API_1484_11 = version === "2004" ? api : undefined;
      this.api = api;
      this.version = version;
      this.calls = calls;
      var frame = document.createElement("iframe");
      frame.id = "sco";
      frame.title = "Course module";
      frame.src = options.url;
      document.getElementById("frame-holder").appendChild(frame);
    },

    /* Unload the SCO like an LMS closing it, and return the record an LMS would keep:
     * the CMI data without the write-only fields, entry set from the exit the SCO gave,
     * total time including this session. */
    close: function () {
      var frame = document.getElementById("sco");
      if (this.moodle) this.moodle.beginUnload();
      if (frame) {
        // A tab being closed: first hidden, then unloaded.
        try {
          var doc = frame.contentWindow.document;
          Object.defineProperty(doc, "visibilityState", { value: "hidden", configurable: true });
          doc.dispatchEvent(new frame.contentWindow.Event("visibilitychange"));
        } catch (e) { /* not loaded yet */ }
        frame.remove();
      }
      var api = this.api;
      if (this.moodle) {
        return { cmi: JSON.parse(JSON.stringify(api.renderCMIToJSONObject())), record: this.moodle.record(this.launched),
                 calls: this.calls, uploads: this.moodle.uploads, stored: this.moodle.store };
      }
      var cmi = JSON.parse(JSON.stringify(api.renderCMIToJSONObject()));
      var exitPath = this.version === "1.2" ? "cmi.core.exit" : "cmi.exit";
      var record = JSON.parse(JSON.stringify(cmi));
      WRITE_ONLY[this.version].forEach(function (path) { remove(record, path); });
      var entry = get(cmi, exitPath) === "suspend" ? "resume" : "";
      if (this.version === "1.2") record.cmi.core.entry = entry; else record.cmi.entry = entry;
      var committed = api.renderCommitCMI(true);
      var total = this.version === "1.2" ? get(committed, "cmi.core.total_time") : get(committed, "cmi.total_time");
      if (total) { if (this.version === "1.2") record.cmi.core.total_time = total; else record.cmi.total_time = total; }
      return { cmi: cmi, record: record, calls: this.calls };
    }
  };
})();
