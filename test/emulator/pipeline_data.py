"""Pipeline files and upload requests for the emulator's pipeline tests.

``data/`` holds files compiled by the KFP SDK 1.8.22 (``kfp.compiler.Compiler().compile``): an
Argo workflow, a v2-compatible one, and the pipeline spec of a v2 pipeline.
"""

from __future__ import annotations

import gzip
import io
import tarfile
import urllib.parse
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from emulator_http import API, Client, Reply

DATA = Path(__file__).resolve().parent / "data"
COMPILED = (DATA / "kfp-1.8.22-addition.yaml").read_bytes()
COMPILED_V2_COMPATIBLE = (DATA / "kfp-1.8.22-v2-compatible.yaml").read_bytes()
V2_SPEC = (DATA / "kfp-1.8.22-v2-hello-world.json").read_bytes()

PIPELINES = f"{API}/pipelines"
VERSIONS = f"{API}/pipeline_versions"
UPLOAD = f"{PIPELINES}/upload"
UPLOAD_VERSION = f"{PIPELINES}/upload_version"

# The reference's fixture arguments-parameters.yaml: an Argo workflow with two arguments.
ARGUMENTS_YAML = b"""\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: arguments-parameters-
spec:
  entrypoint: whalesay
  # Different ways to pass parameters
  arguments:
    parameters:
    - name: param1
      value: hello
    - name: param2
  templates:
  - name: whalesay
    inputs:
      parameters:
      - name: param1
      - name: param2
    container:
      image: docker/whalesay:latest
      command: [cowsay]
      args: ["{{inputs.parameters.param1}}-{{inputs.parameters.param2}}"]
"""
ARGUMENTS = [{"name": "param1", "value": "hello"}, {"name": "param2"}]
COMPONENT_YAML = b"name: Add\ninputs:\n- {name: a}\nimplementation:\n  container: {image: alpine}\n"


def multipart(
    file_name: str | None, content: bytes, *, field: str = "uploadfile", boundary: str = "b0und"
) -> tuple[bytes, str]:
    """A multipart/form-data body with one part, and its Content-Type."""
    disposition = f'form-data; name="{field}"'
    if file_name is not None:
        disposition += f'; filename="{file_name}"'
    body = (
        (
            f"--{boundary}\r\nContent-Disposition: {disposition}\r\n"
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def upload(
    client: Client,
    content: bytes,
    file_name: str = "pipeline.yaml",
    *,
    path: str = UPLOAD,
    method: str = "POST",
    **query: str,
) -> Reply:
    """Upload ``content`` as ``file_name`` with these query parameters."""
    body, content_type = multipart(file_name, content)
    if query:
        path += "?" + urllib.parse.urlencode(query)
    return client.request(method, path, body, {"Content-Type": content_type})


def zip_of(entries: Mapping[str, bytes]) -> bytes:
    """A zip archive of ``entries`` in order."""
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return raw.getvalue()


def tar_gz_of(entries: Mapping[str, bytes]) -> bytes:
    """A gzip-compressed tar archive of ``entries`` in order."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as archive:
        for name, content in entries.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return gzip.compress(raw.getvalue(), mtime=0)


def upload_error(message: str) -> dict[str, Any]:
    """The upload handler's error body."""
    return {"error_message": message, "error_details": message}
