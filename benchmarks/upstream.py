"""Run the workloads on kfp-server-api 1.8.5 in a throwaway virtualenv.

The virtualenv lives in the user's cache folder (``$XDG_CACHE_HOME`` or ``~/.cache``, under
``kfp-server-api-benchmarks/``), never in the repository, and is reused while its interpreter,
its urllib3 and its python-dateutil match the ones measuring this SDK. Both versions are pinned
to those of the current interpreter so the comparison changes only the SDK. The workloads run
there through ``workloads.py`` as a worker process, with their baselines measured in that same
process, so each ratio comes from one run of one interpreter.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import venv
from importlib import metadata
from pathlib import Path
from typing import Any

import urllib3
from measure import Measurement

VERSION = "1.8.5"
_HERE = Path(__file__).resolve().parent


def cache_root() -> Path:
    """Folder holding the cached virtualenvs."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base, "kfp-server-api-benchmarks")


def _pins() -> list[str]:
    pins = [f"urllib3=={urllib3.__version__}"]
    with contextlib.suppress(metadata.PackageNotFoundError):  # then pip chooses
        pins.append(f"python-dateutil=={metadata.version('python-dateutil')}")
    return pins


def _interpreter(folder: Path) -> Path:
    return folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_virtualenv(root: Path | None = None) -> Path:
    """Create (once) a virtualenv with kfp-server-api 1.8.5; returns its interpreter."""
    pins = _pins()
    tag = "-".join(
        [f"py{sys.version_info[0]}.{sys.version_info[1]}"]
        + [pin.replace("==", "-") for pin in pins]
    )
    folder = (root or cache_root()) / f"kfp-server-api-{VERSION}-{tag}"
    python = _interpreter(folder)
    ready = folder / ".ready"
    if ready.exists() and python.exists():
        return python
    sys.stderr.write(f"creating a virtualenv with kfp-server-api=={VERSION} in {folder}\n")
    venv.EnvBuilder(clear=True, with_pip=True).create(folder)
    install = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    try:
        subprocess.run([*install, f"kfp-server-api=={VERSION}", *pins], check=True)
    except subprocess.CalledProcessError:
        # The pinned companions may not install next to 1.8.5; its own choice still measures it.
        subprocess.run([*install, f"kfp-server-api=={VERSION}"], check=True)
    ready.write_text(json.dumps({"pins": pins}))
    return python


def run(python: Path, plan: list[dict[str, Any]]) -> tuple[list[Measurement], dict[str, Any]]:
    """Run ``plan`` under ``python``; returns its measurements and the worker's other facts."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    result = subprocess.run(
        [str(python), str(_HERE / "workloads.py"), json.dumps(plan), f"kfp-server-api {VERSION}"],
        stdout=subprocess.PIPE,
        text=True,
        check=True,
        env=env,
        cwd=str(_HERE),
    )
    document = json.loads(result.stdout)
    measurements = [Measurement.from_dict(item) for item in document.pop("measurements")]
    return measurements, document
