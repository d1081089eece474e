// Experiments, pipelines (with their versions) and jobs (with their next fire time and the runs
// they fired). A service the emulator does not serve yet shows as unavailable.

import { ApiError, Unavailable, getJson, getPage, pathOf } from "./api.js";
import {
  details,
  fill,
  formatTime,
  h,
  keyValues,
  link,
  prettyJson,
  problem,
  section,
  statusBadge,
  time,
  timeOf,
} from "./dom.js";
import { PagedList } from "./listing.js";
import { referenceOf, runList } from "./runs.js";
import { describeTrigger, nextFireTime } from "./schedule.js";

const description = (item) => item.description || h("span", { class: "muted" }, "–");
const parameterText = (parameters) =>
  (parameters || []).map((p) => `${p.name}=${p.value || ""}`).join(", ") || "–";
const isApiProblem = (error) => error instanceof ApiError || error instanceof Unavailable;

function listView(title, list, ...extra) {
  const element = h("div", { class: "view" }, h("h1", {}, title), extra, list.element);
  return { element, refresh: () => list.refresh() };
}

/** A detail page: fetch `path`, render its body; a missing item shows the error instead. */
function detailView(path, breadcrumb, render, list) {
  const memory = new Set();
  const head = h("div", {});
  const element = h("div", { class: "view" }, breadcrumb, head, list ? list.element : null);
  let signature = null;
  return {
    element,
    async refresh() {
      let item;
      try {
        item = await getJson(path);
      } catch (error) {
        if (!isApiProblem(error)) throw error;
        signature = null;
        fill(head, problem(error));
        // An unknown item has nothing to list; a service not served yet still has its runs.
        if (list) list.element.hidden = !(error instanceof Unavailable);
        if (list && !list.element.hidden) await list.refresh();
        return;
      }
      if (list) {
        list.element.hidden = false;
        await list.refresh();
      }
      const rendered = await render(item, memory);
      const text = JSON.stringify([item, rendered.signature]);
      if (text !== signature || rendered.live) {
        signature = text;
        fill(head, rendered.nodes);
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Experiments

export function experimentsView() {
  const list = new PagedList({
    load: (query) => getPage("/experiments", "experiments", query),
    className: "experiments",
    sort: { field: "created_at", desc: true },
    columns: [
      {
        title: "Name",
        class: "name",
        sort: "name",
        cell: (e) => link(["runs"], e.name || e.id, { experiment: e.id }),
      },
      { title: "Description", class: "description", cell: description },
      { title: "Created", class: "time", sort: "created_at", cell: (e) => time(e.created_at) },
      {
        title: "State",
        class: "storage",
        cell: (e) =>
          e.storage_state === "STORAGESTATE_ARCHIVED"
            ? h("span", { class: "tag tag-archived" }, "Archived")
            : h("span", { class: "muted" }, "Active"),
      },
    ],
    empty: "No experiments.",
  });
  return listView("Experiments", list);
}

// ---------------------------------------------------------------------------------------------
// Pipelines

export function pipelinesView() {
  const list = new PagedList({
    load: (query) => getPage("/pipelines", "pipelines", query),
    className: "pipelines",
    sort: { field: "created_at", desc: true },
    columns: [
      {
        title: "Name",
        class: "name",
        sort: "name",
        cell: (p) => link(["pipelines", p.id], p.name || p.id),
      },
      { title: "Description", class: "description", cell: description },
      {
        title: "Default version",
        class: "version",
        cell: (p) => (p.default_version ? p.default_version.name || p.default_version.id : "–"),
      },
      { title: "Parameters", class: "parameters", cell: (p) => parameterText(p.parameters) },
      { title: "Created", class: "time", sort: "created_at", cell: (p) => time(p.created_at) },
    ],
    empty: "No pipelines.",
  });
  return listView("Pipelines", list);
}

/** The pipeline's template, fetched the first time its block is opened. */
function templateBlock(memory, pipelineId, cache) {
  const body = h("pre", { class: "manifest" }, cache.text || "loading…");
  const block = details(memory, "template", "Template of the default version", body);
  const load = async () => {
    if (!block.open || cache.text) return;
    try {
      const answer = await getJson(`${pathOf("pipelines", pipelineId)}/templates`);
      cache.text = prettyJson(answer.template || "");
    } catch (error) {
      if (!isApiProblem(error)) throw error;
      cache.text = error.message;
    }
    body.textContent = cache.text;
  };
  block.addEventListener("toggle", load);
  if (block.open) load();
  return block;
}

export function pipelineView(pipelineId) {
  const cache = {};
  let defaultVersion = "";
  const versions = new PagedList({
    load: (query) =>
      getPage("/pipeline_versions", "versions", {
        ...query,
        "resource_key.type": "PIPELINE",
        "resource_key.id": pipelineId,
      }),
    className: "versions",
    sort: { field: "created_at", desc: true },
    columns: [
      {
        title: "Version",
        class: "name",
        sort: "name",
        cell: (v) => [
          v.name || v.id,
          v.id === defaultVersion ? h("span", { class: "tag tag-default" }, "default") : null,
        ],
      },
      { title: "ID", class: "id", cell: (v) => h("code", {}, v.id) },
      { title: "Description", class: "description", cell: description },
      { title: "Parameters", class: "parameters", cell: (v) => parameterText(v.parameters) },
      { title: "Created", class: "time", sort: "created_at", cell: (v) => time(v.created_at) },
    ],
    empty: "No versions.",
  });
  versions.element.prepend(h("h2", {}, "Versions"));
  versions.element.classList.add("card");
  const render = (pipeline, memory) => {
    defaultVersion = (pipeline.default_version || {}).id || "";
    const nodes = [
      h("h1", {}, pipeline.name || pipeline.id),
      section(
        "Overview",
        keyValues([
          ["Pipeline ID", h("code", {}, pipeline.id)],
          ["Description", pipeline.description],
          ["Created", time(pipeline.created_at)],
          [
            "Default version",
            pipeline.default_version ? pipeline.default_version.name || defaultVersion : null,
          ],
          ["Parameters", parameterText(pipeline.parameters)],
          ["URL", (pipeline.url || {}).pipeline_url],
          ["Error", pipeline.error],
        ]),
        templateBlock(memory, pipeline.id, cache),
      ),
    ];
    return { nodes, signature: null, live: false };
  };
  return detailView(
    pathOf("pipelines", pipelineId),
    h("nav", { class: "breadcrumb" }, link(["pipelines"], "Pipelines")),
    render,
    versions,
  );
}

// ---------------------------------------------------------------------------------------------
// Jobs

/** When the job's newest run was scheduled (or created), in ms, or null if it has none. */
async function lastRunOf(jobId) {
  const query = {
    page_size: 1,
    sort_by: "created_at desc",
    "resource_reference_key.type": "JOB",
    "resource_reference_key.id": jobId,
  };
  const page = await getPage("/runs", "runs", query);
  const run = page.items[0];
  return run ? timeOf(run.scheduled_at) || timeOf(run.created_at) : null;
}

function relative(ms, now) {
  const seconds = Math.round((ms - now) / 1000);
  if (seconds <= 0) return "due now";
  if (seconds < 120) return `in ${seconds}s`;
  if (seconds < 7200) return `in ${Math.round(seconds / 60)}m`;
  if (seconds < 172800) return `in ${Math.round(seconds / 3600)}h`;
  return `in ${Math.round(seconds / 86400)}d`;
}

/** The next fire time as shown: `in 5m · 2024-05-01 10:05:00` or why there is none. */
function nextFireCell(job, lastRun) {
  const now = Date.now();
  const next = nextFireTime(job, lastRun, now);
  if (next.at === null) return h("span", { class: "muted" }, `none (${next.why})`);
  const utc = new Date(next.at).toISOString().replace(".000Z", "Z");
  return h(
    "span",
    { class: "next-fire", title: `${utc} (computed by this page from the trigger)` },
    `${relative(next.at, now)} · ${formatTime(next.at)}`,
  );
}

const jobStatus = (job) => statusBadge(job.enabled ? "Enabled" : "Disabled");

export function jobsView() {
  const list = new PagedList({
    load: async (query) => {
      const page = await getPage("/jobs", "jobs", query);
      const lastRuns = await Promise.all(
        page.items.map((job) => lastRunOf(job.id).catch(() => null)),
      );
      return { ...page, items: page.items.map((job, i) => ({ job, lastRun: lastRuns[i] })) };
    },
    className: "jobs",
    sort: { field: "created_at", desc: true },
    live: () => true,
    columns: [
      {
        title: "Name",
        class: "name",
        sort: "name",
        cell: ({ job }) => link(["jobs", job.id], job.name || job.id),
      },
      { title: "Status", class: "status-cell", cell: ({ job }) => jobStatus(job) },
      { title: "Trigger", class: "trigger", cell: ({ job }) => describeTrigger(job.trigger) },
      { title: "Next run", class: "next", cell: ({ job, lastRun }) => nextFireCell(job, lastRun) },
      { title: "Max concurrency", class: "number", cell: ({ job }) => job.max_concurrency || "1" },
      {
        title: "Created",
        class: "time",
        sort: "created_at",
        cell: ({ job }) => time(job.created_at),
      },
    ],
    empty: "No jobs.",
  });
  return listView("Jobs (recurring runs)", list);
}

export function jobView(jobId) {
  const runs = runList({ key: { type: "JOB", id: jobId }, scheduled: true });
  runs.element.prepend(h("h2", {}, "Runs of this job"));
  runs.element.classList.add("card");
  const render = async (job) => {
    const lastRun = await lastRunOf(jobId).catch(() => null);
    const trigger = job.trigger || {};
    const schedule = trigger.periodic_schedule || trigger.cron_schedule || {};
    const spec = job.pipeline_spec || {};
    const experiment = referenceOf(job, "EXPERIMENT");
    const version = referenceOf(job, "PIPELINE_VERSION");
    const nodes = [
      h(
        "h1",
        { class: "run-title" },
        jobStatus(job),
        h("span", { class: "run-name" }, job.name || job.id),
      ),
      job.error ? h("p", { class: "notice notice-error" }, job.error) : null,
      section(
        "Overview",
        keyValues([
          ["Job ID", h("code", {}, job.id)],
          ["Description", job.description],
          ["Status", job.status],
          ["Trigger", describeTrigger(job.trigger)],
          ["Start", timeOf(schedule.start_time) === null ? null : time(schedule.start_time)],
          ["End", timeOf(schedule.end_time) === null ? null : time(schedule.end_time)],
          ["Next run", nextFireCell(job, lastRun)],
          ["Catch up missed runs", job.no_catchup ? "no" : "yes"],
          ["Max concurrency", job.max_concurrency || "1"],
          [
            "Pipeline",
            spec.pipeline_id
              ? link(["pipelines", spec.pipeline_id], spec.pipeline_name || spec.pipeline_id)
              : spec.pipeline_name,
          ],
          ["Pipeline version", version ? version.name || version.key.id : null],
          [
            "Experiment",
            experiment
              ? link(["runs"], experiment.name || experiment.key.id, {
                  experiment: experiment.key.id,
                })
              : null,
          ],
          ["Service account", job.service_account],
          ["Parameters", parameterText(spec.parameters)],
          ["Created", time(job.created_at)],
          ["Updated", time(job.updated_at)],
        ]),
      ),
    ];
    return { nodes, signature: lastRun, live: Boolean(job.enabled) };
  };
  return detailView(
    pathOf("jobs", jobId),
    h("nav", { class: "breadcrumb" }, link(["jobs"], "Jobs")),
    render,
    runs,
  );
}
