// The runs: the list (filtered by experiment, status and storage state, sorted, paged by the
// API) and a run's page (parameters, references, metrics, workflow nodes with downloadable
// artifacts, pipeline spec).

import { ApiError, Unavailable, getJson, getPage, pathOf, readArtifact } from "./api.js";
import {
  details,
  duration,
  fill,
  formatMetric,
  h,
  keyValues,
  link,
  notice,
  prettyJson,
  problem,
  route,
  section,
  select,
  statusBadge,
  table,
  time,
  timeOf,
} from "./dom.js";
import { PagedList } from "./listing.js";

export const STATUSES = ["Pending", "Running", "Succeeded", "Failed", "Error", "Skipped", "Terminating"];
const FINAL = new Set(["Succeeded", "Failed", "Error", "Skipped"]);
const ARCHIVED = "STORAGESTATE_ARCHIVED";
const MAX_METRICS_IN_LIST = 3;

const unfinished = (run) => !FINAL.has(run.status) && timeOf(run.finished_at) === null;
// A duration that grows while the run is under way; a pending run has not started yet.
const underWay = (run) => unfinished(run) && (run.status === "Running" || run.status === "Terminating");

/** The resource a run references with `type` (EXPERIMENT, JOB, ...), or undefined. */
export function referenceOf(item, type) {
  return (item.resource_references || []).find((reference) => reference.key && reference.key.type === type);
}

function experimentCell(run) {
  const reference = referenceOf(run, "EXPERIMENT");
  if (!reference) return "–";
  return link(["runs"], reference.name || reference.key.id, { experiment: reference.key.id });
}

function metricChips(run) {
  const metrics = run.metrics || [];
  const chips = metrics.slice(0, MAX_METRICS_IN_LIST).map((metric) =>
    h("span", { class: "chip", title: metric.node_id ? `node ${metric.node_id}` : null }, `${metric.name} `, h("b", {}, formatMetric(metric))),
  );
  if (metrics.length > MAX_METRICS_IN_LIST) chips.push(h("span", { class: "muted" }, ` +${metrics.length - MAX_METRICS_IN_LIST}`));
  return chips.length ? chips : "–";
}

function storageCell(item) {
  return item.storage_state === ARCHIVED ? h("span", { class: "tag tag-archived" }, "Archived") : h("span", { class: "muted" }, "Active");
}

/** The columns of a run table; `scheduled` adds the time a job scheduled the run for. */
export function runColumns({ scheduled = false } = {}) {
  return [
    { title: "Name", class: "name", sort: "name", cell: (run) => h("a", { href: route(["runs", run.id]), title: [run.name, run.description].filter(Boolean).join("\n") }, run.name || run.id) },
    { title: "Status", class: "status-cell", sort: "status", cell: (run) => statusBadge(run.status) },
    { title: "Duration", class: "duration", cell: (run) => duration(run.created_at, run.finished_at, { running: underWay(run) }) },
    { title: "Experiment", class: "experiment", cell: experimentCell },
    scheduled ? { title: "Scheduled", class: "time", sort: "scheduled_at", cell: (run) => time(run.scheduled_at) } : null,
    { title: "Created", class: "time", sort: "created_at", cell: (run) => time(run.created_at) },
    { title: "Finished", class: "time", cell: (run) => time(run.finished_at) },
    { title: "Metrics", class: "metrics", cell: metricChips },
    { title: "Storage", class: "storage", sort: "storage_state", cell: storageCell },
  ].filter(Boolean);
}

/** The list_runs filter JSON for a status and a storage state (active, archived, all). */
export function runFilter(status, storage) {
  const predicates = [];
  if (status) predicates.push({ key: "status", op: "EQUALS", string_value: status });
  if (storage === "active") predicates.push({ key: "storage_state", op: "NOT_EQUALS", string_value: ARCHIVED });
  if (storage === "archived") predicates.push({ key: "storage_state", op: "EQUALS", string_value: ARCHIVED });
  return predicates.length ? JSON.stringify({ predicates }) : "";
}

/** A PagedList of runs, optionally of one resource (`{type: "JOB", id}`). */
export function runList({ key = null, status = "", storage = "all", sort, onSort, scheduled = false }) {
  const scope = key ? { "resource_reference_key.type": key.type, "resource_reference_key.id": key.id } : {};
  return new PagedList({
    load: (query) => getPage("/runs", "runs", { ...query, ...scope, filter: runFilter(status, storage) }),
    columns: runColumns({ scheduled }),
    className: "runs",
    sort: sort || { field: "created_at", desc: true },
    onSort,
    empty: "No runs match.",
  });
}

function parseSort(text) {
  if (!text) return null;
  const [field, direction] = text.split(":");
  return { field, desc: direction === "desc" };
}

/** The runs page: `#/runs?experiment=ID&status=S&storage=active|archived|all&sort=field:desc`. */
export function runsView(query) {
  const state = {
    experiment: query.get("experiment") || "",
    status: query.get("status") || "",
    storage: query.get("storage") || "active",
    sort: query.get("sort") || "",
  };
  const go = (changes) => {
    location.hash = route(["runs"], { ...state, ...changes });
  };
  const list = runList({
    key: state.experiment ? { type: "EXPERIMENT", id: state.experiment } : null,
    status: state.status,
    storage: state.storage,
    sort: parseSort(state.sort),
    onSort: (sort) => {
      state.sort = `${sort.field}:${sort.desc ? "desc" : "asc"}`;
      history.replaceState(null, "", route(["runs"], state));
    },
  });
  const experimentSelect = h("span", { class: "experiment-filter" });
  let experiments = null;
  let shownOptions = null;
  const renderExperiments = () => {
    const options = [["", "All experiments"]];
    for (const experiment of experiments || []) options.push([experiment.id, experiment.name || experiment.id]);
    if (state.experiment && !options.some(([id]) => id === state.experiment)) {
      const named = list.page && list.page.items.map((run) => referenceOf(run, "EXPERIMENT")).find((r) => r && r.key.id === state.experiment);
      options.push([state.experiment, (named && named.name) || state.experiment]);
    }
    const text = JSON.stringify(options);
    if (text === shownOptions) return; // redrawing would close the menu if it is open
    shownOptions = text;
    fill(experimentSelect, select("Experiment", options, state.experiment, (experiment) => go({ experiment })));
  };
  const toolbar = h(
    "div",
    { class: "toolbar" },
    experimentSelect,
    select("Status", [["", "All statuses"], ...STATUSES.map((s) => [s, s])], state.status, (status) => go({ status }), "status-filter"),
    select("Show", [["active", "Active"], ["archived", "Archived"], ["all", "All"]], state.storage, (storage) => go({ storage }), "storage-filter"),
  );
  const element = h("div", { class: "view" }, h("h1", {}, "Runs"), toolbar, list.element);
  return {
    element,
    async refresh() {
      if (experiments === null) {
        try {
          experiments = (await getPage("/experiments", "experiments", { page_size: 100, sort_by: "name" })).items;
        } catch (error) {
          if (!(error instanceof ApiError || error instanceof Unavailable)) throw error;
          experiments = [];
        }
      }
      await list.refresh();
      renderExperiments();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// A run's page

function saveFile(bytes, filename) {
  const url = URL.createObjectURL(new Blob([bytes], { type: "application/gzip" }));
  const anchor = h("a", { href: url, download: filename, hidden: true });
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

function artifactButton(runId, nodeId, name, downloads) {
  const key = `${nodeId}/${name}`;
  const status = h("span", { class: "download-status" }, downloads.get(key) || "");
  const download = async () => {
    status.textContent = "reading…";
    try {
      const bytes = await readArtifact(runId, nodeId, name);
      saveFile(bytes, `${name}.tgz`);
      downloads.set(key, `downloaded ${bytes.length} bytes`);
    } catch (error) {
      downloads.set(key, error.message);
    }
    status.textContent = downloads.get(key);
  };
  return h(
    "span",
    { class: "artifact-item" },
    h("button", { type: "button", class: "artifact", data: { node: nodeId, artifact: name }, on: { click: download } }, `⤓ ${name}`),
    status,
  );
}

/** The workflow's nodes in tree order, each with its depth. */
function nodeTree(nodes) {
  const all = Object.values(nodes || {});
  const byId = new Map(all.map((node) => [node.id, node]));
  const children = new Set(all.flatMap((node) => node.children || []));
  const rows = [];
  const seen = new Set();
  const visit = (node, depth) => {
    if (seen.has(node.id)) return;
    seen.add(node.id);
    rows.push({ node, depth });
    for (const child of node.children || []) if (byId.has(child)) visit(byId.get(child), depth + 1);
  };
  for (const node of all) if (!children.has(node.id)) visit(node, 0);
  for (const node of all) visit(node, 0); // nodes only reachable through a cycle
  return rows;
}

function nodesSection(run, runtime, downloads) {
  let workflow;
  try {
    workflow = runtime.workflow_manifest ? JSON.parse(runtime.workflow_manifest) : {};
  } catch (_) {
    return section("Nodes", notice("error", "The runtime workflow manifest is not JSON."));
  }
  const rows = nodeTree((workflow.status || {}).nodes);
  const columns = [
    { title: "Node", class: "name", cell: ({ node, depth }) => h("span", { class: `node-name depth-${Math.min(depth, 6)}`, title: node.id }, node.displayName || node.name || node.id) },
    { title: "Type", class: "type", cell: ({ node }) => node.type || "–" },
    { title: "Status", class: "status-cell", cell: ({ node }) => statusBadge(node.phase) },
    { title: "Started", class: "time", cell: ({ node }) => time(node.startedAt) },
    { title: "Finished", class: "time", cell: ({ node }) => time(node.finishedAt) },
    { title: "Duration", class: "duration", cell: ({ node }) => duration(node.startedAt, node.finishedAt) },
    {
      title: "Artifacts",
      class: "artifacts",
      cell: ({ node }) => {
        const artifacts = ((node.outputs || {}).artifacts || []).filter((artifact) => artifact.name);
        return artifacts.length ? artifacts.map((artifact) => artifactButton(run.id, node.id, artifact.name, downloads)) : "–";
      },
    },
  ];
  return section("Nodes", table("nodes", columns, rows, { empty: "The workflow reports no nodes yet." }));
}

function parameterRows(spec) {
  const rows = (spec.parameters || []).map((parameter) => [parameter.name, parameter.value || ""]);
  const runtime = (spec.runtime_config || {}).parameters || {};
  for (const [name, value] of Object.entries(runtime)) rows.push([name, typeof value === "string" ? value : JSON.stringify(value)]);
  return rows;
}

function referenceLink(reference) {
  const { type, id } = reference.key || {};
  if (!id) return "–";
  if (type === "EXPERIMENT") return link(["runs"], id, { experiment: id });
  if (type === "JOB") return link(["jobs", id], id);
  if (type === "PIPELINE") return link(["pipelines", id], id);
  return id;
}

function manifestBlock(memory, key, title, text) {
  if (!text) return null;
  return details(memory, key, title, h("pre", { class: "manifest" }, prettyJson(text)));
}

function renderRun(detail, memory, downloads) {
  const run = detail.run || {};
  const runtime = detail.pipeline_runtime || {};
  const spec = run.pipeline_spec || {};
  const experiment = referenceOf(run, "EXPERIMENT");
  const job = referenceOf(run, "JOB");
  const version = referenceOf(run, "PIPELINE_VERSION");
  const breadcrumb = h(
    "nav",
    { class: "breadcrumb" },
    link(["runs"], "Runs"),
    experiment ? [" › ", link(["runs"], experiment.name || experiment.key.id, { experiment: experiment.key.id })] : null,
  );
  const overview = keyValues([
    ["Run ID", h("code", {}, run.id)],
    ["Status", statusBadge(run.status)],
    ["Description", run.description],
    ["Created", time(run.created_at)],
    ["Scheduled", timeOf(run.scheduled_at) === null ? null : time(run.scheduled_at)],
    ["Finished", time(run.finished_at)],
    ["Duration", duration(run.created_at, run.finished_at, { running: underWay(run) })],
    ["Storage", storageCell(run)],
    ["Service account", run.service_account],
    ["Pipeline", spec.pipeline_id ? link(["pipelines", spec.pipeline_id], spec.pipeline_name || spec.pipeline_id) : spec.pipeline_name],
    ["Pipeline version", version ? version.name || version.key.id : null],
    ["Experiment", experiment ? experimentCell(run) : null],
    ["Recurring run", job ? link(["jobs", job.key.id], job.name || job.key.id) : null],
  ]);
  const parameters = table("parameters", [
    { title: "Name", class: "name", cell: ([name]) => name },
    { title: "Value", class: "value", cell: ([, value]) => value },
  ], parameterRows(spec), { empty: "No parameters." });
  const metrics = table("metrics", [
    { title: "Name", class: "name", cell: (metric) => metric.name },
    { title: "Node", class: "node", cell: (metric) => metric.node_id || "–" },
    { title: "Value", class: "value", cell: formatMetric },
    { title: "Format", class: "format", cell: (metric) => metric.format || "UNSPECIFIED" },
  ], run.metrics || [], { empty: "No metrics reported." });
  const references = table("references", [
    { title: "Type", class: "type", cell: (reference) => (reference.key || {}).type || "–" },
    { title: "Name", class: "name", cell: (reference) => reference.name || "–" },
    { title: "ID", class: "id", cell: referenceLink },
    { title: "Relationship", class: "relationship", cell: (reference) => reference.relationship || "–" },
  ], run.resource_references || [], { empty: "No references." });
  const specBlock = [
    keyValues([
      ["Pipeline ID", spec.pipeline_id],
      ["Pipeline name", spec.pipeline_name],
      ["Pipeline root", (spec.runtime_config || {}).pipeline_root],
    ]),
    manifestBlock(memory, "workflow", "Workflow manifest (as submitted)", spec.workflow_manifest),
    manifestBlock(memory, "pipeline", "Pipeline manifest", spec.pipeline_manifest),
    manifestBlock(memory, "runtime", "Runtime workflow (pipeline_runtime.workflow_manifest)", runtime.workflow_manifest),
  ];
  return [
    breadcrumb,
    h("h1", { class: "run-title" }, statusBadge(run.status), h("span", { class: "run-name" }, run.name || run.id)),
    run.error ? notice("error", run.error) : null,
    h("div", { class: "columns" }, section("Overview", overview), h("div", {}, section("Parameters", parameters), section("Metrics", metrics))),
    nodesSection(run, runtime, downloads),
    section("References", references),
    section("Pipeline spec", specBlock),
  ];
}

/** A run's page: `#/runs/ID`. */
export function runView(runId) {
  const memory = new Set();
  const downloads = new Map();
  const element = h("div", { class: "view run-page" });
  let signature = null;
  return {
    element,
    async refresh() {
      let detail;
      try {
        detail = await getJson(pathOf("runs", runId));
      } catch (error) {
        if (!(error instanceof ApiError || error instanceof Unavailable)) throw error;
        signature = null;
        fill(element, h("nav", { class: "breadcrumb" }, link(["runs"], "Runs")), problem(error));
        return;
      }
      const text = JSON.stringify(detail);
      if (text === signature) return;
      signature = text;
      fill(element, renderRun(detail, memory, downloads));
    },
  };
}
