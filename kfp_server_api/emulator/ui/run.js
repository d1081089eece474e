// A run's page: overview, parameters, metrics, the workflow's nodes with their downloadable
// artifacts, references and the pipeline spec.

import { ApiError, Unavailable, getJson, pathOf, readArtifact } from "./api.js";
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
  section,
  statusBadge,
  table,
  time,
  timeOf,
} from "./dom.js";
import { experimentCell, referenceOf, storageCell, underWay } from "./runs.js";

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
    h(
      "button",
      {
        type: "button",
        class: "artifact",
        data: { node: nodeId, artifact: name },
        on: { click: download },
      },
      `⤓ ${name}`,
    ),
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
    {
      title: "Node",
      class: "name",
      cell: ({ node, depth }) =>
        h(
          "span",
          { class: `node-name depth-${Math.min(depth, 6)}`, title: node.id },
          node.displayName || node.name || node.id,
        ),
    },
    { title: "Type", class: "type", cell: ({ node }) => node.type || "–" },
    { title: "Status", class: "status-cell", cell: ({ node }) => statusBadge(node.phase) },
    { title: "Started", class: "time", cell: ({ node }) => time(node.startedAt) },
    { title: "Finished", class: "time", cell: ({ node }) => time(node.finishedAt) },
    {
      title: "Duration",
      class: "duration",
      cell: ({ node }) => duration(node.startedAt, node.finishedAt),
    },
    {
      title: "Artifacts",
      class: "artifacts",
      cell: ({ node }) => {
        const artifacts = ((node.outputs || {}).artifacts || []).filter(
          (artifact) => artifact.name,
        );
        return artifacts.length
          ? artifacts.map((artifact) => artifactButton(run.id, node.id, artifact.name, downloads))
          : "–";
      },
    },
  ];
  return section(
    "Nodes",
    table("nodes", columns, rows, { empty: "The workflow reports no nodes yet." }),
  );
}

function parameterRows(spec) {
  const rows = (spec.parameters || []).map((parameter) => [parameter.name, parameter.value || ""]);
  const runtime = (spec.runtime_config || {}).parameters || {};
  for (const [name, value] of Object.entries(runtime))
    rows.push([name, typeof value === "string" ? value : JSON.stringify(value)]);
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
    experiment
      ? [
          " › ",
          link(["runs"], experiment.name || experiment.key.id, { experiment: experiment.key.id }),
        ]
      : null,
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
    [
      "Pipeline",
      spec.pipeline_id
        ? link(["pipelines", spec.pipeline_id], spec.pipeline_name || spec.pipeline_id)
        : spec.pipeline_name,
    ],
    ["Pipeline version", version ? version.name || version.key.id : null],
    ["Experiment", experiment ? experimentCell(run) : null],
    ["Recurring run", job ? link(["jobs", job.key.id], job.name || job.key.id) : null],
  ]);
  const parameters = table(
    "parameters",
    [
      { title: "Name", class: "name", cell: ([name]) => name },
      { title: "Value", class: "value", cell: ([, value]) => value },
    ],
    parameterRows(spec),
    { empty: "No parameters." },
  );
  const metrics = table(
    "metrics",
    [
      { title: "Name", class: "name", cell: (metric) => metric.name },
      { title: "Node", class: "node", cell: (metric) => metric.node_id || "–" },
      { title: "Value", class: "value", cell: formatMetric },
      { title: "Format", class: "format", cell: (metric) => metric.format || "UNSPECIFIED" },
    ],
    run.metrics || [],
    { empty: "No metrics reported." },
  );
  const references = table(
    "references",
    [
      { title: "Type", class: "type", cell: (reference) => (reference.key || {}).type || "–" },
      { title: "Name", class: "name", cell: (reference) => reference.name || "–" },
      { title: "ID", class: "id", cell: referenceLink },
      {
        title: "Relationship",
        class: "relationship",
        cell: (reference) => reference.relationship || "–",
      },
    ],
    run.resource_references || [],
    { empty: "No references." },
  );
  const specBlock = [
    keyValues([
      ["Pipeline ID", spec.pipeline_id],
      ["Pipeline name", spec.pipeline_name],
      ["Pipeline root", (spec.runtime_config || {}).pipeline_root],
    ]),
    manifestBlock(memory, "workflow", "Workflow manifest (as submitted)", spec.workflow_manifest),
    manifestBlock(memory, "pipeline", "Pipeline manifest", spec.pipeline_manifest),
    manifestBlock(
      memory,
      "runtime",
      "Runtime workflow (pipeline_runtime.workflow_manifest)",
      runtime.workflow_manifest,
    ),
  ];
  return [
    breadcrumb,
    h(
      "h1",
      { class: "run-title" },
      statusBadge(run.status),
      h("span", { class: "run-name" }, run.name || run.id),
    ),
    run.error ? notice("error", run.error) : null,
    h(
      "div",
      { class: "columns" },
      section("Overview", overview),
      h("div", {}, section("Parameters", parameters), section("Metrics", metrics)),
    ),
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
