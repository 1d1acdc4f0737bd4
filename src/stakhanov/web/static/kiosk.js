// stakhanov: the kiosk without a network. While the terminal is offline a submitted entry is
// kept here (with the PIN, which only the server can check) under an id made here, and sent to
// /kiosk/sync when the network returns; refused entries are listed with the server's reasons.
"use strict";

(function () {
  const form = document.getElementById("kiosk-form");
  const box = document.getElementById("kiosk-offline");
  if (!form || !box) return;
  const say = (key) => box.dataset[key] || key;
  const QUEUE = "stakhanov.kiosk.queue." + box.dataset.account;
  const REFUSED = "stakhanov.kiosk.refused." + box.dataset.account;
  let sending = false;

  const load = (key) => {
    try {
      const value = JSON.parse(localStorage.getItem(key) || "[]");
      return Array.isArray(value) ? value : [];
    } catch (err) {
      return [];
    }
  };
  const save = (key, value) => localStorage.setItem(key, JSON.stringify(value));

  function newId() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return "k-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function render() {
    const queue = load(QUEUE);
    document.getElementById("kiosk-waiting").textContent = String(queue.length);
    const list = document.getElementById("kiosk-refused");
    list.replaceChildren();
    for (const entry of load(REFUSED)) {
      const li = document.createElement("li");
      li.className = "error";
      const reasons = Object.entries(entry.errors || {}).map(([f, text]) => f + ": " + text);
      li.textContent = entry.worker_id + " · " + entry.shift_id + " · " + entry.operation + ": " +
        (reasons.length ? reasons.join("; ") : entry.message);
      list.append(li);
    }
    box.hidden = !queue.length && !list.children.length && navigator.onLine;
  }

  form.addEventListener("submit", (event) => {
    if (navigator.onLine) return;  // the ordinary post, answered by the server at once
    event.preventDefault();
    const data = new FormData(form);
    const entry = { client_id: newId() };
    for (const name of ["worker_id", "pin", "shift_id", "operation", "hours"]) {
      entry[name] = String(data.get(name) || "");
    }
    const queue = load(QUEUE);
    queue.push(entry);
    save(QUEUE, queue);
    form.reset();
    document.getElementById("kiosk-note").textContent = say("tKept");
    render();
  });

  async function send() {
    const queue = load(QUEUE);
    if (sending || !queue.length) return;
    sending = true;
    const batch = queue.slice(0, 200);
    try {
      const response = await fetch("/kiosk/sync", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": box.dataset.csrf },
        body: JSON.stringify({ entries: batch }),
        credentials: "same-origin",
      });
      if (!response.ok) return;
      const sent = new Map(batch.map((e) => [e.client_id, e]));
      const done = new Set();
      const refused = load(REFUSED);
      for (const outcome of (await response.json()).outcomes || []) {
        const entry = sent.get(outcome.client_id);
        if (!entry) continue;
        done.add(outcome.client_id);
        if (outcome.status === "refused") {
          const { pin, ...kept } = entry;  // the PIN is not kept once the server has answered
          refused.push({ ...kept, message: outcome.message, errors: outcome.errors });
        }
      }
      save(QUEUE, load(QUEUE).filter((e) => !done.has(e.client_id)));
      save(REFUSED, refused);
      document.getElementById("kiosk-note").textContent = say("tSent");
    } catch (err) {
      return;
    } finally {
      sending = false;
      render();
    }
  }

  document.getElementById("kiosk-clear").addEventListener("click", () => {
    save(REFUSED, []);
    render();
  });
  window.addEventListener("online", send);
  window.addEventListener("offline", render);
  setInterval(send, 30000);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/offline-sw.js").catch(() => undefined);
  }
  render();
  send();
})();
