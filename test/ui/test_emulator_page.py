"""The emulator's web page in a real browser (headless Chromium through Selenium).

Each test loads the page from a seeded emulator and checks what a person would see: the runs as
the API lists them, a run's page, paging, filters, live refresh, names that stay text, the token
prompt, and that browsing changes nothing. Waits poll the page for the expected state; nothing
sleeps.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from ui_browser import CSS, XPATH, alert_text, choose, wait_for
from ui_seed import HOSTILE_IMAGE, HOSTILE_NAME, NODES, Demo

from kfp_server_api.emulator import Emulator, Lifecycle, RunSeed

API = "/apis/v1beta1"


# ---------------------------------------------------------------------------------------------
# Helpers


def api(emulator: Emulator, path: str, **query: str | int) -> Any:
    """GET an API path directly (what the page should show)."""
    url = f"{emulator.url}{API}{path}?{urllib.parse.urlencode(query)}"
    headers = {"Authorization": f"Bearer {emulator.token}"} if emulator.token else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as answer:
        return json.load(answer)


def served(emulator: Emulator, path: str) -> bool:
    """Whether the emulator serves this list route yet (the router answers 404 otherwise)."""
    try:
        api(emulator, path, page_size=1)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return False
        raise
    return True


def open_page(browser: Any, emulator: Emulator, route: str = "runs") -> None:
    """Load the page afresh at a route (a new document, not only a new hash)."""
    browser.get("about:blank")
    browser.get(f"{emulator.url}/#/{route}")


def texts(browser: Any, selector: str) -> list[str]:
    """The rendered text of every element matching ``selector`` (runs of white space as one
    space), read in one step: the page may re-render between two reads of separate elements."""
    script = "return [...document.querySelectorAll(arguments[0])].map((e) => e.innerText)"
    return [" ".join(text.split()) for text in browser.execute_script(script, selector)]


def shows(browser: Any, selector: str, expected: list[str], what: str) -> None:
    wait_for(browser, lambda b: texts(b, selector) == expected, f"{what}: {expected}")


def run_names(emulator: Emulator, **query: str | int) -> list[str]:
    return [run["name"] for run in api(emulator, "/runs", **query).get("runs", [])]


def experiment_key(experiment_id: str) -> dict[str, str]:
    return {"resource_reference_key.type": "EXPERIMENT", "resource_reference_key.id": experiment_id}


ACTIVE = json.dumps(
    {
        "predicates": [
            {"key": "storage_state", "op": "NOT_EQUALS", "string_value": "STORAGESTATE_ARCHIVED"}
        ]
    }
)


# ---------------------------------------------------------------------------------------------
# The runs


def test_runs_are_listed_as_the_api_lists_them(
    chromium: Any, emulator: Emulator, demo: Demo
) -> None:
    open_page(chromium, emulator)
    expected = run_names(emulator, page_size=20, sort_by="created_at desc", filter=ACTIVE)
    assert len(expected) > 10
    shows(chromium, "table.runs td.name", expected, "the first page of runs")
    rows = chromium.find_elements(CSS, "table.runs tbody tr")
    by_name = {row.find_element(CSS, "td.name").text: row for row in rows}
    failed = by_name["xgboost-lr0.15-depth6"]
    badge = failed.find_element(CSS, ".status")
    assert (badge.text, badge.get_attribute("class")) == ("Failed", "status status-failed")
    assert failed.find_element(CSS, "td.experiment").text == "churn-model"
    chips = [chip.text for chip in failed.find_elements(CSS, "td.metrics .chip")]
    assert chips == ["accuracy 0.83", "auc 0.88"]
    assert failed.find_element(CSS, "td.duration").text == "5m 14s"
    running = by_name["resnet50-finetune-3"].find_element(CSS, ".status")
    assert running.get_attribute("class") == "status status-running"


def test_names_with_html_stay_text(chromium: Any, emulator: Emulator, demo: Demo) -> None:
    open_page(chromium, emulator)
    wait_for(chromium, lambda b: HOSTILE_NAME in texts(b, "table.runs td.name"), "the <script> run")
    assert HOSTILE_IMAGE in texts(chromium, "table.runs td.name")
    assert chromium.find_elements(CSS, "main script, main img") == []
    open_page(chromium, emulator, f"runs/{demo.hostile_run_id}")
    shows(chromium, ".run-name", [HOSTILE_NAME], "the run's name as text")
    wait_for(chromium, lambda b: HOSTILE_IMAGE in texts(b, "dl.kv dd"), "the description as text")
    assert chromium.find_elements(CSS, "main script, main img") == []
    assert chromium.execute_script("return window.__pwned") is None
    assert alert_text(chromium) is None


def test_the_policy_blocks_inline_script_even_if_some_got_in(
    chromium: Any, emulator: Emulator
) -> None:
    open_page(chromium, emulator)
    wait_for(chromium, lambda b: texts(b, "table.runs td.name"), "the runs")
    chromium.execute_script(
        "const s = document.createElement('script');"
        "s.textContent = 'window.__inline = 1';"
        "document.body.appendChild(s);"
    )
    assert chromium.execute_script("return window.__inline") is None


def test_run_page(chromium: Any, emulator: Emulator, demo: Demo) -> None:
    open_page(chromium, emulator, f"runs/{demo.detailed_run_id}")
    shows(chromium, ".run-name", ["xgboost-lr0.05-depth4"], "the run's name")
    shows(
        chromium, "table.parameters tbody tr", ["learning_rate 0.05", "max_depth 4"], "parameters"
    )
    shows(
        chromium,
        "table.metrics tbody tr",
        ["accuracy evaluate 0.81 UNSPECIFIED", "auc evaluate 0.87 UNSPECIFIED"],
        "metrics",
    )
    nodes = texts(chromium, "table.nodes td.name")
    assert nodes[1:] == list(NODES)  # after the workflow's root, one node per step
    buttons = chromium.find_elements(CSS, "table.nodes button.artifact")
    assert sorted(
        (b.get_attribute("data-node"), b.get_attribute("data-artifact")) for b in buttons
    ) == sorted(demo.artifacts)
    assert texts(chromium, "table.references tbody tr") == [
        f"EXPERIMENT churn-model {demo.experiment_id} OWNER"
    ]
    summary = chromium.find_element(XPATH, "//summary[starts-with(., 'Workflow manifest')]")
    summary.click()
    manifest = summary.find_element(XPATH, "following-sibling::pre")
    assert json.loads(manifest.text)["metadata"] == {"generateName": "xgboost-training-"}


def test_artifact_downloads(chromium: Any, emulator: Emulator, demo: Demo, downloads: Path) -> None:
    open_page(chromium, emulator, f"runs/{demo.detailed_run_id}")
    selector = "button.artifact[data-node='train'][data-artifact='train-output']"
    button = wait_for(chromium, lambda b: b.find_elements(CSS, selector), "the button")[0]
    button.click()
    stored = demo.artifacts[("train", "train-output")]
    status = button.find_element(XPATH, "following-sibling::span")
    wait_for(chromium, lambda b: status.text == f"downloaded {len(stored)} bytes", "the download")
    saved = downloads / "train-output.tgz"
    wait_for(chromium, lambda b: saved.exists() and saved.read_bytes() == stored, "the saved file")


def test_paging_follows_the_api(chromium: Any, emulator: Emulator) -> None:
    experiment = emulator.add_experiment("paging")
    start = emulator.clock.now() - 10_000
    emulator.seed_runs(
        RunSeed(f"page-run-{i:02d}", created_at=start + i, experiment_id=experiment)
        for i in range(45)
    )
    query = {**experiment_key(experiment), "sort_by": "created_at desc", "filter": ACTIVE}
    first = api(emulator, "/runs", page_size=20, **query)
    second = api(emulator, "/runs", page_size=20, page_token=first["next_page_token"], **query)
    third = api(emulator, "/runs", page_size=20, page_token=second["next_page_token"], **query)

    open_page(chromium, emulator, f"runs?experiment={experiment}")
    for page, shown in ((first, "1-20 of 45"), (second, "21-40 of 45"), (third, "41-45 of 45")):
        if shown != "1-20 of 45":
            chromium.find_element(CSS, ".pager .next").click()
        shows(chromium, ".pager .range", [shown], "the range")
        shows(chromium, "table.runs td.name", [run["name"] for run in page["runs"]], shown)
    assert not chromium.find_element(CSS, ".pager .next").is_enabled()
    chromium.find_element(CSS, ".pager .previous").click()
    shows(chromium, "table.runs td.name", [run["name"] for run in second["runs"]], "page 2 again")
    choose(chromium.find_element(CSS, ".pager select"), "50")
    shows(chromium, ".pager .range", ["1-45 of 45"], "one page of 50")
    # Every request was for one page of the chosen size: nothing loads all the runs.
    script = "return performance.getEntriesByType('resource').map((entry) => entry.name)"
    requested = [urllib.parse.urlsplit(url) for url in chromium.execute_script(script)]
    sizes = {
        urllib.parse.parse_qs(url.query).get("page_size", ["none"])[0]
        for url in requested
        if url.path == f"{API}/runs"
    }
    assert sizes == {"20", "50"}


def test_filter_by_status_and_sort_by_name(chromium: Any, emulator: Emulator, demo: Demo) -> None:
    open_page(chromium, emulator, f"runs?experiment={demo.experiment_id}")
    key = experiment_key(demo.experiment_id)
    shows(
        chromium,
        "table.runs td.name",
        run_names(emulator, sort_by="created_at desc", filter=ACTIVE, **key),
        "the experiment's runs",
    )
    choose(chromium.find_element(CSS, ".status-filter select"), "Failed")
    failed = json.dumps(
        {
            "predicates": [
                {"key": "status", "op": "EQUALS", "string_value": "Failed"},
                json.loads(ACTIVE)["predicates"][0],
            ]
        }
    )
    expected = run_names(emulator, sort_by="created_at desc", filter=failed, **key)
    assert expected == ["xgboost-lr0.15-depth6"]
    shows(chromium, "table.runs td.name", expected, "the failed runs")
    assert "status=Failed" in chromium.current_url

    choose(chromium.find_element(CSS, ".status-filter select"), "")
    shows(chromium, ".pager .range", ["1-7 of 7"], "all of the experiment's runs")
    chromium.find_element(XPATH, "//th/button[starts-with(., 'Name')]").click()
    by_name = run_names(emulator, sort_by="name", filter=ACTIVE, **key)
    assert by_name == sorted(by_name)
    shows(chromium, "table.runs td.name", by_name, "the runs by name")


def test_page_refreshes_by_itself(chromium: Any, emulator: Emulator) -> None:
    experiment = emulator.add_experiment("live")
    (run_id,) = emulator.seed_runs(
        [RunSeed("moving-run", status="Running", experiment_id=experiment)]
    )
    open_page(chromium, emulator, f"runs/{run_id}")
    shows(chromium, ".run-title .status", ["Running"], "the run running")
    chromium.execute_script("window.__samePage = true")
    emulator.set_run_status(run_id, "Failed")
    shows(chromium, ".run-title .status", ["Failed"], "the run failed, without reloading")

    chromium.execute_script("location.hash = arguments[0]", f"#/runs?experiment={experiment}")
    shows(chromium, "table.runs td.name", ["moving-run"], "the experiment's run")
    emulator.seed_runs(
        [RunSeed("new-run", experiment_id=experiment, created_at=emulator.clock.now() + 1)]
    )
    shows(chromium, "table.runs td.name", ["new-run", "moving-run"], "the new run")
    assert chromium.execute_script("return window.__samePage") is True


def test_refresh_redraws_only_what_changed(chromium: Any, emulator: Emulator, demo: Demo) -> None:
    open_page(chromium, emulator, f"runs?experiment={demo.other_experiment_id}")
    shows(
        chromium,
        "table.runs td.name",
        ["resnet50-finetune-3", "resnet50-finetune-2", "resnet50-finetune-1"],
        "runs",
    )
    kept = [
        chromium.find_element(CSS, selector)
        for selector in ("table.runs", ".pager select", ".experiment-filter select")
    ]
    for _ in range(2):  # two more refreshes: the time of the last one changes each time
        shown = chromium.find_element(CSS, "#updated").text
        wait_for(
            chromium,
            lambda b, shown=shown: b.find_element(CSS, "#updated").text != shown,
            "a refresh",
        )
    assert [chromium.execute_script("return arguments[0].isConnected", e) for e in kept] == [
        True
    ] * 3


def test_runs_of_a_job(chromium: Any, emulator: Emulator, demo: Demo) -> None:
    open_page(chromium, emulator, f"jobs/{demo.job_id}")
    shows(chromium, "table.runs td.name", ["nightly-retrain-1"], "the run the job fired")
    if served(emulator, "/jobs"):
        shows(chromium, ".run-name", ["nightly-retrain"], "the job's name")
    else:
        wait_for(chromium, lambda b: b.find_elements(CSS, ".notice-unavailable"), "a notice")


@pytest.mark.parametrize(
    ("route", "path", "names"),
    [
        ("experiments", "/experiments", ["Default", "churn-model", "image-classifier"]),
        ("pipelines", "/pipelines", ["xgboost-training"]),
        ("jobs", "/jobs", ["nightly-retrain"]),
    ],
)
def test_other_services_are_listed_or_shown_as_unavailable(
    chromium: Any, emulator: Emulator, demo: Demo, route: str, path: str, names: list[str]
) -> None:
    open_page(chromium, emulator, route)
    if served(emulator, path):
        wait_for(
            chromium,
            lambda b: set(names) <= set(texts(b, f"table.{route} td.name")),
            f"the {route}: {names}",
        )
    else:
        shows(
            chromium,
            ".notice-unavailable",
            [f"This emulator does not serve GET {API}{path} yet."],
            "the unavailable notice",
        )


def test_next_fire_time_follows_the_scheduler(chromium: Any, emulator: Emulator) -> None:
    open_page(chromium, emulator)
    # (job, newest run's scheduled time, now) -> next fire time, in seconds; the worked examples
    # of the ScheduledWorkflow controller's algorithm.
    periodic = {
        "interval_second": "60",
        "start_time": "1970-01-01T10:00:00Z",
        "end_time": "1970-01-01T10:02:00Z",
    }
    created = "1970-01-02T03:46:39Z"  # epoch 99999, long after the window
    cases = [
        (
            {"enabled": True, "created_at": created, "trigger": {"periodic_schedule": periodic}},
            None,
            99999,
            36060,
        ),
        (
            {"enabled": True, "created_at": created, "trigger": {"periodic_schedule": periodic}},
            36060,
            99999,
            36120,
        ),
        (
            {"enabled": True, "created_at": created, "trigger": {"periodic_schedule": periodic}},
            36120,
            99999,
            None,
        ),
        (
            {
                "enabled": True,
                "no_catchup": True,
                "created_at": created,
                "trigger": {"periodic_schedule": periodic},
            },
            None,
            99999,
            36120,
        ),
        (
            {
                "enabled": True,
                "created_at": created,
                "trigger": {
                    "cron_schedule": {
                        "cron": "0 * * * * ?",
                        **{k: periodic[k] for k in ("start_time", "end_time")},
                    }
                },
            },
            None,
            99999,
            36060,
        ),
        (
            {
                "enabled": True,
                "created_at": "1970-01-01T00:00:10Z",
                "trigger": {"cron_schedule": {"cron": "*/5 * * * *"}},
            },
            None,
            11,
            15,
        ),
        (
            {
                "enabled": True,
                "created_at": "1970-01-01T00:00:10Z",
                "trigger": {"cron_schedule": {"cron": "@every 1h30m"}},
            },
            None,
            11,
            5410,
        ),
        (
            {
                "enabled": True,
                "created_at": "1970-01-01T00:00:10Z",
                "trigger": {"cron_schedule": {"cron": "0 0 0 * * mon"}},
            },
            None,
            11,
            345600,
        ),
        ({"enabled": True, "created_at": "1970-01-01T00:00:10Z"}, None, 11, 10),
        ({"enabled": True, "created_at": "1970-01-01T00:00:10Z"}, 10, 11, None),
        (
            {
                "enabled": False,
                "created_at": "1970-01-01T00:00:10Z",
                "trigger": {"periodic_schedule": {"interval_second": "60"}},
            },
            None,
            11,
            None,
        ),
    ]
    results = chromium.execute_async_script(
        """
        const [cases, done] = arguments;
        import("/emulator/ui/schedule.js").then((schedule) => done(cases.map(([job, last, now]) => {
          const next = schedule.nextFireTime(job, last === null ? null : last * 1000, now * 1000);
          return next.at === null ? null : next.at / 1000;
        })));
        """,
        [[job, last, now] for job, last, now, _ in cases],
    )
    assert results == [expected for *_, expected in cases]


# ---------------------------------------------------------------------------------------------
# Token and safety


def test_token_is_asked_once_and_kept_for_the_tab(chromium: Any) -> None:
    with Emulator(token="s3cret", lifecycle=Lifecycle.manual()) as guarded:
        guarded.seed_runs([RunSeed("guarded-run")])
        open_page(chromium, guarded)
        dialog = wait_for(
            chromium, lambda b: b.find_elements(CSS, "dialog#token-dialog[open]"), "the prompt"
        )[0]
        field = dialog.find_element(CSS, "input")
        field.send_keys("wrong")
        dialog.find_element(CSS, "button").click()
        wait_for(
            chromium,
            lambda b: dialog.find_element(CSS, ".token-refused").is_displayed(),
            "the refusal",
        )
        field.send_keys("s3cret")
        dialog.find_element(CSS, "button").click()
        shows(chromium, "table.runs td.name", ["guarded-run"], "the runs, with the token")
        assert (
            chromium.execute_script("return sessionStorage.getItem('kfp-emulator-token')")
            == "s3cret"
        )
        assert chromium.find_element(CSS, "#forget-token").is_displayed()

        chromium.refresh()  # same tab: the token is kept, no second prompt
        shows(chromium, "table.runs td.name", ["guarded-run"], "the runs after a reload")
        assert chromium.find_elements(CSS, "dialog#token-dialog[open]") == []


def test_an_unreachable_emulator_is_reported_and_the_page_recovers(chromium: Any) -> None:
    emulator = Emulator(lifecycle=Lifecycle.manual())
    with emulator:
        emulator.seed_runs([RunSeed("survivor")])
        open_page(chromium, emulator)
        shows(chromium, "table.runs td.name", ["survivor"], "the run")
        port = int(emulator.url.rpartition(":")[2])
        emulator.stop()
        banner = chromium.find_element(CSS, "#banner")
        wait_for(
            chromium, lambda b: banner.text.startswith("Cannot reach the emulator"), "a banner"
        )
        assert texts(chromium, "table.runs td.name") == ["survivor"]  # what was shown stays
        emulator.port = port  # serve again where the page looks
        emulator.start()
        wait_for(chromium, lambda b: not banner.is_displayed(), "the banner gone")


def test_browsing_changes_nothing_and_breaks_no_rule(
    chromium: Any, emulator: Emulator, demo: Demo
) -> None:
    def state() -> Any:
        runs = api(emulator, "/runs", page_size=200, sort_by="name")
        return runs, api(emulator, f"/runs/{demo.detailed_run_id}")

    before = state()
    chromium.get_log("browser")  # start with an empty log
    tour = [
        ("runs", "table.runs td.name"),
        (f"runs/{demo.detailed_run_id}", "table.nodes button.artifact"),
        (f"runs?experiment={demo.other_experiment_id}&status=Running", "table.runs td.name"),
        ("experiments", ".list-body > *"),
        ("pipelines", ".list-body > *"),
        (f"pipelines/{demo.pipeline_id}", ".list-body > *"),
        ("jobs", ".list-body > *"),
        (f"jobs/{demo.job_id}", "table.runs td.name"),
    ]
    for route, ready in tour:
        open_page(chromium, emulator, route)
        wait_for(chromium, lambda b, ready=ready: b.find_elements(CSS, ready), route)
        if route.startswith(f"runs/{demo.detailed_run_id}"):
            chromium.find_element(CSS, "button.artifact").click()
            wait_for(
                chromium, lambda b: "downloaded" in texts(b, ".download-status")[0], "a download"
            )
    assert state() == before
    # No script error and no Content-Security-Policy violation on any page.
    problems = [e for e in chromium.get_log("browser") if e["source"] in ("javascript", "security")]
    assert problems == []
