"""Makes async_req calls and ends without ApiClient.close(); the process must still exit.

Usage: ``python async_exit_script.py URL collect|abandon``. ``collect`` waits for the 8 results
first; ``abandon`` ends while the calls may still be waiting for their answers.
"""

from __future__ import annotations

import sys

from kfp_server_api import ApiClient, Configuration, RunServiceApi


def main(url: str, mode: str) -> None:
    api = RunServiceApi(ApiClient(Configuration(url), pool_threads=4))
    pending = [api.get_run(f"r-{number}", async_req=True) for number in range(8)]
    if mode == "collect":
        results = [result.get(timeout=30) for result in pending]
        print(f"{len(results)} results collected")


if __name__ == "__main__":
    main(*sys.argv[1:])
