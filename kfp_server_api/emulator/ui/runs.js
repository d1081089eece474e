// The runs list: filtered by experiment, status and storage state, sorted, paged by the API;
// and the run table that a job's page shares.

import { ApiError, Unavailable, getPage } from "./api.js";
import {
  duration,
  fill,
  formatMetric,
  h,
  link,
  route,
  select,
  statusBadge,
  table,
  time,
  timeOf,
} from "./dom.js";
import { PagedList } from "./listing.js";

export const STATUSES = [
  "Pending",
  "Running",
  "Succeeded",
  "Failed",
  "Error",
  "Skipped",
  "Terminating",
];
const FINAL = new Set(["Succeeded", "Failed", "Error", "Skipped"]);
const ARCHIVED = "STORAGESTATE_ARCHIVED";
const MAX_METRICS_IN_LIST = 3;

export const unfinished = (run) => !FINAL.has(run.status) && timeOf(run.finished_at) === null;
// A duration that grows while the run is under way; a pending run has not started yet.
export const underWay = (run) =>
  unfinished(run) && (run.status === "Running" || run.status === "Terminating");

/** The resource a run references with `type` (EXPERIMENT, JOB, ...), or undefined. */
export function referenceOf(item, type) {
  return (item.resource_references || []).find(
    (reference) => reference.key && reference.key.type === type,
  );
}

export function experimentCell(run) {
  const reference = referenceOf(run, "EXPERIMENT");
  if (!reference) return "–";
  return link(["runs"], reference.name || reference.key.id, { experiment: reference.key.id });
}

function metricChips(run) {
  const metrics = run.metrics || [];
  const chips = metrics
    .slice(0, MAX_METRICS_IN_LIST)
    .map((metric) =>
      h(
        "span",
        { class: "chip", title: metric.node_id ? `node ${metric.node_id}` : null },
        `${metric.name} `,
        h("b", {}, formatMetric(metric)),
      ),
    );
  if (metrics.length > MAX_METRICS_IN_LIST)
    chips.push(h("span", { class: "muted" }, ` +${metrics.length - MAX_METRICS_IN_LIST}`));
  return chips.length ? chips : "–";
}

export function storageCell(item) {
  return item.storage_state === ARCHIVED
    ? h("span", { class: "tag tag-archived" }, "Archived")
    : h("span", { class: "muted" }, "Active");
}

/** The columns of a run table; `scheduled` adds the time a job scheduled the run for. */
export function runColumns({ scheduled = false } = {}) {
  return [
    {
      title: "Name",
      class: "name",
      sort: "name",
      cell: (run) =>
        h(
          "a",
          {
            href: route(["runs", run.id]),
            title: [run.name, run.description].filter(Boolean).join("\n"),
          },
          run.name || run.id,
        ),
    },
    {
      title: "Status",
      class: "status-cell",
      sort: "status",
      cell: (run) => statusBadge(run.status),
    },
    {
      title: "Duration",
      class: "duration",
      cell: (run) => duration(run.created_at, run.finished_at, { running: underWay(run) }),
    },
    { title: "Experiment", class: "experiment", cell: experimentCell },
    scheduled
      ? {
          title: "Scheduled",
          class: "time",
          sort: "scheduled_at",
          cell: (run) => time(run.scheduled_at),
        }
      : null,
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
  if (storage === "active")
    predicates.push({ key: "storage_state", op: "NOT_EQUALS", string_value: ARCHIVED });
  if (storage === "archived")
    predicates.push({ key: "storage_state", op: "EQUALS", string_value: ARCHIVED });
  return predicates.length ? JSON.stringify({ predicates }) : "";
}

/** A PagedList of runs, optionally of one resource (`{type: "JOB", id}`). */
export function runList({
  key = null,
  status = "",
  storage = "all",
  sort,
  onSort,
  scheduled = false,
}) {
  const scope = key
    ? { "resource_reference_key.type": key.type, "resource_reference_key.id": key.id }
    : {};
  return new PagedList({
    load: (query) =>
      getPage("/runs", "runs", { ...query, ...scope, filter: runFilter(status, storage) }),
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
    for (const experiment of experiments || [])
      options.push([experiment.id, experiment.name || experiment.id]);
    if (state.experiment && !options.some(([id]) => id === state.experiment)) {
      const named =
        list.page &&
        list.page.items
          .map((run) => referenceOf(run, "EXPERIMENT"))
          .find((r) => r && r.key.id === state.experiment);
      options.push([state.experiment, (named && named.name) || state.experiment]);
    }
    const text = JSON.stringify(options);
    if (text === shownOptions) return; // redrawing would close the menu if it is open
    shownOptions = text;
    fill(
      experimentSelect,
      select("Experiment", options, state.experiment, (experiment) => go({ experiment })),
    );
  };
  const toolbar = h(
    "div",
    { class: "toolbar" },
    experimentSelect,
    select(
      "Status",
      [["", "All statuses"], ...STATUSES.map((s) => [s, s])],
      state.status,
      (status) => go({ status }),
      "status-filter",
    ),
    select(
      "Show",
      [
        ["active", "Active"],
        ["archived", "Archived"],
        ["all", "All"],
      ],
      state.storage,
      (storage) => go({ storage }),
      "storage-filter",
    ),
  );
  const element = h("div", { class: "view" }, h("h1", {}, "Runs"), toolbar, list.element);
  return {
    element,
    async refresh() {
      if (experiments === null) {
        try {
          experiments = (
            await getPage("/experiments", "experiments", { page_size: 100, sort_by: "name" })
          ).items;
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
