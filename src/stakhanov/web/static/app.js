// stakhanov: the one script. Uploads an import in the background and shows its progress;
// the server does all checking, so this only sends files and reads the job's state.
"use strict";

function show(element, text) {
  element.textContent = text;
}

function renderResult(box, job) {
  box.replaceChildren();
  if (job.state === "done") {
    const p = document.createElement("p");
    p.className = "ok";
    p.setAttribute("role", "status");
    const result = job.result;
    if (result.checked_only) {
      show(p, "The files are valid. Nothing was written.");
    } else {
      show(p, result.changed ? "Imported as batch " + result.batch_id + "." :
        "Nothing new: the ledger already holds these rows.");
    }
    box.append(p);
    const table = document.createElement("table");
    const caption = table.createCaption();
    show(caption, "Rows per file");
    const head = table.createTHead().insertRow();
    for (const name of ["file", "added", "unchanged", "corrected", "withdrawn"]) {
      const th = document.createElement("th");
      th.scope = "col";
      show(th, name);
      head.append(th);
    }
    const body = table.createTBody();
    for (const file of result.files) {
      const row = body.insertRow();
      for (const key of ["file", "added", "unchanged", "corrected", "withdrawn"]) {
        show(row.insertCell(), String(file[key]));
      }
    }
    box.append(table);
    return;
  }
  const p = document.createElement("p");
  p.className = "error";
  p.setAttribute("role", "alert");
  show(p, job.problems.length + " problem(s); nothing was written.");
  box.append(p);
  const list = document.createElement("ul");
  list.className = "problems";
  for (const problem of job.problems) {
    const item = document.createElement("li");
    const code = document.createElement("code");
    show(code, problem);
    item.append(code);
    list.append(item);
  }
  box.append(list);
}

async function follow(jobId, stage, bar, box) {
  for (;;) {
    const response = await fetch("/api/jobs/" + encodeURIComponent(jobId),
      { credentials: "same-origin" });
    const job = await response.json();
    bar.value = job.fraction;
    show(stage, job.state === "running" ? job.stage + "… " + Math.round(job.fraction * 100) + "%" : job.state);
    if (job.state !== "running") {
      renderResult(box, job);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function wireImport() {
  const form = document.getElementById("import-form");
  if (!form) return;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const status = document.getElementById("import-status");
    const stage = document.getElementById("import-stage");
    const bar = document.getElementById("import-progress");
    const box = document.getElementById("import-result");
    status.hidden = false;
    box.replaceChildren();
    bar.value = 0;
    show(stage, "uploading…");
    const data = new FormData(form);
    for (const name of ["correct", "check"]) {
      if (!document.getElementById(name).checked) data.delete(name);
    }
    const response = await fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRF-Token": form.dataset.csrf },
    });
    const body = await response.json();
    if (response.status !== 202) {
      const problems = body.problems ||
        (Array.isArray(body.detail) ? body.detail.map((d) => d.loc.join(":") + ": " + d.msg) : [String(body.detail)]);
      show(stage, "refused");
      renderResult(box, { state: "rejected", problems: problems });
      return;
    }
    await follow(body.job_id, stage, bar, box);
  });
}

document.addEventListener("DOMContentLoaded", wireImport);
