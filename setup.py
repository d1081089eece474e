"""Packaging for kfp_server_api: a Kubeflow Pipelines v1beta1 REST client and emulator."""

import re
from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent
# The package's __version__ is the single source of the version number.
VERSION = re.search(
    r'^__version__ = "([^"]+)"', (HERE / "kfp_server_api" / "__init__.py").read_text(), re.M
).group(1)
REQUIRES = [
    line.strip()
    for line in (HERE / "requirements.txt").read_text().splitlines()
    if line.strip() and not line.startswith("#")
]

setup(
    name="kfp-server-api",
    version=VERSION,
    description="Kubeflow Pipelines v1beta1 REST API client, with an emulator of the API server",
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="Apache-2.0",
    license_files=["LICENSE"],
    python_requires=">=3.9",
    install_requires=REQUIRES,
    packages=find_packages(include=["kfp_server_api", "kfp_server_api.*"]),
    package_data={
        "kfp_server_api": ["py.typed"],
        # The emulator's web page: served from the installed package.
        "kfp_server_api.emulator.ui": ["*.html", "*.js", "*.css", "*.svg"],
    },
    include_package_data=True,
    zip_safe=False,
    # The fixtures of kfp_server_api.pytest_plugin, for tests against the emulator. The entry
    # point is named after the module, so a conftest listing the module in pytest_plugins does
    # not register it a second time.
    entry_points={"pytest11": ["kfp_server_api.pytest_plugin = kfp_server_api.pytest_plugin"]},
    keywords=["Kubeflow", "Kubeflow Pipelines", "KFP", "OpenAPI", "emulator"],
    classifiers=[
        "Programming Language :: Python :: 3",
        "Programming Language :: Python :: 3 :: Only",
        "Programming Language :: Python :: 3.9",
        "Programming Language :: Python :: 3.10",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
        "Programming Language :: Python :: 3.13",
        "Typing :: Typed",
    ],
)
