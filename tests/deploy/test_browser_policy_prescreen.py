"""The pre-screener and the quick check keep to the Content-Security-Policy in production: their
stylesheet served by WhiteNoise under its hashed name, no inline style or script."""

from pathlib import Path

import pytest

from tests.deploy.test_browser_policy import no_violations, page  # noqa: F401 (the fixture)
from tests.test_browser import CHROMIUM, browser  # noqa: F401 (the fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no Chromium: apt-get install chromium"),
]


def test_the_pre_screener_and_the_quick_check_keep_to_the_policy(page):  # noqa: F811
    page.goto(f"{page.base_url}/could-i-join/?age=10&diagnosis=b_all&situation=relapsed")
    assert page.locator(".result").count() > 0
    # Its own stylesheet applied (from its hashed name): the verdicts are drawn as badges.
    assert page.locator(".verdict").first.evaluate("e => getComputedStyle(e).borderRadius") != "0px"
    assert no_violations(page) == []
    page.goto(f"{page.base_url}/trials/NCT02013167/?age=10")
    assert "Probably does not fit" in page.locator("#quick-check").inner_text()
    assert no_violations(page) == []
