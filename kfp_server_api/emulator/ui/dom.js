// Building the page with DOM APIs only. Text always goes in through text nodes and is never
// parsed as HTML, so a run named "<script>" is shown as those characters. Links point only at this
// page's own routes ("#/...", every id percent-encoded) or at blob: URLs of downloaded bytes.

/**
 * An element: `h("td", {class: "name"}, "text", childNode, [more, children])`.
 * Strings become text nodes; null, undefined and false are skipped; arrays are flattened.
 * Props: class, title, href (a `route()` or a blob: URL), on: {event: handler}, data: {key: value},
 * and plain attributes (type, value, colspan, ...).
 */
export function h(tag, props, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "on") {
      for (const [event, handler] of Object.entries(value))
        element.addEventListener(event, handler);
    } else if (name === "data") {
      Object.assign(element.dataset, value);
    } else if (name === "class") {
      element.className = value;
    } else {
      element.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(element, children);
  return element;
}

/** Replace an element's children, with the same rules as `h` (strings as text, null skipped). */
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else if (child instanceof Node) element.appendChild(child);
    else element.appendChild(document.createTextNode(String(child)));
  }
}

/** A hash route of this page: `route(["runs", id])` or `route(["runs"], {status: "Failed"})`. */
export function route(segments, query = {}) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value) params.set(name, value);
  const search = params.toString();
  return `#/${segments.map(encodeURIComponent).join("/")}${search ? `?${search}` : ""}`;
}

export function link(segments, text, query) {
  return h("a", { href: route(segments, query) }, text);
}

// ---------------------------------------------------------------------------------------------
// Values

/** Milliseconds since the epoch, or null for a missing time or the API's zero time (1970). */
export function timeOf(text) {
  if (!text) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) || ms <= 0 ? null : ms;
}

const pad = (n) => String(n).padStart(2, "0");

/** A local date and time, `2024-05-01 13:04:05`, or an en dash for none. */
export function formatTime(ms) {
  if (ms === null || ms === undefined) return "–";
  const d = new Date(ms);
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  );
}

/** A time cell: the local time, with the API's own text as tooltip. */
export function time(text) {
  const ms = timeOf(text);
  return h("span", { class: "time", title: ms === null ? null : text }, formatTime(ms));
}

/** `1h 2m`, `3m 4s`, `5s`. */
export function formatDuration(ms) {
  if (ms === null || ms === undefined || ms < 0) return "–";
  const seconds = Math.round(ms / 1000);
  const d = Math.floor(seconds / 86400);
  const hr = Math.floor((seconds % 86400) / 3600);
  const min = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (d) return `${d}d ${hr}h`;
  if (hr) return `${hr}h ${min}m`;
  if (min) return `${min}m ${s}s`;
  return `${s}s`;
}

const elapsed = (start) => `${formatDuration(Date.now() - start)} …`;

/** From start to finish; while `running`, the time so far, kept current by `tickElapsed`. */
export function duration(startText, finishText, { running = false } = {}) {
  const start = timeOf(startText);
  const finish = timeOf(finishText);
  if (start === null) return "–";
  if (finish !== null) return formatDuration(finish - start);
  if (!running) return "–";
  return h("span", { class: "elapsed", data: { since: String(start) } }, elapsed(start));
}

/** Bring every running duration on the page up to now (without redrawing anything else). */
export function tickElapsed() {
  for (const span of document.querySelectorAll(".elapsed"))
    span.textContent = elapsed(Number(span.dataset.since));
}

/** A metric value as the KFP UI shows it: PERCENTAGE as a percent, RAW to 3 decimals. */
export function formatMetric(metric) {
  const value = Number(metric.number_value || 0);
  if (metric.format === "PERCENTAGE") return `${(value * 100).toFixed(3).replace(/\.?0+$/, "")}%`;
  if (Number.isInteger(value)) return String(value);
  return value.toFixed(3).replace(/\.?0+$/, "");
}

/** Pretty-printed JSON if the text is JSON, else the text as it is. */
export function prettyJson(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch (_) {
    return text;
  }
}

// ---------------------------------------------------------------------------------------------
// Widgets

const STATUS_CLASSES = {
  Succeeded: "succeeded",
  Completed: "succeeded",
  Failed: "failed",
  Error: "failed",
  Running: "running",
  Pending: "pending",
  Terminating: "terminating",
  Skipped: "skipped",
  Omitted: "skipped",
  Enabled: "enabled",
  Disabled: "skipped",
};

/** A run or node status in its colour; an unknown or empty status in grey. */
export function statusBadge(status) {
  const kind = STATUS_CLASSES[status] || "unknown";
  return h("span", { class: `status status-${kind}` }, status || "Unknown");
}

export function section(title, ...body) {
  return h("section", { class: "card" }, title ? h("h2", {}, title) : null, body);
}

/** A definition list of [label, value] pairs; pairs with an empty value are left out. */
export function keyValues(pairs) {
  const items = [];
  for (const [label, value] of pairs) {
    if (value === undefined || value === null || value === "") continue;
    items.push(h("dt", {}, label), h("dd", {}, value));
  }
  return h("dl", { class: "kv" }, items);
}

export function notice(kind, ...text) {
  return h("p", { class: `notice notice-${kind}` }, text);
}

/** What to show for an error from a section's request (unavailable services are not errors). */
export function problem(error) {
  if (error && error.name === "Unavailable") return notice("unavailable", error.message);
  const message = error && error.message ? error.message : String(error);
  return notice("error", message);
}

/**
 * A table. `columns`: [{title, cell(row) -> node or text, class, sort: "field"}]; a column with
 * `sort` gets a clickable header; `sort` ({field, desc}) marks the current order.
 */
export function table(
  className,
  columns,
  rows,
  { sort, onSort, empty = "Nothing here yet." } = {},
) {
  const head = columns.map((column) => {
    if (!column.sort || !onSort) return h("th", { class: column.class }, column.title);
    const current = sort && sort.field === column.sort;
    const arrow = current ? (sort.desc ? " ▼" : " ▲") : "";
    return h(
      "th",
      {
        class: `sortable ${column.class || ""}`,
        "aria-sort": current ? (sort.desc ? "descending" : "ascending") : null,
      },
      h(
        "button",
        { type: "button", on: { click: () => onSort(column.sort) } },
        column.title + arrow,
      ),
    );
  });
  const body = rows.length
    ? rows.map((row) =>
        h(
          "tr",
          {},
          columns.map((column) => h("td", { class: column.class }, column.cell(row))),
        ),
      )
    : [h("tr", { class: "empty" }, h("td", { colspan: columns.length }, empty))];
  return h(
    "table",
    { class: `grid ${className}` },
    h("thead", {}, h("tr", {}, head)),
    h("tbody", {}, body),
  );
}

/** A collapsible block whose open state survives re-rendering (kept by `key` in `memory`). */
export function details(memory, key, summary, content) {
  const element = h("details", { open: memory.has(key) }, h("summary", {}, summary), content);
  element.addEventListener("toggle", () => {
    if (element.open) memory.add(key);
    else memory.delete(key);
  });
  return element;
}

/** A <select> with [value, label] options. */
export function select(label, options, value, onChange, className) {
  return h(
    "label",
    { class: `control ${className || ""}` },
    h("span", {}, label),
    h(
      "select",
      { on: { change: (event) => onChange(event.target.value) } },
      options.map(([optionValue, optionLabel]) =>
        h("option", { value: optionValue, selected: optionValue === value }, optionLabel),
      ),
    ),
  );
}
