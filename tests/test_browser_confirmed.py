"""A site confirmed by our staff and the problem report form, in headless Chromium at phone
width (390 px): screenshots to look at (test-artifacts/), no sideways scroll, keyboard only."""

import datetime

from django.utils import timezone

from tests.test_browser import (  # noqa: F401  (fixtures)
    DESKTOP,
    PHONE,
    SCREENSHOTS,
    block_outside,
    browser,
    live_curator,
    no_sideways_scroll,
    pytestmark,
    sign_in,
    site,
)
from trials.models import SiteConfirmation, Trial


def confirm_the_site(nct_id, index=0, **fields):
    place = Trial.objects.get(nct_id=nct_id).sites.all()[index]
    return SiteConfirmation.objects.create(site=place, **fields)


def test_a_confirmed_site_at_phone_width(browser, site):  # noqa: F811
    day = timezone.localdate() - datetime.timedelta(days=3)
    confirm_the_site(
        "NCT06607419",
        answer="RECRUITING",
        method="PHONE",
        confirmed_on=day,
        public_note="Ask for the research nurse of the leukaemia team.",
    )
    confirm_the_site("NCT06607419", 1, answer="NO_ANSWER", method="EMAIL", confirmed_on=day)
    # A closed trial is never "confirmed open", whatever its site said.
    confirm_the_site("NCT04556084", answer="RECRUITING", method="EMAIL", confirmed_on=day)
    page = browser.new_page(viewport=PHONE)
    page.route("**/*", block_outside(site))
    page.goto(f"{site}/trials/NCT06607419/#where")
    confirmation = page.locator(".confirmation-recruiting")
    assert confirmation.is_visible()
    assert "had no answer" in page.locator(".confirmation-no_answer").inner_text()
    said = confirmation.inner_text()
    assert f"Recruiting, confirmed by our staff on {day:%-d %B %Y} (by phone)." in said
    assert no_sideways_scroll(page)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.locator("#where").screenshot(path=SCREENSHOTS / "confirmed-site-phone.png")
    page.goto(f"{site}/trials/?confirmed=yes")
    assert page.locator(".nct-id").all_inner_texts() == ["NCT06607419"]
    # On a phone the filter panel stays closed after applying; the chip says what is chosen.
    assert "Confirmed" in " ".join(page.locator(".chips a").all_inner_texts())
    page.locator(".filters summary").click()
    box = page.get_by_role(
        "checkbox", name="A site confirmed it is recruiting, in the last 90 days"
    )
    assert box.is_checked()
    assert no_sideways_scroll(page)
    page.screenshot(path=SCREENSHOTS / "confirmed-filter-phone.png", full_page=True)
    page.close()


def test_the_report_form_by_keyboard_alone_at_phone_width(browser, site):  # noqa: F811
    page = browser.new_page(viewport=PHONE)
    page.route("**/*", block_outside(site))
    page.goto(f"{site}/trials/NCT04556084/")
    link = page.get_by_role("link", name="Report a problem with this page")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/report/")
    assert page.locator("h1").inner_text() == "Report a problem with this page"
    reached = []
    for _ in range(25):
        page.keyboard.press("Tab")
        reached.append(
            page.evaluate("document.activeElement.name || document.activeElement.textContent")
        )
    assert "kind" in reached and "message" in reached and "email" in reached
    assert "website" not in reached  # the honeypot is never reached
    page.get_by_label("Something on the page is wrong or out of date").check()
    page.get_by_label("What is wrong").fill("short")
    page.get_by_role("button", name="Send the report").click()
    assert "at least 10 characters" in page.get_by_role("alert").inner_text()
    assert no_sideways_scroll(page)
    page.screenshot(path=SCREENSHOTS / "report-form-error-phone.png", full_page=True)
    page.get_by_label("What is wrong").fill("The phone number of the only site is wrong.")
    with page.expect_navigation():
        page.get_by_role("button", name="Send the report").click()
    assert page.locator("h1").inner_text() == "Thank you: your report was sent"
    page.goto(f"{site}/accessibility/")
    assert no_sideways_scroll(page)
    page.screenshot(path=SCREENSHOTS / "accessibility-phone.png", full_page=True)
    page.close()


def test_a_curator_sees_the_reading_grade_change_as_they_type(browser, site, live_curator):  # noqa: F811
    # wait_for_function() evaluates its text in the page, which the site's CSP (no eval) forbids:
    # bypassed for the test tool only (tests/deploy checks the policy against the admin form).
    page = browser.new_page(viewport=DESKTOP, bypass_csp=True)
    page.route("**/*", block_outside(site))
    sign_in(page, site, live_curator)
    trial = Trial.objects.get(nct_id="NCT07117136")
    page.goto(f"{site}/admin/trials/trial/{trial.pk}/change/")
    box = page.locator("#id_plain_title")
    box.fill(
        "A multicentre observational registry characterising real-world utilisation of "
        "blinatumomab consolidation in frontline management"
    )
    live = page.locator("#id_plain_title_readability")
    page.wait_for_function(
        "document.querySelector('#id_plain_title_readability').textContent.includes('grade')"
    )
    assert "above the target (8 or lower)" in live.inner_text()
    box.fill("A study of a drug for blood cancer, in everyday care")
    page.wait_for_function(
        "document.querySelector('#id_plain_title_readability').textContent.includes('meets')"
    )
    page.locator("#id_plain_title").scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / "readability-live-admin.png")
    page.close()
