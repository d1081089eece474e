"""Take the README's screenshot of the emulator's web page: ``python test/ui/screenshot.py
[OUT.png] [ROUTE]`` (default ``docs/emulator-ui.png``, route ``runs``).

It starts an emulator with the realistic state of ``ui_seed`` (times relative to now), opens
the page in headless Chromium and saves what it shows.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(out: str = "docs/emulator-ui.png", route: str = "runs") -> int:
    sys.path[:0] = [str(HERE), str(HERE.parents[1])]  # the helpers beside this file, the package
    from ui_browser import CSS, browser_or_skip_reason, start_chromium, wait_for
    from ui_seed import seed_demo

    from kfp_server_api.emulator import Emulator, Lifecycle

    found = browser_or_skip_reason()
    if isinstance(found, str):
        print(f"cannot take a screenshot: {found}", file=sys.stderr)
        return 1
    with (
        tempfile.TemporaryDirectory() as scratch,
        Emulator(lifecycle=Lifecycle.instant()) as server,
    ):
        seed_demo(server, hostile=False)
        browser = start_chromium(*found, Path(scratch) / "profile", Path(scratch) / "downloads")
        try:
            browser.set_window_size(1366, 680)
            browser.get(f"{server.url}/#/{route}")
            wait_for(browser, lambda b: b.find_elements(CSS, "#view table, #view .notice"), route)
            browser.save_screenshot(out)
        finally:
            browser.quit()
    print(f"saved {out} ({Path(out).stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
