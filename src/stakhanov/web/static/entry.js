// The shift form's lines and proposed id, in the page. Without this script the form does the
// same through the server ("more lines" after the record button, a ticked "remove" leaves a
// line out); the server checks everything either way.
"use strict";

function renumber(body) {
  const label = body.dataset.label;
  const prefix = body.dataset.lines;
  const rows = Array.from(body.rows);
  rows.forEach((row, index) => {
    for (const input of row.querySelectorAll("input[data-col]")) {
      input.setAttribute("aria-label", label + " " + (index + 1) + " " + (input.dataset.name || input.dataset.col));
    }
    const remove = row.querySelector("input.remove");
    // The label is in the page's language and ends with the line's number: only that changes.
    if (remove) remove.setAttribute("aria-label", remove.getAttribute("aria-label").replace(/\d+$/, String(index + 1)));
  });
  const count = body.closest("form").querySelector('input[name="' + prefix + '_lines"]');
  if (count) count.value = String(rows.length);
}

function nextNumber(body) {
  let most = -1;
  for (const row of body.rows) most = Math.max(most, Number(row.dataset.line));
  return most + 1;
}

function addLine(body) {
  const last = body.rows[body.rows.length - 1];
  const row = last.cloneNode(true);
  const number = nextNumber(body);
  row.dataset.line = String(number);
  for (const input of row.querySelectorAll("input")) {
    input.name = input.name.replace(/\.\d+\./, "." + number + ".");
    if (input.type === "checkbox") {
      input.checked = false;
      continue;
    }
    input.value = "";
    input.removeAttribute("aria-invalid");
    input.removeAttribute("aria-describedby");
  }
  for (const error of row.querySelectorAll(".field-error")) error.remove();
  body.append(row);
  renumber(body);
  row.querySelector("input").focus();
}

function removeLine(row) {
  const body = row.parentElement;
  if (body.rows.length === 1) addLine(body);
  const next = row.nextElementSibling || row.previousElementSibling;
  row.remove();
  renumber(body);
  if (next) next.querySelector("input").focus();
}

function fillUnit(input) {
  // The output's unit of measure follows the norm of the operation chosen, where it is empty.
  if (!input.name.startsWith("outputs.") || !input.name.endsWith(".operation")) return;
  const unit = input.closest("tr").querySelector('input[name$=".unit"]');
  const option = Array.from(document.querySelectorAll("#operations option"))
    .find((o) => o.value === input.value);
  if (unit && option && option.dataset.unit && !unit.value) unit.value = option.dataset.unit;
}

async function propose(form) {
  // A new proposal only while the id is still the one proposed: never over a typed id.
  const id = form.querySelector("#shift_id");
  const proposed = form.querySelector('input[name="proposed_id"]');
  const date = form.querySelector("#date").value;
  if (!id || !date || id.value !== id.dataset.proposed) return;
  const query = new URLSearchParams({date: date, workplace: form.querySelector("#workplace").value});
  const response = await fetch("/shifts/new/proposal?" + query, {credentials: "same-origin"});
  if (!response.ok) return;
  const answer = await response.json();
  if (id.value !== id.dataset.proposed) return;  // typed over while we asked
  id.value = answer.shift_id;
  id.dataset.proposed = answer.shift_id;
  proposed.value = answer.shift_id;
}

function setUp(form) {
  // A button beside each table adds a line here; the server's "more lines" buttons go.
  for (const body of form.querySelectorAll("tbody[data-lines]")) {
    const more = form.querySelector('button[name="more"][value="' + body.dataset.lines + '"]');
    const add = document.createElement("button");
    add.type = "button";
    add.textContent = more.textContent;
    add.addEventListener("click", () => addLine(body));
    const p = document.createElement("p");
    p.append(add);
    body.closest(".scroll").after(p);
  }
  form.querySelector(".more-lines").hidden = true;
  form.addEventListener("change", (event) => {
    if (event.target.matches("input.remove") && event.target.checked) {
      removeLine(event.target.closest("tr"));
      return;
    }
    if (event.target.matches("#date, #workplace")) propose(form);
    if (event.target.matches("input[data-col]")) fillUnit(event.target);
  });
}

document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.entry");
  if (form) setUp(form);
});
