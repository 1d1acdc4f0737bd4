// stakhanov: the scanning page. Decodes badges and tickets from camera pictures with jsQR, keeps
// each entry in this phone's storage under an id made here, and sends the queue whenever the
// network lets it; the server answers per id, and an id sent twice is written once.
"use strict";

(function () {
  const root = document.getElementById("scanner");
  if (!root) return;
  const say = (key) => root.dataset[key] || key;
  const account = root.dataset.account;
  const QUEUE = "stakhanov.queue." + account;
  const REFUSED = "stakhanov.refused." + account;
  const RECORDED = "stakhanov.recorded." + account;
  const WORKER = "stakhanov.worker." + account;
  const BATCH = 200;
  let sending = false;

  function load(key) {
    try {
      const value = JSON.parse(localStorage.getItem(key) || "[]");
      return Array.isArray(value) ? value : [];
    } catch (err) {
      return [];
    }
  }

  function save(key, value) {
    localStorage.setItem(key, JSON.stringify(value));
  }

  function newId() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return "c-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function byId(id) {
    return document.getElementById(id);
  }

  function fill(list, items, line) {
    list.replaceChildren();
    for (const item of items) {
      const li = document.createElement("li");
      line(li, item);
      list.append(li);
    }
  }

  function render() {
    const queue = load(QUEUE);
    byId("waiting").textContent = String(queue.length);
    fill(byId("queue"), queue, (li, e) => { li.textContent = e.worker_id + " · " + e.shown; });
    fill(byId("refused"), load(REFUSED), (li, e) => {
      li.className = "error";
      const what = document.createElement("strong");
      what.textContent = e.worker_id + " · " + e.shown + ": ";
      li.append(what);
      const reasons = Object.entries(e.errors || {}).map(([field, text]) => field + ": " + text);
      li.append(document.createTextNode(reasons.length ? reasons.join("; ") : e.message));
    });
    fill(byId("recorded"), load(RECORDED), (li, e) => {
      li.className = "ok";
      li.textContent = e.message;
    });
    const worker = sessionStorage.getItem(WORKER);
    byId("worker").textContent = worker || say("tNoWorker");
    byId("network").textContent = navigator.onLine ? say("tOnline") : say("tOffline");
  }

  async function decodeFile(file) {
    const bitmap = await createImageBitmap(file);
    const longest = Math.max(bitmap.width, bitmap.height);
    // A phone's picture is large: try it scaled down first, then whole.
    for (const limit of [1200, longest]) {
      const scale = Math.min(1, limit / longest);
      const width = Math.max(1, Math.round(bitmap.width * scale));
      const height = Math.max(1, Math.round(bitmap.height * scale));
      const canvas = document.createElement("canvas");
      canvas.width = width;
      canvas.height = height;
      const context = canvas.getContext("2d", { willReadFrequently: true });
      context.drawImage(bitmap, 0, 0, width, height);
      const code = jsQR(context.getImageData(0, 0, width, height).data, width, height);
      if (code) return code.data;
      if (scale === 1) break;
    }
    return null;
  }

  function parse(text) {
    const match = /^stk1:(ticket|worker)\?(.*)$/.exec(text || "");
    if (!match) return null;
    return { kind: match[1], fields: new URLSearchParams(match[2]) };
  }

  async function scanned(input) {
    const file = input.files && input.files[0];
    input.value = "";
    if (!file) return null;
    const text = await decodeFile(file).catch(() => null);
    return { text: text, code: parse(text) };
  }

  byId("badge-photo").addEventListener("change", async (event) => {
    const found = await scanned(event.target);
    if (!found) return;
    if (!found.code || found.code.kind !== "worker") {
      byId("scanned").textContent = say("tNotBadge");
      return;
    }
    sessionStorage.setItem(WORKER, found.code.fields.get("id"));
    byId("scanned").textContent = "";
    render();
  });

  byId("ticket-photo").addEventListener("change", async (event) => {
    const found = await scanned(event.target);
    if (!found) return;
    const worker = sessionStorage.getItem(WORKER);
    const status = byId("scanned");
    if (!found.code || found.code.kind !== "ticket") {
      status.textContent = found.code ? say("tNotTicket") : say("tNoCode");
      return;
    }
    if (!worker) {
      status.textContent = say("tBadgeFirst");
      return;
    }
    const f = found.code.fields;
    const entry = {
      client_id: newId(),
      worker_id: worker,
      ticket: found.text,
      hours: byId("hours").value.trim(),
      date: byId("date").value,
      shown: f.get("id") + " · " + f.get("op") + " " + f.get("qty") + " " + f.get("unit"),
    };
    const queue = load(QUEUE);
    queue.push(entry);
    save(QUEUE, queue);
    status.textContent = say("tQueued") + " " + entry.shown;
    render();
    send();
  });

  async function send() {
    const queue = load(QUEUE);
    if (sending || !queue.length) return;
    sending = true;
    const batch = queue.slice(0, BATCH);
    try {
      const response = await fetch(root.dataset.sync, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": root.dataset.csrf },
        body: JSON.stringify({ entries: batch.map(({ shown, ...entry }) => entry) }),
        credentials: "same-origin",
      });
      if (!response.ok) {
        byId("network").textContent = say("tServerRefused") + " " + response.status;
        return;
      }
      const answer = await response.json();
      settle(batch, answer.outcomes || []);
    } catch (err) {
      byId("network").textContent = say("tOffline");
      return;
    } finally {
      sending = false;
    }
    render();
    if (load(QUEUE).length) send();
  }

  // The server says each outcome in English (message, errors) and in this page's language
  // (said, said_errors); the person reads the latter, where the server sent it.
  function told(outcome) {
    const errors = outcome.said_errors && Object.keys(outcome.said_errors).length
      ? outcome.said_errors : outcome.errors;
    return { message: outcome.said || outcome.message, errors: errors };
  }

  function settle(batch, outcomes) {
    const sent = new Map(batch.map((e) => [e.client_id, e]));
    const done = new Set();
    const refused = load(REFUSED);
    const recorded = load(RECORDED);
    for (const outcome of outcomes) {
      const entry = sent.get(outcome.client_id);
      if (!entry) continue;
      done.add(outcome.client_id);
      if (outcome.status === "refused") {
        refused.push({ ...entry, ...told(outcome) });
      } else {
        recorded.unshift({ client_id: outcome.client_id, message: told(outcome).message });
      }
    }
    save(QUEUE, load(QUEUE).filter((e) => !done.has(e.client_id)));
    save(REFUSED, refused);
    save(RECORDED, recorded.slice(0, 50));
  }

  byId("send").addEventListener("click", send);
  byId("clear-refused").addEventListener("click", () => {
    save(REFUSED, []);
    render();
  });
  window.addEventListener("online", () => { render(); send(); });
  window.addEventListener("offline", render);
  setInterval(send, 30000);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/offline-sw.js").catch(() => undefined);
  }
  render();
  send();
})();
