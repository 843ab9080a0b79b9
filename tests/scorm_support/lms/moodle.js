/*
 * moodle.js: makes the test LMS keep a learner's record the way Moodle's SCORM player does
 * (mod/scorm: datamodels/scorm_12.js, scorm_13.js and datamodel.php), where that decides
 * whether progress survives:
 *
 *  - Only what reaches the server is kept: the record of the next launch is what the last
 *    successful Commit or Terminate delivered, not what the page's API object holds.
 *  - Every Commit and every Terminate uploads the whole data model: each element with a
 *    value as "&cmi__name=value", the value URL-encoded.
 *  - While the SCO unloads (harness.close), those uploads go by navigator.sendBeacon, and a
 *    browser keeps at most 64 KiB of keep-alive bodies in flight: a call whose upload would
 *    push the in-flight total past that fails, "false" with error 101, as Moodle's does.
 *  - The next launch is in the same attempt. After an exit other than "suspend", entry is
 *    "ab-initio" and suspend_data and location are gone; status, success, score and the
 *    interactions are kept. Terminate that failed stores no session time. A review
 *    session (lesson_mode/mode "review") stores nothing.
 *  - SCORM 1.2: LMSFinish turns a lesson_status still "not attempted" into "completed"
 *    (what Moodle's preview then shows as a completed module).
 *  - Optional (strict12): SCORM 1.2's own limits, 4,096 characters of suspend_data and 255
 *    of lesson_location; a longer value is refused with error 405 (scorm-again allows 64,000).
 *
 * MoodleLike.wrap(api, version, options) changes `api` in place and returns the controller
 * the harness reads: uploads (every Commit/Terminate: call, bytes, beacon, ok), store.
 */
(function () {
  "use strict";

  var BEACON_BUDGET = 64 * 1024;
  var OVERHEAD = 96; // Moodle adds id, scoid, attempt and sesskey to every upload

  function flatten(object, prefix, out) {
    Object.keys(object).forEach(function (key) {
      var value = object[key];
      var name = prefix ? prefix + "__" + key : key;
      if (value && typeof value === "object") flatten(value, name, out);
      else if (value !== "" && value !== null && value !== undefined) out.push("&" + name + "=" + encodeURIComponent(String(value)));
    });
    return out;
  }

  /* The bytes Moodle's CollectData would upload for this data model. */
  function uploadSize(api) {
    return OVERHEAD + flatten(api.renderCMIToJSONObject(), "", []).join("").length;
  }

  function copy(value) { return JSON.parse(JSON.stringify(value)); }

  function get(object, path) {
    return path.split(".").reduce(function (o, key) { return o ? o[key] : undefined; }, object);
  }

  var NAMES = {
    "1.2": { commit: "LMSCommit", finish: "LMSFinish", set: "LMSSetValue", error: "LMSGetLastError",
             exit: "cmi.core.exit", entry: "entry", group: "core", location: "lesson_location",
             session: "cmi.core.session_time", total: "total_time" },
    "2004": { commit: "Commit", finish: "Terminate", set: "SetValue", error: "GetLastError",
              exit: "cmi.exit", entry: "entry", group: null, location: "location",
              session: "cmi.session_time", total: "total_time" }
  };

  function wrap(api, version, options) {
    var n = NAMES[version];
    var control = {
      uploads: [],          // {call, bytes, beacon, ok}
      store: null,          // the data model as the server last received it
      stored: false,        // did a Terminate reach the server (session time counted)?
      unloading: false,
      inflight: 0,
      ownError: null
    };
    var original = {};
    [n.commit, n.finish, n.set, n.error].forEach(function (name) { original[name] = api[name]; });

    function upload(call) {
      var bytes = uploadSize(api);
      var ok = true;
      if (control.unloading) {
        ok = control.inflight + bytes <= BEACON_BUDGET;
        if (ok) control.inflight += bytes;
      }
      control.uploads.push({ call: call, bytes: bytes, beacon: control.unloading, ok: ok });
      return ok;
    }

    api[n.error] = function () {
      if (control.ownError !== null) return control.ownError;
      return original[n.error].apply(api, arguments);
    };

    api[n.set] = function (element, value) {
      control.ownError = null;
      if (options.strict12 && version === "1.2") {
        var limit = element === "cmi.suspend_data" ? 4096 : element === "cmi.core.lesson_location" ? 255 : 0;
        if (limit && String(value).length > limit) { control.ownError = "405"; return "false"; }
      }
      return original[n.set].apply(api, arguments);
    };

    api[n.commit] = function () {
      control.ownError = null;
      var result = original[n.commit].apply(api, arguments);
      if (String(result) !== "true") return result;
      if (!upload("commit")) { control.ownError = "101"; return "false"; }
      control.store = copy(api.renderCMIToJSONObject());
      return result;
    };

    api[n.finish] = function () {
      control.ownError = null;
      if (version === "1.2" && api.cmi.core.lesson_status === "not attempted") {
        api.cmi.core.lesson_status = "completed";   // Moodle's LMSFinish
      }
      if (!upload("terminate")) { control.ownError = "101"; return "false"; }
      var result = original[n.finish].apply(api, arguments);
      if (String(result) === "true") {
        control.store = copy(api.renderCMIToJSONObject());
        var total = get(api.renderCommitCMI(true), "cmi." + (n.group ? n.group + "." : "") + n.total);
        if (total) (n.group ? control.store.cmi[n.group] : control.store.cmi)[n.total] = total;
        control.stored = true;
      }
      return result;
    };

    /* Closing the SCO: from here on uploads are beacons sharing one budget. */
    control.beginUnload = function () {
      control.unloading = true;
      control.inflight = 0;
    };

    /* The record the next launch gets: the server's copy, same attempt, Moodle's rules. */
    control.record = function (previous) {
      // Review: a finished attempt looked back on; the LMS stores nothing of it.
      if (previous && get(previous, version === "1.2" ? "cmi.core.lesson_mode" : "cmi.mode") === "review") return copy(previous);
      var record = copy(control.store || previous);
      var cmi = record.cmi;
      var holder = n.group ? cmi[n.group] : cmi;
      var exit = get(record, n.exit) || "";
      delete holder.exit;
      delete holder.session_time;
      if (!control.stored) {
        // No Terminate reached the server: the time of this session is not counted.
        var before = previous ? get(previous, "cmi." + (n.group ? n.group + "." : "") + n.total) : "";
        if (before) holder[n.total] = before; else delete holder[n.total];
      }
      if (exit === "suspend") {
        holder[n.entry] = "resume";
      } else {
        holder[n.entry] = "ab-initio";
        cmi.suspend_data = "";
        holder[n.location] = "";
      }
      return record;
    };

    return control;
  }

  window.MoodleLike = { wrap: wrap, uploadSize: uploadSize, BEACON_BUDGET: BEACON_BUDGET };
})();
