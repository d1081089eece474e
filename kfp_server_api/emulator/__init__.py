"""An emulator of the Kubeflow Pipelines v1beta1 run API server, for tests and local work.

DRAFT
"""

from __future__ import annotations

import logging

from .clock import Clock, ManualClock, SystemClock
from .control import Emulator, PipelineIds
from .lifecycle import FINAL_STATUSES, Lifecycle, Step
from .server import DEFAULT_MAX_BODY_BYTES
from .service import RunSeed
from .workflow import argo_artifact_archive

__all__ = [
    "DEFAULT_MAX_BODY_BYTES",
    "FINAL_STATUSES",
    "Clock",
    "Emulator",
    "Lifecycle",
    "ManualClock",
    "PipelineIds",
    "RunSeed",
    "Step",
    "SystemClock",
    "argo_artifact_archive",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
