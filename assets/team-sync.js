// Team sync's bridge to PouchDB (loaded with pouchdb.min.js only when a person turns sync on;
// src/browser/team.rs calls it). It only moves documents and reports what replication does;
// every decision (who wins a conflict, what to write, what to show) is the app's, in Rust
// (annotator_core::sync). Strings cross the boundary as JSON.
(function () {
  "use strict";

  // Every request carries the browser's CouchDB session cookie; no password is kept here.
  function withCookie(url, opts) {
    opts = opts || {};
    opts.credentials = "include";
    return PouchDB.fetch(url, opts);
  }

  var running = null; // { local, sync, feed, queue, timer }

  function message(err) {
    if (!err) return "";
    return String(err.message || err.reason || err.name || err);
  }

  // One HTTP request (the connection checks): resolves {status, body} as JSON; rejects with
  // the network error's message.
  function request(method, url, body) {
    var opts = {
      method: method,
      credentials: "include",
      headers: { Accept: "application/json", "Content-Type": "application/json" },
    };
    if (body !== undefined && body !== null) opts.body = body;
    return fetch(url, opts).then(
      function (r) {
        return r.text().then(function (t) {
          return JSON.stringify({ status: r.status, body: t });
        });
      },
      function (e) {
        throw message(e) || "network error";
      }
    );
  }

  // The leaves of each changed document: the one the feed gave, or all of them (a conflict,
  // or a deletion: CouchDB may show an older deleted leaf than the newest one).
  function leavesOf(local, change) {
    var doc = change.doc;
    if (doc && change.changes.length <= 1 && !doc._deleted && !doc._conflicts) {
      return Promise.resolve({ id: change.id, leaves: [doc] });
    }
    return local.get(change.id, { open_revs: "all" }).then(
      function (rows) {
        var leaves = [];
        rows.forEach(function (r) {
          if (r.ok) leaves.push(r.ok);
        });
        return { id: change.id, leaves: leaves };
      },
      function () {
        return { id: change.id, leaves: doc ? [doc] : [] };
      }
    );
  }

  // A change after a quiet spell is passed on within 30 ms; while changes stream in (a first
  // sync, a large import elsewhere) they are passed on every 300 ms, so the app shows and stores
  // a few large batches rather than many small ones.
  function schedule(state, onBatch) {
    if (state.timer) return;
    var streaming = Date.now() - state.lastFlush < 400;
    state.timer = setTimeout(function () { flush(state, onBatch); }, streaming ? 300 : 30);
  }

  function flush(state, onBatch) {
    state.timer = null;
    state.lastFlush = Date.now();
    var batch = state.queue.splice(0, state.queue.length);
    if (!batch.length) return;
    Promise.all(
      batch.map(function (c) {
        return leavesOf(state.local, c);
      })
    ).then(function (items) {
      if (running === state) onBatch(JSON.stringify(items), false);
    });
  }

  // Starts live replication both ways between the local copy `localName` (IndexedDB) and the
  // database at `dbUrl`, and a feed of the local copy from its start. `onBatch(json, initial)`
  // gets [{id, leaves}]: first all the copy holds (initial = true), then changes in batches; `onStatus(kind, detail)` gets "active", "paused" (detail:
  // the error while offline, else ""), "denied", "error" and "feed-error".
  function start(localName, dbUrl, onBatch, onStatus) {
    stop();
    var local = new PouchDB(localName, { auto_compaction: true });
    var remote = new PouchDB(dbUrl, { skip_setup: true, fetch: withCookie });
    var state = { local: local, queue: [], timer: null, lastFlush: 0, sync: null, feed: null };
    running = state;
    // First everything the copy holds, as one batch (flagged initial), then live changes.
    local
      .changes({ since: 0, include_docs: true, conflicts: true, style: "all_docs" })
      .then(function (res) {
        return Promise.all(res.results.map(function (c) { return leavesOf(local, c); })).then(function (items) {
          if (running !== state) return;
          onBatch(JSON.stringify(items), true);
          state.feed = local
            .changes({ live: true, since: res.last_seq, include_docs: true, conflicts: true, style: "all_docs" })
            .on("change", function (c) {
              state.queue.push(c);
              schedule(state, onBatch);
            })
            .on("error", function (e) {
              if (running === state) onStatus("feed-error", message(e));
            });
        });
      })
      .catch(function (e) {
        if (running === state) onStatus("feed-error", message(e));
      });
    // Two replications (push and pull), each reporting its own state, since PouchDB's combined
    // sync does not pass on a failed request while idle (a server gone during a long poll).
    // "offline" lasts until that direction works again (a change, or idle without error).
    var dirs = { push: "pending", pull: "pending" };
    var lastError = "";
    function report() {
      if (running !== state) return;
      if (dirs.push === "offline" || dirs.pull === "offline") onStatus("paused", lastError || "offline");
      else if (dirs.push === "idle" && dirs.pull === "idle") onStatus("paused", "");
      else onStatus("active", "");
    }
    function failed(dir, err) {
      lastError = (err && err.status ? err.status + " " : "") + (message(err) || "offline");
      dirs[dir] = "offline";
      report();
    }
    var opts = {
      live: true,
      retry: true,
      batch_size: 1000,
      back_off_function: function (delay) {
        return delay === 0 ? 500 : Math.min(delay * 2, 4000);
      },
    };
    state.sync = [
      ["push", local.replicate.to(remote, opts)],
      ["pull", local.replicate.from(remote, opts)],
    ].map(function (pair) {
      var dir = pair[0];
      return pair[1]
        .on("active", function () {
          if (dirs[dir] !== "offline") {
            dirs[dir] = "active";
            report();
          }
        })
        .on("change", function () {
          dirs[dir] = "active";
          report();
        })
        .on("paused", function (err) {
          if (err) return failed(dir, err);
          dirs[dir] = "idle";
          report();
        })
        .on("requestError", function (err) {
          failed(dir, err);
        })
        .on("denied", function (err) {
          if (running === state) onStatus("denied", message(err));
        })
        .on("error", function (err) {
          if (running === state) onStatus("error", (err && err.status ? err.status + " " : "") + message(err));
        });
    });
    return true;
  }

  function stop() {
    var state = running;
    running = null;
    if (!state) return;
    if (state.timer) clearTimeout(state.timer);
    if (state.feed) state.feed.cancel();
    if (state.sync) state.sync.forEach(function (r) { r.cancel(); });
  }

  // Writes documents to the local copy (replication sends them). Each names its own revision
  // and its parent (`_rev`, `_revisions`), as the app decided (annotator_core::sync::replica,
  // rule 6), so it is stored as given (`new_edits: false`, the way replication writes): an edit
  // made before a newer revision was seen becomes its sibling, never its silent replacement.
  // Resolves {written, errors} as JSON.
  function write(docsJson) {
    var state = running;
    if (!state) return Promise.reject("team sync is off");
    var docs = JSON.parse(docsJson);
    return state.local.bulkDocs(docs, { new_edits: false }).then(
      function (results) {
        var errors = [];
        (results || []).forEach(function (r) {
          if (r && r.error) errors.push((r.id || "") + ": " + message(r));
        });
        return JSON.stringify({ written: docs.length - errors.length, errors: errors });
      },
      function (e) {
        throw message(e);
      }
    );
  }

  globalThis.annotatorTeam = { request: request, start: start, stop: stop, write: write };
})();
