"""One headless Chromium for every browser test of the session.

Playwright's sync API runs an event loop while it is open, so a second ``sync_playwright()`` in
the same session fails ("Sync API inside the asyncio loop"): every module shares this one.
"""

from __future__ import annotations

import pytest

from tests.report import browser as site_check


@pytest.fixture(scope="session")
def browser():
    if reason := site_check.skip_reason():
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=site_check.chromium_path(), headless=True)
        yield chromium
        chromium.close()
