// stakhanov: the one script. Starts a long operation (an import, a period close) in the
// background and shows its progress; the server does all checking, this only reads the job.
"use strict";

let pendingUrl = "";

function show(element, text) {
  element.textContent = text;
}

function paragraph(box, className, role, text) {
  const p = document.createElement("p");
  p.className = className;
  p.setAttribute("role", role);
  show(p, text);
  box.append(p);
}

function renderImport(box, result) {
  if (result.checked_only) {
    paragraph(box, "ok", "status", "The files are valid. Nothing was written.");
  } else {
    paragraph(box, "ok", "status", result.changed ? "Imported as batch " + result.batch_id + "." :
      "Nothing new: the ledger already holds these rows.");
  }
  const columns = ["file", "added", "unchanged", "corrected", "withdrawn"];
  const table = document.createElement("table");
  show(table.createCaption(), "Rows per file");
  const head = table.createTHead().insertRow();
  for (const name of columns) {
    const th = document.createElement("th");
    th.scope = "col";
    show(th, name);
    head.append(th);
  }
  const body = table.createTBody();
  for (const file of result.files) {
    const row = body.insertRow();
    // A workbook's sheet is shown as sent (book.xlsx[workers]), not as the file it stands for.
    for (const key of columns) show(row.insertCell(), String(key === "file" && file.source ? file.source : file[key]));
  }
  box.append(table);
}

function renderClose(box, result) {
  const what = result.already_closed ? "was already closed; nothing changed" : "is closed and locked";
  paragraph(box, "ok", "status", result.from + " to " + result.to + " " + what + ": " +
    result.slips + " slips, gross " + result.gross + ", net " + result.net + ".");
  paragraph(box, "help", "note", "Digest of the slips: " + result.digest);
  const unpaid = result.unpaid_before;
  if (unpaid) {
    paragraph(box, "error", "status", "Work on " + unpaid.days + (unpaid.days === 1 ? " day" : " days") + " from " + unpaid.from +
      " to " + unpaid.to + ", before this period, lies in no closed period and is not paid yet: " +
      "close a period that covers it.");
  }
  // The slips below were shown as they stood before the close: offer them as they are now.
  const p = document.createElement("p");
  const link = document.createElement("a");
  link.className = "button";
  link.href = "/payroll?period=" + encodeURIComponent(result.from + ".." + result.to);
  show(link, "Show the closed slips");
  p.append(link);
  box.append(p);
  const flag = document.querySelector("#slips-h .flag");
  if (flag && document.getElementById("close-from").defaultValue === result.from &&
      document.getElementById("close-to").defaultValue === result.to) {
    show(flag, "closed just now: reload to see the locked slips");
  }
}

function renderProblems(box, problems) {
  paragraph(box, "error", "alert", problems.length + (problems.length === 1 ? " problem" : " problems") + "; nothing was written.");
  const list = document.createElement("ul");
  list.className = "problems";
  for (const problem of problems) {
    const item = document.createElement("li");
    const code = document.createElement("code");
    show(code, problem);
    item.append(code);
    list.append(item);
  }
  box.append(list);
}

async function follow(jobId, parts, render) {
  for (;;) {
    const response = await fetch("/api/jobs/" + encodeURIComponent(jobId), { credentials: "same-origin" });
    const job = await response.json();
    if (job.state === "running") {
      parts.bar.value = job.fraction;
      show(parts.stage, job.stage + "… " + Math.round(job.fraction * 100) + "%");
      await new Promise((resolve) => setTimeout(resolve, 250));
      continue;
    }
    parts.bar.value = 1;
    show(parts.stage, job.state);
    if (job.state === "done") render(parts.box, job.result);
    else renderProblems(parts.box, job.problems);
    return;
  }
}

function wireJob(prefix, render) {
  const form = document.getElementById(prefix + "-form");
  if (!form) return;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const parts = {
      bar: document.getElementById(prefix + "-progress"),
      stage: document.getElementById(prefix + "-stage"),
      box: document.getElementById(prefix + "-result"),
    };
    document.getElementById(prefix + "-status").hidden = false;
    parts.box.replaceChildren();
    parts.bar.removeAttribute("value");
    show(parts.stage, "sending…");
    const data = new FormData(form);
    for (const box of form.querySelectorAll("input[type=checkbox]")) {
      if (!box.checked) data.delete(box.name);
    }
    // A page's own job endpoint takes the form; the API's take files or query parameters.
    const own = form.dataset.job;
    const multipart = form.enctype === "multipart/form-data";
    if (own) data.append("csrf_token", form.dataset.csrf);
    const url = own || (multipart ? form.action : form.action + "?" + new URLSearchParams(data).toString());
    const response = await fetch(url, {
      method: "POST",
      body: own || multipart ? data : null,
      credentials: "same-origin",
      headers: { "X-CSRF-Token": form.dataset.csrf },
    });
    const body = await response.json();
    if (response.status !== 202) {
      const problems = body.problems ||
        (Array.isArray(body.detail) ? body.detail.map((d) => d.loc.join(":") + ": " + d.msg) : [String(body.detail)]);
      parts.bar.value = 1;
      show(parts.stage, "refused");
      renderProblems(parts.box, problems);
      return;
    }
    pendingUrl = body.url || "";
    await follow(body.job_id, parts, render);
  });
}

// Locking a period asks first: the first button opens the confirmation, the second locks.
function wireConfirm() {
  const ask = document.getElementById("close-ask");
  const box = document.getElementById("close-confirm");
  if (!ask || !box) return;
  const open = (shown) => {
    box.hidden = !shown;
    ask.setAttribute("aria-expanded", String(shown));
    if (shown) document.getElementById("close-confirm-h").focus();
    else ask.focus();
  };
  ask.addEventListener("click", () => open(true));
  document.getElementById("close-no").addEventListener("click", () => open(false));
  box.addEventListener("keydown", (event) => { if (event.key === "Escape") open(false); });
}

// A page whose figures are computed in the background reloads until they are done, unless the
// reader has begun to use it (a reload would lose what is typed, opened or under way).
function wireReload() {
  const waiting = document.querySelector("[data-reload]");
  if (!waiting) return;
  let busy = false;
  for (const kind of ["input", "submit", "keydown", "pointerdown", "focusin"]) {
    document.addEventListener(kind, () => { busy = true; });
  }
  setTimeout(() => { if (!busy) location.reload(); }, Number(waiting.dataset.reload) * 1000);
}

document.addEventListener("DOMContentLoaded", () => {
  wireConfirm();
  wireReload();
  wireJob("import", renderImport);
  wireJob("close", renderClose);
  // The impact replay ends by showing its page, rendered on the server from the job's result.
  wireJob("impact", () => { location.assign(pendingUrl); });
});
