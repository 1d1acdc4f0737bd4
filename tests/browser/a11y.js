// Accessibility checks computed in the page: labels, landmarks, names, and WCAG contrast.
// Returns a list of problems, each a short sentence naming the element.
() => {
  const problems = [];
  const describe = (el) => {
    const id = el.id ? "#" + el.id : "";
    const name = el.getAttribute("name") ? `[name=${el.getAttribute("name")}]` : "";
    const text = (el.textContent || "").trim().slice(0, 30);
    return `<${el.tagName.toLowerCase()}${id}${name}>${text ? " '" + text + "'" : ""}`;
  };
  const visible = (el) => {
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return style.visibility !== "hidden" && style.display !== "none" && box.width > 0 && box.height > 0;
  };
  if (!document.documentElement.lang) problems.push("the page has no lang");
  if (!document.title.trim()) problems.push("the page has no title");
  if (document.querySelectorAll("main").length !== 1) problems.push("the page needs exactly one <main>");
  if (!document.querySelector("h1")) problems.push("the page has no <h1>");
  for (const nav of document.querySelectorAll("nav")) {
    if (document.querySelectorAll("nav").length > 1 && !nav.getAttribute("aria-label")) {
      problems.push("a <nav> among several has no aria-label");
    }
  }
  // Every form control has a label.
  for (const el of document.querySelectorAll("input, select, textarea")) {
    if (el.type === "hidden") continue;
    const labelled = (el.id && document.querySelector(`label[for="${CSS.escape(el.id)}"]`)) ||
      el.closest("label") || el.getAttribute("aria-label") || el.getAttribute("aria-labelledby");
    if (!labelled) problems.push(`${describe(el)} has no label`);
  }
  // Buttons and links have names; charts have a text alternative.
  for (const el of document.querySelectorAll("button, a[href]")) {
    const name = (el.textContent || "").trim() || el.getAttribute("aria-label") || el.getAttribute("title");
    if (!name) problems.push(`${describe(el)} has no accessible name`);
  }
  for (const el of document.querySelectorAll("svg")) {
    if (el.getAttribute("role") !== "img" || !el.getAttribute("aria-label") || !el.querySelector("title")) {
      problems.push("a chart has no role=img, aria-label and <title>");
    }
  }
  for (const el of document.querySelectorAll("table")) {
    if (!el.querySelector("th")) problems.push("a table has no header cells");
  }
  // Contrast of every visible text against its effective background (WCAG 2.x).
  const parse = (colour) => {
    const m = colour.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const parts = m[1].split(",").map((x) => parseFloat(x));
    return { r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1 };
  };
  const luminance = (c) => {
    const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  };
  const background = (el) => {
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const c = parse(getComputedStyle(node).backgroundColor);
      if (c && c.a > 0.5) return c;
    }
    return { r: 255, g: 255, b: 255, a: 1 };
  };
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || seen.has(el) || el.closest("svg, script, style, noscript")) continue;
    seen.add(el);
    if (!visible(el)) continue;
    const style = getComputedStyle(el);
    const fg = parse(style.color);
    if (!fg) continue;
    const opacity = parseFloat(style.opacity);
    const bg = background(el);
    const l1 = luminance(fg), l2 = luminance(bg);
    const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    const size = parseFloat(style.fontSize);
    const bold = parseInt(style.fontWeight, 10) >= 700;
    const large = size >= 24 || (bold && size >= 18.66);
    const needed = large ? 3 : 4.5;
    if (ratio < needed || opacity < 0.75) {
      problems.push(`${describe(el)} contrast ${ratio.toFixed(2)} below ${needed}`);
    }
  }
  // Keyboard: every control is in the Tab order, in the page's order, and shows its focus.
  const ratioOf = (a, b) => {
    const l1 = luminance(a), l2 = luminance(b);
    return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
  };
  const controls = "a[href], button, input, select, textarea, summary, iframe, [tabindex]";
  for (const el of document.querySelectorAll("[tabindex]")) {
    if (el.tabIndex > 0) problems.push(`${describe(el)} has a positive tabindex: it jumps the page's order`);
  }
  const clickable = "[onclick], [role=button], [role=link], [role=checkbox], [role=tab], [role=menuitem], [role=switch], [role=option]";
  for (const el of document.querySelectorAll(clickable)) {
    if (!el.matches(controls) || el.tabIndex < 0) problems.push(`${describe(el)} acts as a control but takes no focus`);
  }
  for (const el of document.querySelectorAll("a[href], button, input, select, textarea, summary")) {
    if (el.getAttribute("tabindex") === "-1" && visible(el)) problems.push(`${describe(el)} is taken out of the Tab order`);
  }
  const before = document.activeElement;
  for (const el of window.__a11yTabbable ? window.__a11yTabbable() : []) {
    el.focus({ preventScroll: false });
    if (document.activeElement !== el) { problems.push(`${describe(el)} cannot take the focus`); continue; }
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    const onScreen = box.right > 0 && box.bottom > 0 && box.left < innerWidth && box.top < innerHeight;
    const bg = background(el.parentElement || el);  // the ring is drawn around the element
    const rings = [];
    if (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2) rings.push(parse(style.outlineColor));
    if (style.boxShadow && style.boxShadow !== "none") rings.push(parse(style.boxShadow));
    const seen = rings.some((c) => c && c.a > 0.5 && ratioOf(c, bg) >= 3);
    if (!onScreen || !seen) problems.push(`${describe(el)} has no visible focus (${onScreen ? "no ring of 3:1" : "off screen"})`);
  }
  if (before && before.focus) before.focus();
  return problems;
}
