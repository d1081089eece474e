"""The README's sample test: code under test, checked against the plugin's emulator."""

import pytest

from kfp_server_api import ApiExperiment, ExperimentServiceApi
from kfp_server_api.exceptions import ConflictException
from kfp_server_api.filters import Filter, eq


def ensure_experiment(experiments: ExperimentServiceApi, name: str) -> str:
    """The code under test: the id of the experiment `name`, created if it is missing."""
    found = experiments.list_experiment(filter=Filter.where(eq("name", name)))
    if found.experiments:
        return found.experiments[0].id
    return experiments.create_experiment(ApiExperiment(name=name)).id


def test_ensure_experiment_creates_it_once(kfp_experiment_api: ExperimentServiceApi) -> None:
    first = ensure_experiment(kfp_experiment_api, "nightly")
    assert ensure_experiment(kfp_experiment_api, "nightly") == first
    with pytest.raises(ConflictException):  # the server refuses a second "nightly"
        kfp_experiment_api.create_experiment(ApiExperiment(name="nightly"))


def test_each_test_starts_from_an_empty_server(kfp_experiment_api: ExperimentServiceApi) -> None:
    names = [e.name for e in kfp_experiment_api.list_experiment().experiments or []]
    assert names == ["Default"]  # "nightly" is gone
