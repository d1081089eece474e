// The page: routes (#/runs, #/runs/ID, #/experiments, #/pipelines, #/pipelines/ID, #/jobs,
// #/jobs/ID), and live refresh: the current view reloads its data every 2 seconds while the tab
// is visible, without reloading the page.

import { forgetToken, hasToken, waitingForToken } from "./api.js";
import { experimentsView, jobView, jobsView, pipelineView, pipelinesView } from "./catalog.js";
import { formatTime, tickElapsed } from "./dom.js";
import { runView } from "./run.js";
import { runsView } from "./runs.js";

const REFRESH_MS = 2000;

const ROUTES = {
  runs: (id, query) => (id ? runView(id) : runsView(query)),
  experiments: () => experimentsView(),
  pipelines: (id) => (id ? pipelineView(id) : pipelinesView()),
  jobs: (id) => (id ? jobView(id) : jobsView()),
};

const root = document.getElementById("view");
const banner = document.getElementById("banner");
const liveButton = document.getElementById("live");
const updated = document.getElementById("updated");
const forgetButton = document.getElementById("forget-token");

let current = null;
let loading = null;
let paused = false;

// A hand-typed route may hold a stray "%": keep such a segment as it is.
function decode(segment) {
  try {
    return decodeURIComponent(segment);
  } catch (_) {
    return segment;
  }
}

function parseHash() {
  const [path, search] = (location.hash.replace(/^#\/?/, "") || "runs").split("?");
  const [section, id] = path.split("/").map(decode);
  return { section, id, query: new URLSearchParams(search || "") };
}

function show() {
  const { section, id, query } = parseHash();
  const make = ROUTES[section] || ROUTES.runs;
  current = make(id, query);
  const shown = ROUTES[section] ? section : "runs";
  for (const item of document.querySelectorAll("nav.sections a")) {
    const active = item.dataset.section === shown;
    item.classList.toggle("active", active);
    if (active) document.title = `${item.textContent}${id ? ` · ${id}` : ""} · KFP emulator`;
  }
  root.replaceChildren(current.element);
  refresh();
}

function showProblem(error) {
  const reason = error instanceof TypeError ? "Cannot reach the emulator" : "Could not refresh";
  banner.textContent = `${reason}: ${error.message}`;
  banner.hidden = false;
}

/** Reload the current view's data (one load at a time; a new view starts its own). */
function refresh() {
  const view = current;
  if (loading && loading.view === view) return loading.promise;
  const promise = view
    .refresh()
    .then(() => {
      tickElapsed();
      banner.hidden = true;
      updated.textContent = `updated ${formatTime(Date.now()).slice(11)}`;
    })
    .catch(showProblem)
    .finally(() => {
      if (loading && loading.view === view) loading = null;
      forgetButton.hidden = !hasToken();
    });
  loading = { view, promise };
  return promise;
}

function renderLive() {
  liveButton.textContent = paused ? "Paused" : "Live";
  liveButton.classList.toggle("paused", paused);
  liveButton.title = paused
    ? "Resume refreshing every 2 s"
    : "Refreshing every 2 s; click to pause";
}

liveButton.addEventListener("click", () => {
  paused = !paused;
  renderLive();
  if (!paused) refresh();
});
forgetButton.addEventListener("click", () => {
  forgetToken();
  forgetButton.hidden = true;
  refresh();
});
document.addEventListener("refresh-failed", (event) => showProblem(event.detail));
document.addEventListener("token-changed", () => {
  forgetButton.hidden = false;
});
document.addEventListener("visibilitychange", () => {
  if (!document.hidden && !paused) refresh();
});
window.addEventListener("hashchange", show);
setInterval(() => {
  if (!document.hidden && !paused && !waitingForToken()) refresh();
}, REFRESH_MS);

renderLive();
show();
