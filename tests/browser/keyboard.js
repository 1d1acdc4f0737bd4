// The page's Tab stops, in the order the keyboard should meet them: every visible control that
// takes the focus (one radio button per group), in document order. Installs
// window.__a11yTabbable (used by a11y.js) and a log of each element the focus lands on.
() => {
  const controls = "a[href], button, input, select, textarea, summary, iframe, [tabindex]";
  const tabbable = () => {
    const found = [];
    const radios = new Set();
    for (const el of document.querySelectorAll(controls)) {
      if (el.tabIndex < 0 || el.matches(":disabled") || el.type === "hidden") continue;
      const style = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      if (style.visibility === "hidden" || box.width === 0 || box.height === 0) continue;
      if (el.closest("details:not([open])") && el.tagName !== "SUMMARY") continue;
      if (el.type === "radio" && el.name) {
        const group = el.form ? el.form.elements.namedItem(el.name) : null;
        const checked = group && group.length ? [...group].find((r) => r.checked) : null;
        if (radios.has(el.name) || (checked && checked !== el)) continue;
        radios.add(el.name);
      }
      found.push(el);
    }
    return found;
  };
  window.__a11yTabbable = tabbable;
  const stops = tabbable();
  stops.forEach((el, i) => { el.dataset.a11yStop = String(i); });
  if (window.__a11yFocus) return stops.length;
  window.__a11yFocus = [];
  document.addEventListener("focusin", (event) => {
    const el = event.target;
    const style = getComputedStyle(el);
    window.__a11yFocus.push({
      stop: el.dataset && el.dataset.a11yStop !== undefined ? Number(el.dataset.a11yStop) : null,
      tag: el.tagName.toLowerCase(),
      text: (el.textContent || el.name || "").trim().slice(0, 40),
      ring: (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== "none",
    });
  });
  return stops.length;
}
