/* The field app (离线外勤, docs/offline-sync.md "The app"). It keeps the officer's pack — the
   tasks of the coming days with their entities, checklists and last findings — in IndexedDB
   (idb, vendored), lets the officer fill an inspection without signal (results, check-in with
   the device's position, photos kept as blobs, the party's signature on signature_pad, the
   officer's signature), queues it with the device's time, and sends the queue to
   POST /api/v1/inspections/sync when the connection returns. Each item carries a client_id
   fixed when it is first queued, so a retry after a lost answer never writes twice; the
   server's outcome (applied, duplicate, conflict, refused) is shown on the task.
   Every word shown comes from the page (config.strings), translated on the server. */
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("field-config").textContent);
  const S = config.strings;
  const root = document.getElementById("field-app");
  const network = document.querySelector("[data-field-network]");
  const BATCH_BYTES = 6 * 1024 * 1024; // a request of a few megabytes (photos in base64)
  const BATCH_ITEMS = 10;
  let db = null;
  let pack = null;
  let syncing = false;
  let pad = null;
  let notice = null; // {kind, text} shown once above the current view
  let current = null; // the task on screen: {task, entry, locked, checklist}

  // Words and markup ------------------------------------------------------------------------

  function t(key, values) {
    let text = S[key] || key;
    Object.keys(values || {}).forEach(function (name) {
      text = text.split("%(" + name + ")s").join(String(values[name]));
    });
    return text;
  }

  function esc(value) {
    return String(value === null || value === undefined ? "" : value).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function pad2(n) {
    return String(n).padStart(2, "0");
  }

  function localTime(iso) {
    if (!iso) {
      return "";
    }
    const d = new Date(iso);
    return d.getFullYear() + "-" + pad2(d.getMonth() + 1) + "-" + pad2(d.getDate()) + " " +
      pad2(d.getHours()) + ":" + pad2(d.getMinutes());
  }

  function today() {
    const d = new Date();
    return d.getFullYear() + "-" + pad2(d.getMonth() + 1) + "-" + pad2(d.getDate());
  }

  function uuid() {
    if (crypto.randomUUID) {
      return crypto.randomUUID();
    }
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, function (x) { return x.toString(16).padStart(2, "0"); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  async function sha256(blob) {
    const digest = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
    return Array.from(new Uint8Array(digest), function (x) { return x.toString(16).padStart(2, "0"); }).join("");
  }

  function base64(blob) {
    return new Promise(function (resolve, reject) {
      const reader = new FileReader();
      reader.onload = function () { resolve(String(reader.result)); };
      reader.onerror = function () { reject(reader.error); };
      reader.readAsDataURL(blob);
    });
  }

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  // The phone's storage ----------------------------------------------------------------------

  async function openStore() {
    // One database per officer: a phone handed to a colleague never mixes their queues.
    return idb.openDB("xiaoneng-field-" + config.username, 1, {
      upgrade: function (database) {
        database.createObjectStore("pack");
        database.createObjectStore("entries", { keyPath: "key" });
      }
    });
  }

  function entryKey(taskId) {
    return "task:" + taskId;
  }

  async function entries() {
    return db.getAll("entries");
  }

  async function entryFor(task) {
    const kept = await db.get("entries", entryKey(task.task_id));
    if (kept) {
      return kept;
    }
    const results = {};
    if (task.draft) {
      task.draft.results.forEach(function (row) {
        results[row.item] = { result: row.result || "", note: row.note || "" };
      });
    }
    return {
      key: entryKey(task.task_id),
      task_id: task.task_id,
      inspection_id: task.draft ? task.draft.inspection_id : null,
      revision: task.draft ? task.draft.revision : null,
      checklist_id: task.checklist_id,
      state: "new",
      client_id: null,
      results: results,
      summary: task.draft ? task.draft.summary || "" : "",
      started_at: null,
      finished_at: null,
      position: null,
      photos: [],
      party: { signer_name: "", signer_role: "", statement: "", refused: false, witness_name: "", witness_role: "", image: "", captured_at: null },
      sign: false,
      captured_at: null,
      outcome: null
    };
  }

  async function keepEntry(entry) {
    await db.put("entries", entry);
  }

  // The pack ---------------------------------------------------------------------------------

  async function download() {
    const response = await fetch(config.pack_url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (response.status === 401 || response.status === 403 || response.redirected) {
      throw new Failure(t("login_again"));
    }
    if (!response.ok) {
      throw new Failure(t("server_error", { status: response.status }));
    }
    const fresh = await response.json();
    if (fresh.officer.username !== config.username) {
      throw new Failure(t("wrong_user", { owner: config.officer, user: fresh.officer.name }));
    }
    fresh.downloaded_at = new Date().toISOString();
    await db.put("pack", fresh, "pack");
    pack = fresh;
    // A task that left the pack (done or cancelled elsewhere) keeps its entry while it still
    // has something to send or to show: a synced one is shown for a week, then forgotten.
    const week = Date.now() - 7 * 24 * 3600 * 1000;
    for (const entry of await entries()) {
      const synced = entry.state === "applied" || entry.state === "duplicate";
      const gone = !fresh.tasks.some(function (task) { return task.task_id === entry.task_id; });
      if (synced && gone && Date.parse(entry.outcome.synced_at) < week) {
        await db.delete("entries", entry.key);
      }
    }
    return fresh;
  }

  function Failure(message) {
    this.message = message;
  }

  function taskById(id) {
    return ((pack && pack.tasks) || []).find(function (task) { return task.task_id === id; });
  }

  function checklistById(id) {
    return ((pack && pack.checklists) || []).find(function (list) { return list.id === id; });
  }

  // Syncing ----------------------------------------------------------------------------------

  async function itemOf(entry) {
    const draft = {
      results: Object.keys(entry.results)
        .filter(function (id) { return entry.results[id].result || entry.results[id].note; })
        .map(function (id) {
          return { item: Number(id), result: entry.results[id].result || "", note: entry.results[id].note || "" };
        }),
      summary: entry.summary || "",
      started_at: entry.started_at,
      finished_at: entry.finished_at
    };
    const item = { client_id: entry.client_id, captured_at: entry.captured_at, draft: draft };
    if (entry.inspection_id) {
      item.inspection_id = entry.inspection_id;
      item.revision = entry.revision;
    } else {
      item.task_id = entry.task_id;
      if (entry.checklist_id) {
        item.checklist_id = entry.checklist_id;
      }
    }
    if (entry.position) {
      item.position = entry.position;
    }
    item.photos = [];
    for (const photo of entry.photos) {
      item.photos.push({ client_id: photo.client_id, name: photo.name, sha256: photo.sha256, data: await base64(photo.blob) });
    }
    const party = entry.party;
    if (party.signer_name || party.refused || party.image) {
      item.party_signature = {
        signer_name: party.signer_name,
        signer_role: party.signer_role,
        statement: party.statement,
        refused: Boolean(party.refused),
        witness_name: party.refused ? party.witness_name : "",
        witness_role: party.refused ? party.witness_role : "",
        image: party.refused ? "" : party.image,
        captured_at: party.captured_at || entry.captured_at
      };
    }
    if (entry.sign) {
      item.sign = { at: entry.captured_at };
    }
    return item;
  }

  async function send(batch) {
    const response = await fetch(config.sync_url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({ items: batch.map(function (pair) { return pair.item; }) })
    });
    if (response.status === 401 || response.status === 403) {
      throw new Failure(t("login_again"));
    }
    if (!response.ok) {
      throw new Failure(t("server_error", { status: response.status }));
    }
    const answer = await response.json();
    for (let i = 0; i < batch.length; i += 1) {
      const entry = batch[i].entry;
      const outcome = answer.items[i];
      entry.outcome = outcome;
      entry.state = outcome.outcome;
      if (outcome.outcome === "applied" || outcome.outcome === "duplicate") {
        entry.inspection_id = outcome.inspection_id;
        entry.revision = outcome.revision;
        entry.photos = entry.photos.map(function (photo) {
          return { client_id: photo.client_id, name: photo.name, sha256: photo.sha256, blob: null, sent: true };
        });
      }
      await keepEntry(entry);
    }
  }

  async function sync() {
    if (syncing || !navigator.onLine) {
      return;
    }
    syncing = true;
    renderStatus(t("syncing"));
    try {
      // The pack first: it proves the session is this officer's before anything is sent.
      await download();
      const queued = (await entries()).filter(function (entry) { return entry.state === "queued"; });
      let batch = [];
      let bytes = 0;
      for (const entry of queued) {
        const item = await itemOf(entry);
        const size = JSON.stringify(item).length;
        if (batch.length && (batch.length >= BATCH_ITEMS || bytes + size > BATCH_BYTES)) {
          await send(batch);
          batch = [];
          bytes = 0;
        }
        batch.push({ entry: entry, item: item });
        bytes += size;
      }
      if (batch.length) {
        await send(batch);
        await download();
      }
    } catch (error) {
      notice = { kind: "warning", text: error instanceof Failure ? error.message : t("network_error") };
    } finally {
      syncing = false;
      await render();
    }
  }

  // Views ------------------------------------------------------------------------------------

  const BADGES = {
    new: "text-bg-light border",
    editing: "text-bg-info",
    queued: "text-bg-warning",
    applied: "text-bg-success",
    duplicate: "text-bg-success",
    conflict: "text-bg-danger",
    refused: "text-bg-danger"
  };

  function badge(state) {
    return '<span class="badge ' + BADGES[state] + '" data-state="' + esc(state) + '">' + esc(t("state_" + state)) + "</span>";
  }

  async function renderStatus(busy) {
    const all = db ? await entries() : [];
    const queued = all.filter(function (entry) { return entry.state === "queued"; }).length;
    network.textContent = navigator.onLine ? t("online") : t("offline");
    network.className = "badge " + (navigator.onLine ? "text-bg-success" : "text-bg-secondary");
    const bar = root.querySelector("[data-field-status]");
    if (!bar) {
      return;
    }
    bar.querySelector("[data-field-downloaded]").textContent = pack ? t("downloaded", { at: localTime(pack.downloaded_at) }) : t("never_downloaded");
    bar.querySelector("[data-field-queue]").textContent = busy || (queued ? t("queued", { n: queued }) : t("nothing_queued"));
    bar.querySelectorAll("button").forEach(function (button) {
      button.disabled = !navigator.onLine || syncing;
    });
  }

  function statusBar() {
    return '<div class="card mb-3" data-field-status><div class="card-body py-2 d-flex flex-wrap gap-2 align-items-center">' +
      '<span class="small text-muted me-auto"><span data-field-downloaded></span> · <span data-field-queue></span></span>' +
      '<button type="button" class="btn btn-sm btn-outline-primary" data-action="download"><i class="bi bi-cloud-download"></i> ' + esc(t("download")) + "</button>" +
      '<button type="button" class="btn btn-sm btn-primary" data-action="sync"><i class="bi bi-arrow-repeat"></i> ' + esc(t("sync")) + "</button>" +
      "</div></div>";
  }

  function noticeHtml() {
    if (!notice) {
      return "";
    }
    const html = '<div class="alert alert-' + esc(notice.kind) + '" role="alert" data-field-notice>' + esc(notice.text) + "</div>";
    notice = null;
    return html;
  }

  function lastFindings(task) {
    const last = task.last_inspection;
    if (!last) {
      return '<div class="small text-muted">' + esc(t("no_last")) + "</div>";
    }
    let html = '<div class="small text-muted">' + esc(t("last", { day: last.visited_on }));
    if (last.summary) {
      html += "：" + esc(last.summary);
    }
    html += "</div>";
    if (last.failed.length) {
      html += '<ul class="small text-danger mb-0 ps-3">' + last.failed.map(function (row) {
        return "<li>" + esc(t("last_failed")) + esc(row.number) + " " + esc(row.title) + (row.note ? "（" + esc(row.note) + "）" : "") + "</li>";
      }).join("") + "</ul>";
    }
    return html;
  }

  async function renderList() {
    const kept = {};
    (await entries()).forEach(function (entry) { kept[entry.task_id] = entry; });
    const tasks = (pack && pack.tasks) || [];
    let html = statusBar() + noticeHtml();
    html += '<h2 class="h6">' + esc(t("tasks")) + "</h2>";
    if (!pack) {
      html += '<p class="text-muted">' + esc(t("never_downloaded")) + "</p>";
    } else if (!tasks.length) {
      html += '<p class="text-muted">' + esc(t("no_tasks", { days: pack.days })) + "</p>";
    }
    html += '<div class="list-group mb-3">';
    tasks.forEach(function (task) {
      const entry = kept[task.task_id];
      const state = entry ? entry.state : "new";
      const day = task.scheduled_on || task.due_on;
      const late = day && day < today();
      html += '<a class="list-group-item list-group-item-action" href="#task/' + task.task_id + '" data-task="' + task.task_id + '">' +
        '<div class="d-flex gap-2 align-items-start"><div class="me-auto fw-semibold">' + esc(task.entity.name) + "</div>" + badge(state) + "</div>" +
        '<div class="small">' + esc(task.entity.address) + "</div>" +
        '<div class="small">' + (task.scheduled_on ? esc(t("scheduled", { day: task.scheduled_on })) : "") +
        (task.due_on ? " · " + esc(t("due", { day: task.due_on })) : "") +
        (late ? ' <span class="badge text-bg-danger">' + esc(t("overdue")) + "</span>" : "") + "</div>" +
        lastFindings(task) + "</a>";
    });
    html += "</div>";
    // What was captured for tasks no longer in the pack (done since): their outcomes stay visible.
    const gone = Object.values(kept).filter(function (entry) { return !taskById(entry.task_id) && entry.state !== "new"; });
    if (gone.length) {
      html += '<h2 class="h6">' + esc(t("outcome")) + '</h2><ul class="list-group mb-3">';
      gone.forEach(function (entry) {
        const outcome = entry.outcome;
        const link = outcome && outcome.inspection_id && navigator.onLine
          ? ' <a href="' + esc(recordUrl(outcome.inspection_id)) + '">' + esc(t("open_record")) + "</a>"
          : "";
        html += '<li class="list-group-item small" data-entry="' + entry.task_id + '">' + badge(entry.state) + " " +
          esc(outcome ? outcome.detail : "") + link + "</li>";
      });
      html += "</ul>";
    }
    root.innerHTML = html;
    await renderStatus();
  }

  function resultButtons(item, current) {
    return ["pass", "fail", "na"].map(function (value) {
      const id = "r-" + item.id + "-" + value;
      return '<input type="radio" class="btn-check" name="result-' + item.id + '" id="' + id + '" value="' + value + '"' +
        (current === value ? " checked" : "") + ">" +
        '<label class="btn btn-sm btn-outline-' + (value === "fail" ? "danger" : value === "pass" ? "success" : "secondary") + '" for="' + id + '">' + esc(t(value)) + "</label>";
    }).join("");
  }

  function outcomeHtml(entry) {
    const outcome = entry.outcome;
    if (!outcome || entry.state === "queued") {
      return "";
    }
    const kind = outcome.outcome === "applied" || outcome.outcome === "duplicate" ? "success" : "danger";
    let html = '<div class="alert alert-' + kind + '" data-field-outcome="' + esc(outcome.outcome) + '"><div>' + esc(outcome.detail) + "</div>";
    if (outcome.errors.length > 1) {
      html += '<ul class="mb-0">' + outcome.errors.map(function (error) { return "<li>" + esc(error.message) + "</li>"; }).join("") + "</ul>";
    }
    if (outcome.synced_at) {
      html += '<div class="small">' + esc(t("synced_at", { at: localTime(outcome.synced_at) })) + "</div>";
    }
    if (kind === "success" && outcome.inspection_id && navigator.onLine) {
      html += '<a class="alert-link small" href="' + esc(recordUrl(outcome.inspection_id)) + '">' + esc(t("open_record")) + "</a>";
    }
    if (kind === "success" && outcome.status === "draft") {
      html += '<div class="mt-2"><button type="button" class="btn btn-sm btn-outline-primary" data-action="continue">' + esc(t("continue")) + "</button></div>";
    }
    if (outcome.outcome === "conflict") {
      html += '<div class="mt-2"><button type="button" class="btn btn-sm btn-outline-danger" data-action="discard">' + esc(t("discard")) + "</button></div>";
    }
    return html + "</div>";
  }

  function recordUrl(id) {
    return config.record_url.replace("/0/", "/" + id + "/");
  }

  function checkinText(position) {
    if (!position) {
      return t("checkin_none");
    }
    return t("checkin_done", {
      lat: position.latitude.toFixed(5),
      lng: position.longitude.toFixed(5),
      acc: Math.round(position.accuracy || 0),
      at: localTime(position.at)
    });
  }

  async function renderTask(taskId) {
    const task = taskById(taskId);
    if (!task) {
      location.hash = "";
      return;
    }
    const entry = await entryFor(task);
    const checklist = checklistById(entry.checklist_id);
    const done = entry.state === "applied" || entry.state === "duplicate" || entry.state === "conflict";
    const locked = done || entry.state === "queued";
    let html = '<a href="#" class="small d-inline-block mb-2" data-action="back"><i class="bi bi-chevron-left"></i> ' + esc(t("back")) + "</a>";
    html += noticeHtml();
    html += '<div class="d-flex gap-2 align-items-start"><h2 class="h5 me-auto mb-1">' + esc(task.entity.name) + "</h2>" + badge(entry.state) + "</div>";
    html += '<div class="small text-muted mb-1">' + esc(task.entity.uscc) + " · " + esc(task.entity.address) + "</div>";
    html += '<div class="mb-2">' + lastFindings(task) + "</div>";
    if (task.draft) {
      html += '<div class="small text-muted mb-2">' + esc(t("draft_on_server", { revision: task.draft.revision, who: task.draft.updated_by })) + "</div>";
    }
    html += outcomeHtml(entry);
    html += '<form data-field-form novalidate><fieldset' + (locked ? " disabled" : "") + ">";
    html += '<h3 class="h6 mt-3">' + esc(t("items")) + "</h3>";
    ((checklist && checklist.items) || []).forEach(function (item) {
      const current = entry.results[item.id] || { result: "", note: "" };
      html += '<div class="border rounded p-2 mb-2" data-item="' + item.id + '">' +
        '<div class="fw-semibold small">' + esc(item.number) + " " + esc(item.title) + "</div>" +
        '<div class="small text-muted">' + esc(item.method) + "</div>" +
        (item.legal_basis ? '<div class="small text-muted">' + esc(t("basis")) + "：" + esc(item.legal_basis) + "</div>" : "") +
        '<div class="btn-group my-1" role="group">' + resultButtons(item, current.result) + "</div>" +
        '<textarea class="form-control form-control-sm" rows="1" name="note-' + item.id + '" placeholder="' + esc(t("note")) + '" aria-label="' + esc(t("note")) + '">' + esc(current.note) + "</textarea></div>";
    });
    html += '<label class="form-label mt-2" for="field-summary">' + esc(t("summary")) + "</label>" +
      '<textarea class="form-control" id="field-summary" name="summary" rows="2">' + esc(entry.summary) + "</textarea>";
    html += '<h3 class="h6 mt-3">' + esc(t("checkin")) + "</h3>" +
      '<div class="d-flex flex-wrap gap-2 align-items-center"><button type="button" class="btn btn-sm btn-outline-primary" data-action="checkin"><i class="bi bi-geo-alt"></i> ' + esc(t("checkin_do")) + "</button>" +
      '<span class="small" data-field-checkin>' + esc(checkinText(entry.position)) + "</span></div>";
    html += '<h3 class="h6 mt-3">' + esc(t("photos")) + "</h3>" +
      '<label class="btn btn-sm btn-outline-primary"><i class="bi bi-camera"></i> ' + esc(t("photos_add")) +
      '<input type="file" class="d-none" accept="image/*" capture="environment" multiple data-field-photos></label>' +
      '<div class="d-flex flex-wrap gap-2 mt-2" data-field-thumbs></div>';
    const party = entry.party;
    html += '<h3 class="h6 mt-3">' + esc(t("party")) + "</h3>" +
      '<div class="row g-2"><div class="col-7"><input class="form-control form-control-sm" name="signer_name" placeholder="' + esc(t("party_name")) + '" aria-label="' + esc(t("party_name")) + '" value="' + esc(party.signer_name) + '"></div>' +
      '<div class="col-5"><input class="form-control form-control-sm" name="signer_role" placeholder="' + esc(t("party_role")) + '" aria-label="' + esc(t("party_role")) + '" value="' + esc(party.signer_role) + '"></div></div>' +
      '<textarea class="form-control form-control-sm mt-2" name="statement" rows="1" placeholder="' + esc(t("party_statement")) + '" aria-label="' + esc(t("party_statement")) + '">' + esc(party.statement) + "</textarea>" +
      '<div class="my-2">' +
      '<div class="form-check form-check-inline"><input class="form-check-input" type="radio" name="refused" id="party-signs" value=""' + (party.refused ? "" : " checked") + '><label class="form-check-label" for="party-signs">' + esc(t("party_signs")) + "</label></div>" +
      '<div class="form-check form-check-inline"><input class="form-check-input" type="radio" name="refused" id="party-refuses" value="1"' + (party.refused ? " checked" : "") + '><label class="form-check-label" for="party-refuses">' + esc(t("party_refused")) + "</label></div></div>" +
      '<div data-field-pad class="' + (party.refused ? "d-none" : "") + '"><canvas class="party-pad border rounded w-100" data-testid="field-party-pad"></canvas>' +
      '<button type="button" class="btn btn-sm btn-link px-0" data-action="clear">' + esc(t("clear")) + "</button></div>" +
      '<div data-field-witness class="row g-2 ' + (party.refused ? "" : "d-none") + '"><div class="col-7"><input class="form-control form-control-sm" name="witness_name" placeholder="' + esc(t("witness_name")) + '" aria-label="' + esc(t("witness_name")) + '" value="' + esc(party.witness_name) + '"></div>' +
      '<div class="col-5"><input class="form-control form-control-sm" name="witness_role" placeholder="' + esc(t("witness_role")) + '" aria-label="' + esc(t("witness_role")) + '" value="' + esc(party.witness_role) + '"></div></div>';
    html += '<div class="d-grid gap-2 mt-3">' +
      '<button type="button" class="btn btn-primary" data-action="submit">' + esc(t("submit")) + "</button>" +
      '<button type="button" class="btn btn-outline-secondary btn-sm" data-action="submit-draft">' + esc(t("submit_draft")) + "</button>" +
      '<button type="button" class="btn btn-outline-secondary btn-sm" data-action="save">' + esc(t("save")) + "</button></div>";
    html += "</fieldset></form>";
    if (entry.state === "queued") {
      html += '<div class="d-grid mt-2"><button type="button" class="btn btn-outline-secondary btn-sm" data-action="edit">' + esc(t("edit_again")) + "</button></div>";
    }
    root.innerHTML = statusBar() + html;
    await renderStatus();
    wireTask(task, entry, locked);
  }

  function thumbs(entry, locked) {
    const box = root.querySelector("[data-field-thumbs]");
    box.innerHTML = "";
    entry.photos.forEach(function (photo, index) {
      const figure = document.createElement("figure");
      figure.className = "mb-0 text-center";
      if (photo.blob) {
        const img = document.createElement("img");
        img.src = URL.createObjectURL(photo.blob);
        img.alt = photo.name;
        img.className = "rounded border";
        img.style.width = "96px";
        img.style.height = "96px";
        img.style.objectFit = "cover";
        figure.appendChild(img);
      }
      const caption = document.createElement("figcaption");
      caption.className = "small text-muted text-truncate";
      caption.style.maxWidth = "96px";
      caption.textContent = photo.name;
      figure.appendChild(caption);
      if (!locked) {
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "btn btn-sm btn-link text-danger p-0";
        remove.textContent = t("photo_remove");
        remove.addEventListener("click", async function () {
          entry.photos.splice(index, 1);
          await keepEntry(entry);
          thumbs(entry, locked);
        });
        figure.appendChild(remove);
      }
      box.appendChild(figure);
    });
  }

  function readForm(entry) {
    const form = root.querySelector("[data-field-form]");
    form.querySelectorAll("[data-item]").forEach(function (box) {
      const id = box.getAttribute("data-item");
      const checked = box.querySelector("input[type=radio]:checked");
      entry.results[id] = { result: checked ? checked.value : "", note: box.querySelector("textarea").value.trim() };
    });
    entry.summary = form.elements.namedItem("summary").value.trim();
    const party = entry.party;
    ["signer_name", "signer_role", "statement", "witness_name", "witness_role"].forEach(function (name) {
      party[name] = form.elements.namedItem(name).value.trim();
    });
    const refusing = form.querySelector("input[name=refused]:checked");
    party.refused = Boolean(refusing && refusing.value);
    if (pad && !party.refused && !pad.isEmpty()) {
      party.image = pad.toDataURL("image/png");
    } else if (pad && pad.isEmpty()) {
      party.image = "";
    }
  }

  function problems(entry, checklist, signing) {
    const found = [];
    if (!signing) {
      return found;
    }
    const missing = ((checklist && checklist.items) || []).filter(function (item) {
      return !(entry.results[item.id] && entry.results[item.id].result);
    }).map(function (item) { return item.number; });
    if (missing.length) {
      found.push(t("missing_results", { numbers: missing.join("、") }));
    }
    if (!entry.position) {
      found.push(t("missing_checkin"));
    }
    const party = entry.party;
    if (party.refused && !party.witness_name) {
      found.push(t("missing_witness"));
    }
    if (!party.refused && (party.signer_name || party.image) && !(party.signer_name && party.image)) {
      found.push(t("missing_party"));
    }
    return found;
  }

  function wireTask(task, entry, locked) {
    current = { task: task, entry: entry, locked: locked, checklist: checklistById(entry.checklist_id) };
    thumbs(entry, locked);
    if (!entry.started_at && !locked) {
      entry.started_at = new Date().toISOString();
    }
    const canvas = root.querySelector("[data-field-form] canvas");
    pad = new SignaturePad(canvas, { backgroundColor: "rgb(255, 255, 255)", penColor: "rgb(17, 17, 17)", minWidth: 1, maxWidth: 3 });
    const ratio = Math.max(window.devicePixelRatio || 1, 1);
    if (canvas.offsetWidth) {
      canvas.width = canvas.offsetWidth * ratio;
      canvas.height = canvas.offsetHeight * ratio;
      canvas.getContext("2d").scale(ratio, ratio);
      pad.clear();
    }
    if (entry.party.image) {
      pad.fromDataURL(entry.party.image, { ratio: 1, width: canvas.offsetWidth, height: canvas.offsetHeight });
    }
    if (locked) {
      pad.off();
    }
    pad.addEventListener("endStroke", function () {
      entry.party.captured_at = new Date().toISOString();
      touched(entry);
    });
  }

  // The form's events, one listener each for every view (the view is redrawn, not rewired).

  function touched(entry) {
    readForm(entry);
    if (entry.state === "new") {
      entry.state = "editing";
    }
    return keepEntry(entry);
  }

  async function again() {
    await renderTask(current.task.task_id);
  }

  root.addEventListener("change", async function (event) {
    if (!current || current.locked || !event.target.closest("[data-field-form]")) {
      return;
    }
    const entry = current.entry;
    if (event.target.matches("[data-field-photos]")) {
      for (const file of Array.from(event.target.files)) {
        entry.photos.push({ client_id: uuid(), name: file.name || "photo.jpg", type: file.type, blob: file, sha256: await sha256(file), taken_at: new Date().toISOString() });
      }
      event.target.value = "";
      await touched(entry);
      thumbs(entry, false);
      return;
    }
    if (event.target.name === "refused") {
      const refusing = Boolean(event.target.value);
      root.querySelector("[data-field-pad]").classList.toggle("d-none", refusing);
      root.querySelector("[data-field-witness]").classList.toggle("d-none", !refusing);
    }
    await touched(entry);
  });

  root.addEventListener("click", async function (event) {
    const button = event.target.closest("[data-action]");
    if (!button) {
      return;
    }
    const action = button.getAttribute("data-action");
    if (action === "download" || action === "sync") {
      await sync();
      return;
    }
    if (!current) {
      return;
    }
    const entry = current.entry;
    if (action === "back") {
      event.preventDefault();
      location.hash = "";
    } else if (action === "clear") {
      pad.clear();
      entry.party.image = "";
      await keepEntry(entry);
    } else if (action === "checkin") {
      checkin(entry);
    } else if (action === "save") {
      await touched(entry);
      notice = { kind: "success", text: t("saved") };
      await again();
    } else if (action === "submit" || action === "submit-draft") {
      readForm(entry);
      const signing = action === "submit";
      const found = problems(entry, current.checklist, signing);
      if (found.length) {
        await touched(entry);
        notice = { kind: "danger", text: found.join("；") };
        await again();
        return;
      }
      const now = new Date().toISOString();
      entry.captured_at = now;
      entry.finished_at = entry.finished_at || now;
      entry.sign = signing;
      entry.client_id = entry.client_id || uuid();
      entry.state = "queued";
      await keepEntry(entry);
      notice = { kind: "success", text: t("submitted") };
      await again();
      sync();
    } else if (action === "edit") {
      // Back to editing before it was sent (or after the server refused it, which wrote
      // nothing): it keeps its client_id, so an earlier attempt whose answer was lost is
      // still recognised and never written twice.
      entry.state = "editing";
      entry.finished_at = null;
      await keepEntry(entry);
      await again();
    } else if (action === "continue") {
      // A draft synced without signing: go on from the server's revision as a new item.
      entry.state = "editing";
      entry.client_id = null;
      entry.finished_at = null;
      entry.sign = false;
      entry.outcome = null;
      entry.photos = entry.photos.filter(function (photo) { return !photo.sent; });
      await keepEntry(entry);
      await again();
    } else if (action === "discard") {
      if (!window.confirm(t("discard_confirm"))) {
        return;
      }
      await db.delete("entries", entry.key);
      location.hash = "";
      await sync();
    }
  });

  function checkin(entry) {
    const label = root.querySelector("[data-field-checkin]");
    if (!navigator.geolocation) {
      label.textContent = t("checkin_failed", { reason: "geolocation" });
      return;
    }
    navigator.geolocation.getCurrentPosition(
      async function (found) {
        entry.position = {
          longitude: found.coords.longitude,
          latitude: found.coords.latitude,
          accuracy: found.coords.accuracy,
          at: new Date(found.timestamp || Date.now()).toISOString()
        };
        if (entry.state === "new") {
          entry.state = "editing";
        }
        await keepEntry(entry);
        label.textContent = checkinText(entry.position);
      },
      function (error) {
        label.textContent = t("checkin_failed", { reason: error.message });
      },
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 }
    );
  }

  async function render() {
    pad = null;
    current = null;
    const match = location.hash.match(/^#task\/(\d+)$/);
    if (match) {
      await renderTask(Number(match[1]));
    } else {
      await renderList();
    }
  }

  // Start ------------------------------------------------------------------------------------

  window.addEventListener("hashchange", render);
  window.addEventListener("online", function () { sync(); });
  window.addEventListener("offline", function () { renderStatus(); });

  async function start() {
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register(config.worker_url, { scope: config.scope }).catch(function () {});
    }
    try {
      db = await openStore();
    } catch (error) {
      root.innerHTML = '<div class="alert alert-danger">' + esc(t("storage_error", { reason: error.message })) + "</div>";
      return;
    }
    pack = (await db.get("pack", "pack")) || null;
    await render();
    if (navigator.onLine) {
      await sync();
    }
  }

  start();
})();
