"""Two curators in Chromium save the same trial: the second sees what changed, input kept."""

import pytest

from tests.test_browser import (  # noqa: F401 (fixtures)
    CURATOR_PASSWORD,
    DESKTOP,
    PHONE,
    SCREENSHOTS,
    block_outside,
    browser,
    follow,
    make_live_curators,
    pytestmark,
    site,
)
from trials.models import Trial

PASSWORD = CURATOR_PASSWORD


def signed_in(chromium, base_url, name, viewport):
    page = chromium.new_context(viewport=viewport).new_page()
    page.route("**/*", block_outside(base_url))
    page.goto(f"{base_url}/admin/login/")
    page.fill("#id_username", name)
    page.fill("#id_password", PASSWORD)
    follow(page, page.locator("input[type=submit]"))
    return page


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_second_curator_to_save_sees_what_changed_and_keeps_their_input(
    browser,  # noqa: F811
    site,  # noqa: F811
    viewport,
):
    make_live_curators("carla", "dana")
    trial = Trial.objects.get(nct_id="NCT04556084")
    url = f"{site}/admin/trials/trial/{trial.pk}/change/"
    carla = signed_in(browser, site, "carla", viewport)
    dana = signed_in(browser, site, "dana", viewport)
    carla.goto(url)
    dana.goto(url)

    carla.fill("#id_brief_title", "Blinatumomab bridging therapy for B-ALL (corrected)")
    carla.click("input[name=_continue]")
    carla.locator(".messagelist").wait_for(timeout=15000)
    assert "was changed successfully" in carla.locator(".messagelist").inner_text()

    dana.fill("#id_public_note", "The site in Milwaukee confirmed by phone.")
    dana.click("input[name=_continue]")
    notice = dana.locator(".saved-since")
    notice.wait_for(state="visible", timeout=15000)
    text = notice.inner_text()
    assert "saved by someone else after you opened it" in text
    assert "Brief title, by carla" in text
    assert dana.locator("#id_public_note").input_value() == (
        "The site in Milwaukee confirmed by phone."
    )
    box = notice.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]  # read without scrolling
    name = "phone" if viewport is PHONE else "desktop"
    notice.scroll_into_view_if_needed()
    dana.screenshot(path=SCREENSHOTS / f"admin-saved-since-{name}.png")
    trial.refresh_from_db()
    assert trial.brief_title.endswith("(corrected)")
    carla.close()
    dana.close()
