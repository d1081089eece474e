"""The trigram index behind IS_SUBSTRING: it finds what LIKE finds, and a database file moved
between SQLite builds with and without FTS5 keeps answering substring filters correctly."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from emulator_http import RUNS, Client, create_run

from kfp_server_api.emulator import Emulator, RunSeed
from kfp_server_api.emulator.store import listing as store_listing

with closing(sqlite3.connect(":memory:")) as _probe:  # unclosed, Python 3.13 warns (an error)
    _HAS_TRIGRAMS = store_listing.text_search_supported(_probe)

pytestmark = pytest.mark.skipif(
    not _HAS_TRIGRAMS, reason="this SQLite has no FTS5 trigram tokenizer"
)


def names_containing(emulator: Emulator, word: str) -> list[str]:
    """Names of the runs whose name holds ``word``, through a listing sparse enough to gather."""
    query = {"predicates": [{"key": "name", "op": "IS_SUBSTRING", "string_value": word}]}
    client = Client(emulator.url)
    try:
        reply = client.get(RUNS, filter=json.dumps(query), page_size=1, sort_by="name")
        assert reply.status == 200, reply.text
        names = [run["name"] for run in reply.json.get("runs", [])]
        while "next_page_token" in reply.json:
            reply = client.get(RUNS, page_token=reply.json["next_page_token"], page_size=1)
            names += [run["name"] for run in reply.json["runs"]]
        return names
    finally:
        client.close()


def test_the_index_finds_what_like_finds(tmp_path: Path) -> None:
    with Emulator(db=str(tmp_path / "kfp.db"), lifecycle="manual") as server:
        server.seed_runs(RunSeed(f"run {index}") for index in range(60))
        server.seed_runs([RunSeed("CANARY one"), RunSeed("x canary_2"), RunSeed("cañary")])
        assert names_containing(server, "canary") == ["CANARY one", "x canary_2"]
        assert names_containing(server, "an_ry") == ["CANARY one", "x canary_2"]
        assert names_containing(server, "ñar") == ["cañary"]
        client = Client(server.url)
        created = create_run(client, "made canary")
        assert client.request("DELETE", f"{RUNS}/{created['id']}").status == 200
        client.close()
        assert names_containing(server, "canary") == ["CANARY one", "x canary_2"]


def test_a_file_written_without_fts5_is_indexed_when_reopened_with_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "kfp.db")
    with Emulator(db=db, lifecycle="manual") as server:
        server.seed_runs(RunSeed(f"run {index}") for index in range(60))
        server.seed_runs([RunSeed("first canary")])
    with monkeypatch.context() as patch:
        patch.setattr(store_listing, "text_search_supported", lambda connection: False)
        with Emulator(db=db, lifecycle="manual") as server:
            server.seed_runs([RunSeed("second canary")])
            assert names_containing(server, "canary") == ["first canary", "second canary"]
    with Emulator(db=db, lifecycle="manual") as server:
        server.seed_runs([RunSeed("third canary")])
        expected = ["first canary", "second canary", "third canary"]
        assert names_containing(server, "canary") == expected
