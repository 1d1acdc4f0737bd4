// stakhanov: the kiosk without a network. A PIN is never kept on this terminal (decision 0866).
// When a worker records his work online the server answers with an entry token for him at this
// kiosk (signed, good for hours); an entry made offline is kept with that token under an id made
// here and sent to /kiosk/sync when the network returns. Without a token it waits for its
// worker's PIN, asked for once the network is back and sent at once, never stored. Refused
// entries are listed with the server's reasons.
"use strict";

(function () {
  const form = document.getElementById("kiosk-form");
  const box = document.getElementById("kiosk-offline");
  if (!form || !box) return;
  const say = (key) => box.dataset[key] || key;
  const QUEUE = "stakhanov.kiosk.queue." + box.dataset.account;
  const REFUSED = "stakhanov.kiosk.refused." + box.dataset.account;
  const TOKENS = "stakhanov.kiosk.tokens." + box.dataset.account;
  const FIELDS = ["worker_id", "shift_id", "operation", "hours"];
  let sending = false;

  const read = (key, fallback) => {
    try {
      return JSON.parse(localStorage.getItem(key) || "null") ?? fallback;
    } catch (err) {
      return fallback;
    }
  };
  const load = (key) => {
    const value = read(key, []);
    return Array.isArray(value) ? value : [];
  };
  const save = (key, value) => localStorage.setItem(key, JSON.stringify(value));

  // The expiry the server wrote in a token (seconds); the server checks it again, this only
  // spares sending a token that cannot pass.
  function expires(token) {
    try {
      const body = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      return Number(JSON.parse(atob(body)).e) || 0;
    } catch (err) {
      return 0;
    }
  }

  function tokens() {
    const all = read(TOKENS, {});
    const now = Date.now() / 1000;
    const live = {};
    for (const [worker, token] of Object.entries(all && typeof all === "object" ? all : {})) {
      if (typeof token === "string" && expires(token) > now) live[worker] = token;
    }
    return live;
  }

  function keepToken(worker, token) {
    const live = tokens();
    if (token) live[worker] = token;
    else delete live[worker];
    save(TOKENS, live);
  }

  function newId() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return "k-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  const line = (e) => e.worker_id + " · " + e.shift_id + " · " + e.operation + " · " + e.hours;

  function askPin(entry) {
    const li = document.createElement("li");
    const text = document.createElement("span");
    text.textContent = line(entry) + (entry.message ? ": " + entry.message : "");
    const pin = document.createElement("input");
    pin.type = "password";
    pin.inputMode = "numeric";
    pin.autocomplete = "off";
    pin.setAttribute("aria-label", say("tPin") + " " + entry.worker_id);
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = say("tSend");
    button.addEventListener("click", () => {
      const typed = pin.value;
      if (!typed || !navigator.onLine || sending) return;  // the PIN stays in the box, unsent
      pin.value = "";
      send([{ ...entry, pin: typed }]);
    });
    li.append(text, " ", pin, " ", button);
    return li;
  }

  function render() {
    const queue = load(QUEUE);
    const waiting = queue.filter((e) => !e.needs_pin);
    document.getElementById("kiosk-waiting").textContent = String(waiting.length);
    const needs = document.getElementById("kiosk-needs-pin");
    needs.replaceChildren(...queue.filter((e) => e.needs_pin).map(askPin));
    const list = document.getElementById("kiosk-refused");
    list.replaceChildren();
    for (const entry of load(REFUSED)) {
      const li = document.createElement("li");
      li.className = "error";
      const reasons = Object.entries(entry.errors || {}).map(([f, text]) => f + ": " + text);
      li.textContent = line(entry) + ": " + (reasons.length ? reasons.join("; ") : entry.message);
      list.append(li);
    }
    box.hidden = !queue.length && !list.children.length && navigator.onLine;
  }

  form.addEventListener("submit", (event) => {
    if (navigator.onLine) return;  // the ordinary post, answered by the server at once
    event.preventDefault();
    const data = new FormData(form);
    const entry = { client_id: newId() };
    for (const name of FIELDS) entry[name] = String(data.get(name) || "");
    const token = tokens()[entry.worker_id];
    if (token) entry.token = token;
    else entry.needs_pin = true;  // the PIN typed is not kept: it is asked for again online
    const queue = load(QUEUE);
    queue.push(entry);
    save(QUEUE, queue);
    form.reset();
    document.getElementById("kiosk-note").textContent = say(token ? "tKept" : "tKeptPin");
    render();
  });

  // Send entries (the queue's, or one with the PIN just typed); settle each by its answer.
  async function send(chosen) {
    const batch = chosen || load(QUEUE).filter((e) => !e.needs_pin).slice(0, 200);
    if (sending || !batch.length) return;
    sending = true;
    try {
      const entries = batch.map((e) => {
        const out = { client_id: e.client_id };
        for (const name of [...FIELDS, "token", "pin"]) if (e[name]) out[name] = e[name];
        return out;
      });
      const response = await fetch("/kiosk/sync", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": box.dataset.csrf },
        body: JSON.stringify({ entries }),
        credentials: "same-origin",
      });
      if (!response.ok) return;
      const answers = new Map();
      for (const outcome of (await response.json()).outcomes || []) {
        answers.set(outcome.client_id, outcome);
      }
      const refused = load(REFUSED);
      const queue = [];
      for (const kept of load(QUEUE)) {
        const outcome = answers.get(kept.client_id);
        if (!outcome) {
          queue.push(kept);
        } else if (outcome.status === "needs_pin") {
          const { token, ...rest } = kept;
          if (token) keepToken(kept.worker_id, null);  // a token the server would not take
          queue.push({ ...rest, needs_pin: true, message: told(outcome).message });
        } else if (outcome.status === "refused") {
          const { token, needs_pin, ...rest } = kept;
          refused.push({ ...rest, ...told(outcome) });
        }
      }
      save(QUEUE, queue);
      save(REFUSED, refused);
      document.getElementById("kiosk-note").textContent = say("tSent");
    } catch (err) {
      return;
    } finally {
      sending = false;
      render();
    }
  }

  // The server says each outcome in English (message, errors) and in this page's language
  // (said, said_errors); the person reads the latter, where the server sent it.
  function told(outcome) {
    const errors = outcome.said_errors && Object.keys(outcome.said_errors).length
      ? outcome.said_errors : outcome.errors;
    return { message: outcome.said || outcome.message, errors: errors };
  }

  if (box.dataset.token && box.dataset.tokenWorker) {
    keepToken(box.dataset.tokenWorker, box.dataset.token);
  }
  document.getElementById("kiosk-clear").addEventListener("click", () => {
    save(REFUSED, []);
    render();
  });
  window.addEventListener("online", () => send());
  window.addEventListener("offline", render);
  setInterval(() => send(), 30000);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/offline-sw.js").catch(() => undefined);
  }
  render();
  send();
})();
