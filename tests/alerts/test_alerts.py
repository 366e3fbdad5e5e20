"""Following a search or a trial by email (trials/alerts/), against a real SMTP server: the
confirmation, the digests and their headers, unsubscribing, the limits, exactly-once delivery."""

import re
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from trials.alerts import outbox
from trials.alerts.digests import build_digests
from trials.alerts.subscriptions import purge
from trials.models import (
    ChangeKind,
    Follow,
    OutboxMessage,
    PublicationState,
    Subscriber,
    Trial,
    TrialChange,
)

pytestmark = pytest.mark.django_db

ADDRESS = "parent@example.org"  # synthetic: example.org is reserved for examples
TRIAL = "NCT02013167"


def text_of(message):
    return part(message, "text/plain")


def part(message, content_type):
    for piece in message.walk():
        if piece.get_content_type() == content_type:
            return piece.get_payload(decode=True).decode(piece.get_content_charset() or "utf-8")
    raise AssertionError(f"no {content_type} part")


def link(message, name):
    """The path of the first link to /alerts/<name>/... in the message's text."""
    return re.search(rf"http://testserver(/(?:[a-z-]+/)?alerts/{name}/[^/\s]+/)", text_of(message))[
        1
    ]


def ask(client, prefix="", **data):
    return client.post(f"{prefix}/alerts/follow/", {"email": ADDRESS, "frequency": "daily", **data})


def confirm_by_mail(client, message):
    confirm = link(message, "confirm")
    assert client.get(confirm).status_code == 200
    return client.post(confirm)


def changed(trial, kind, *, at, **values):
    return TrialChange.objects.create(trial=trial, kind=kind, seen_at=at, **values)


def test_following_a_search_mails_only_a_confirmation(client, bundled_trials, mail):
    response = ask(client, search="q=leukemia&page=3&sort=newest&status=RECRUITING")
    assert response.status_code == 302 and response["Location"] == "/alerts/sent/"
    assert "Check your email" in client.get("/alerts/sent/").content.decode()

    [message] = mail.messages
    assert message["To"] == ADDRESS and message["From"] == "trials@example.org"
    assert message["Subject"] == "Please confirm: email updates about blinatumomab trials"
    assert "Search: “leukemia”" in text_of(message)
    assert "/alerts/confirm/" in part(message, "text/html")
    follow = Follow.objects.get()
    # The search as followed: the list's own filters, no page or sort.
    assert follow.query == "q=leukemia&status=RECRUITING" and follow.confirmed_at is None
    assert OutboxMessage.objects.get().state == OutboxMessage.State.SENT

    # Until the link is followed, nothing else is sent, whatever changes.
    trial = Trial.objects.get(nct_id=TRIAL)
    changed(
        trial, ChangeKind.STATUS, at=timezone.now(), old_value="RECRUITING", new_value="COMPLETED"
    )
    assert build_digests(now=timezone.now() + timedelta(days=8)) == 0
    call_command("send_alerts", stdout=StringIO())
    assert len(mail.messages) == 1


def test_the_confirmation_link_asks_then_confirms(client, bundled_trials, mail):
    ask(client, trial=TRIAL)
    [message] = mail.messages
    assert "NCT02013167" in text_of(message)
    confirm = link(message, "confirm")
    page = client.get(confirm)
    assert "Yes, send me these emails" in page.content.decode()
    assert Follow.objects.get().confirmed_at is None  # a mail scanner's GET confirms nothing
    done = client.post(confirm)
    assert done.status_code == 302 and "/alerts/manage/" in done["Location"]
    follow = Follow.objects.get()
    assert follow.confirmed_at is not None and follow.frequency == "daily"
    manage = client.get(done["Location"]).content.decode()
    assert "Thank you: your email updates are on." in manage and "NCT02013167" in manage
    assert ADDRESS not in manage


def test_a_confirmation_link_expires_and_a_changed_one_is_refused(
    client, bundled_trials, mail, settings
):
    ask(client, trial=TRIAL)
    confirm = link(mail.messages[0], "confirm")
    tampered = confirm[:-6] + ("A" if confirm[-6] != "A" else "B") + confirm[-5:]
    assert client.post(tampered).status_code == 400
    settings.ALERTS_CONFIRM_DAYS = -1  # every link is now older than its life
    expired = client.post(confirm)
    assert expired.status_code == 410 and "older" in expired.content.decode()
    assert Follow.objects.get().confirmed_at is None


def test_the_confirmation_is_in_the_language_of_the_page(client, bundled_trials, mail):
    ask(client, prefix="/es", trial=TRIAL)
    [message] = mail.messages
    assert message["Subject"] != "Please confirm: email updates about blinatumomab trials"
    assert "/es/alerts/confirm/" in text_of(message)
    assert 'lang="es"' in part(message, "text/html")
    assert Subscriber.objects.get().language == "es"


def follows_confirmed(client, mail):
    """A parent follows TRIAL and a search for leukemia, daily, and confirms both."""
    ask(client, trial=TRIAL)
    ask(client, search="q=leukemia")
    for message in mail.messages[-2:]:
        assert confirm_by_mail(client, message).status_code == 302
    mail.messages.clear()
    return Follow.objects.get(trial__nct_id=TRIAL).confirmed_at


def test_a_digest_tells_each_kind_of_change(client, bundled_trials, mail):
    since = follows_confirmed(client, mail)
    trial = Trial.objects.get(nct_id=TRIAL)
    later = since + timedelta(hours=2)
    changed(
        trial,
        ChangeKind.STATUS,
        at=later,
        old_value="RECRUITING",
        new_value="ACTIVE_NOT_RECRUITING",
        registry_posted_on=date(2026, 11, 2),
    )
    changed(
        trial,
        ChangeKind.SITE_ADDED,
        at=later,
        subject="Synthetic Site, Springfield",
        new_value="RECRUITING",
    )
    changed(
        trial,
        ChangeKind.SITE_OPENED,
        at=later,
        subject="Synthetic Site A",
        old_value="NOT_YET_RECRUITING",
        new_value="RECRUITING",
    )
    changed(
        trial,
        ChangeKind.SITE_CLOSED,
        at=later,
        subject="Synthetic Site B",
        old_value="RECRUITING",
        new_value="COMPLETED",
    )
    changed(
        trial,
        ChangeKind.SITE_STATUS,
        at=later,
        subject="Synthetic Site C",
        old_value="RECRUITING",
        new_value="SUSPENDED",
    )
    changed(trial, ChangeKind.SITE_REMOVED, at=later, subject="Synthetic Site D")
    changed(trial, ChangeKind.ELIGIBILITY, at=later)
    changed(
        trial,
        ChangeKind.AGES,
        at=later,
        subject="minimum_age",
        old_value="1 Year",
        new_value="6 Months",
    )
    changed(
        trial,
        ChangeKind.DATES,
        at=later,
        subject="primary_completion_date",
        old_value="2027-01",
        new_value="2027-06",
    )
    changed(trial, ChangeKind.RESULTS_POSTED, at=later, new_value="2026-11-01")
    changed(trial, ChangeKind.CORRECTION, at=later, subject="Site: Synthetic Site E, Springfield")
    # Seen before the follow was confirmed: not in its first digest.
    changed(
        trial, ChangeKind.SITE_ADDED, at=since - timedelta(hours=1), subject="Synthetic Old Site"
    )

    assert build_digests(now=since + timedelta(days=1)) == 1
    assert outbox.deliver_due(now=since + timedelta(days=1)) == (1, 0)
    [digest] = mail.messages
    text = text_of(digest)
    assert digest["Subject"].startswith("Blinatumomab trials you follow:")
    for words in [
        "The trial's status changed from “Recruiting” to “Under way, not taking new people”. "
        "Posted by the registry on 2 November 2026.",
        "A site was added: Synthetic Site, Springfield (Recruiting).",
        "A site started taking patients: Synthetic Site A (now “Recruiting”).",
        "A site stopped taking patients: Synthetic Site B (now “Completed”).",
        "A site's status changed: Synthetic Site C, from “Recruiting” to “Paused”.",
        "A site is no longer listed by the registry: Synthetic Site D.",
        "The eligibility criteria (who can join) changed.",
        "The youngest age to join changed from 1 year to 6 months.",
        "The date the main results are expected moved from January 2027 to June 2027.",
        "Results were posted on the registry (first posted on 1 November 2026).",
        "Our curators corrected a detail the registry gives: Site: Synthetic Site E, Springfield.",
        "== Trial: NCT02013167",
        "== Search: “leukemia” ==",
    ]:
        assert words in text, words
    assert "Synthetic Old Site" not in text
    html = part(digest, "text/html")
    assert '<html lang="en">' in html and "A site stopped taking patients" in html
    assert "http://testserver/alerts/manage/" in text

    # The next day, nothing new: no digest.
    assert build_digests(now=since + timedelta(days=2, hours=1)) == 0


def test_a_new_trial_found_by_a_followed_search_is_told(client, bundled_trials, mail):
    since = follows_confirmed(client, mail)
    Follow.objects.filter(trial__isnull=False).delete()
    trial = Trial.objects.get(nct_id=TRIAL)
    changed(trial, ChangeKind.FIRST_LISTED, at=since + timedelta(minutes=5))
    assert build_digests(now=since + timedelta(days=1)) == 1
    outbox.deliver_due(now=since + timedelta(days=1))
    assert "New here: first listed since your last email." in text_of(mail.messages[0])


def test_digest_headers_offer_a_one_click_unsubscribe(client, bundled_trials, mail):
    since = follows_confirmed(client, mail)
    changed(
        Trial.objects.get(nct_id=TRIAL), ChangeKind.RESULTS_POSTED, at=since + timedelta(minutes=1)
    )
    build_digests(now=since + timedelta(days=1))
    outbox.deliver_due(now=since + timedelta(days=1))
    [digest] = mail.messages
    unsubscribe = re.fullmatch(
        r"<(http://testserver/alerts/unsubscribe/\S+/)>",
        "".join(digest["List-Unsubscribe"].split()),
    )
    assert unsubscribe, digest["List-Unsubscribe"]
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert digest["Message-ID"].startswith("<alert-")
    assert digest.get_content_type() == "multipart/alternative"
    assert unsubscribe[1] in text_of(digest)

    # The mail client's one-click POST: no CSRF token, no cookie.
    path = unsubscribe[1].removeprefix("http://testserver")
    strict = Client(enforce_csrf_checks=True)
    asking = strict.get(path)
    assert asking.status_code == 200 and Subscriber.objects.exists()  # GET deletes nothing
    done = strict.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert done.status_code == 200 and "You are unsubscribed" in done.content.decode()
    assert not Subscriber.objects.exists() and not Follow.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert strict.get(path).status_code == 404


def test_each_digest_is_sent_once_after_a_crash_between_building_and_sending(
    client, bundled_trials, mail
):
    since = follows_confirmed(client, mail)
    changed(
        Trial.objects.get(nct_id=TRIAL),
        ChangeKind.STATUS,
        at=since - timedelta(hours=1),
        old_value="RECRUITING",
        new_value="COMPLETED",
    )
    Follow.objects.update(last_digest_at=since - timedelta(days=1))  # due now
    # A run that stops after building: the digest waits in the outbox, the follows moved on.
    call_command("send_alerts", "--no-deliver", stdout=StringIO())
    assert OutboxMessage.objects.filter(kind="digest", state="pending").count() == 1
    assert not mail.messages
    # Started again, twice: the digest goes once, and no second one is built.
    call_command("send_alerts", stdout=StringIO())
    call_command("send_alerts", stdout=StringIO())
    assert len(mail.messages) == 1
    assert OutboxMessage.objects.get(kind="digest").state == "sent"


def test_a_sender_killed_after_claiming_a_message_sends_it_once_on_the_next_run(
    client, bundled_trials, mail
):
    since = follows_confirmed(client, mail)
    changed(Trial.objects.get(nct_id=TRIAL), ChangeKind.DATES, at=since + timedelta(minutes=1))
    now = since + timedelta(days=1)
    build_digests(now=now)
    message = OutboxMessage.objects.get(kind="digest")
    assert outbox.claim(message.pk, now=now)  # ... and the sender is killed here
    assert outbox.deliver_due(now=now) == (0, 0)  # still claimed: not sent twice at once
    assert outbox.deliver_due(now=now + outbox.LEASE + timedelta(minutes=1)) == (1, 0)
    assert outbox.deliver_due(now=now + timedelta(days=1)) == (0, 0)
    assert len(mail.messages) == 1
    assert OutboxMessage.objects.get(pk=message.pk).attempts == 2


def test_a_server_that_refuses_mail_is_tried_again_then_the_failure_is_shown_to_curators(
    client, bundled_trials, mail, settings, curator_client
):
    since = follows_confirmed(client, mail)
    changed(Trial.objects.get(nct_id=TRIAL), ChangeKind.AGES, at=since + timedelta(minutes=1))
    now = since + timedelta(days=1)
    build_digests(now=now)
    mail.refuse = True
    settings.ALERTS_MAX_ATTEMPTS = 3
    assert outbox.deliver_due(now=now) == (0, 1)
    message = OutboxMessage.objects.get(kind="digest")
    assert message.state == "pending" and message.attempts == 1
    assert "550" in message.last_error
    # Not before its wait (ALERTS_RETRY_SECONDS, doubled each time).
    assert outbox.deliver_due(now=now + timedelta(seconds=10)) == (0, 0)
    first_wait = timedelta(seconds=settings.ALERTS_RETRY_SECONDS)
    assert outbox.deliver_due(now=now + first_wait) == (0, 1)
    message.refresh_from_db()
    assert message.next_attempt_at == now + first_wait + 2 * first_wait
    assert outbox.deliver_due(now=message.next_attempt_at) == (0, 1)
    message.refresh_from_db()
    assert message.state == "failed" and message.attempts == 3
    assert outbox.deliver_due(now=now + timedelta(days=30)) == (0, 0)
    assert not mail.messages

    page = curator_client.get("/admin/trials/outboxmessage/?state__exact=failed").content.decode()
    assert "Failed: no more tries" in page and "550" in page
    assert ADDRESS not in page


def test_a_followed_trial_withdrawn_by_curators_is_dropped_with_a_note(
    client, bundled_trials, mail, curator
):
    from trials.curation import set_publication_state

    since = follows_confirmed(client, mail)
    Follow.objects.filter(trial=None).delete()
    set_publication_state(
        Trial.objects.filter(nct_id=TRIAL), PublicationState.WITHDRAWN, user=curator
    )
    assert build_digests(now=since + timedelta(days=1)) == 1
    outbox.deliver_due(now=since + timedelta(days=1))
    assert "Our curators have taken this trial off the site" in text_of(mail.messages[0])
    assert not Follow.objects.exists()
    assert build_digests(now=since + timedelta(days=3)) == 0


def test_limits_per_client_and_per_address_answer_429_and_send_nothing(
    client, bundled_trials, mail, settings
):
    settings.ALERTS_CONFIRMATIONS_PER_ADDRESS_PER_DAY = 2
    settings.ALERTS_FOLLOWS_PER_CLIENT_PER_HOUR = 4
    assert ask(client, trial=TRIAL).status_code == 302
    assert ask(client, trial="NCT01207388").status_code == 302
    third = ask(client, trial="NCT02101853")
    assert third.status_code == 429
    assert "several confirmation emails to this address today" in third.content.decode()
    assert ask(client, email="other@example.org", trial=TRIAL).status_code == 302
    fifth = ask(client, email="third@example.org", trial=TRIAL)
    assert fifth.status_code == 429 and "in the last hour" in fifth.content.decode()
    assert len(mail.messages) == 3 and Follow.objects.count() == 3


def test_an_address_may_keep_only_so_many_follows(client, bundled_trials, mail, settings):
    settings.ALERTS_MAX_FOLLOWS = 1
    assert ask(client, trial=TRIAL).status_code == 302
    assert ask(client, trial="NCT01207388").status_code == 429
    assert Follow.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"trial": "NCT99999999"},
        {"trial": "not an id"},
        {"email": "not-an-address", "trial": TRIAL},
        {"email": "", "search": "q=leukemia"},
        {"frequency": "hourly", "trial": TRIAL},
        {"search": "q=" + "x" * 600},
        {"trial": TRIAL, "website": "http://spam.example"},
        {"email": "\x00", "trial": TRIAL},  # PostgreSQL refuses NUL: never queried
        {"trial": "NCT0201316\x00"},
    ],
)
def test_a_hostile_post_gets_a_4xx_and_writes_nothing(client, bundled_trials, mail, data):
    response = ask(client, **data)
    assert response.status_code == 400
    assert "Nothing was sent." in response.content.decode()
    assert not Subscriber.objects.exists() and not mail.messages


def test_bad_links_get_a_clear_4xx(client, mail):
    for path in [
        "/alerts/confirm/nonsense/",
        "/alerts/manage/nonsense/",
        "/alerts/unsubscribe/x:y/",
    ]:
        response = client.get(path)
        assert response.status_code == 400, path
        assert "This link does not work" in response.content.decode()


def test_the_manage_page_changes_how_often_and_stops_a_follow(client, bundled_trials, mail):
    follows_confirmed(client, mail)
    subscriber = Subscriber.objects.get()
    from trials.alerts.links import address_token

    path = f"/alerts/manage/{address_token(subscriber)}/"
    trial_follow = Follow.objects.get(trial__nct_id=TRIAL)
    client.post(path, {"follow": trial_follow.pk, "frequency": "weekly", "action": "frequency"})
    assert Follow.objects.get(pk=trial_follow.pk).frequency == "weekly"
    client.post(path, {"follow": trial_follow.pk, "action": "stop"})
    assert not Follow.objects.filter(pk=trial_follow.pk).exists()
    assert client.post(path, {"follow": "x", "action": "stop"}).status_code == 400
    assert client.post(path, {"follow": "²", "action": "stop"}).status_code == 400
    assert Follow.objects.count() == 1


def test_addresses_without_a_click_for_a_year_are_deleted(client, bundled_trials, mail):
    follows_confirmed(client, mail)
    Subscriber.objects.update(last_click_at=timezone.now() - timedelta(days=366))
    assert purge() == 1
    assert not Follow.objects.exists()


def test_the_boxes_are_on_the_list_and_the_trial_page_each_with_the_visitors_token(
    bundled_trials, mail
):
    listing = Client().get("/trials/", {"q": "leukemia"}).content.decode()
    assert "Email me when trials matching this search open or change" in listing
    assert 'name="search" value="q=leukemia"' in listing
    # The list and the trial page are cached whole: each visitor still posts with their own token.
    for address, follow in (
        ("/trials/?q=leukemia", {"search": "q=leukemia"}),
        (f"/trials/{TRIAL}/", {"trial": TRIAL}),
    ):
        first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
        tokens = []
        for visitor in (first, second):
            page = visitor.get(address).content.decode()
            assert "Email me when" in page
            found = re.search(
                r'name="csrfmiddlewaretoken" value="([^"]+)"', page.split("follow-box")[1]
            )
            tokens.append(found[1])
        assert tokens[0] != tokens[1]
        response = second.post(
            "/alerts/follow/",
            {"email": ADDRESS, "frequency": "weekly", "csrfmiddlewaretoken": tokens[1], **follow},
        )
        assert response.status_code == 302, address


def test_without_a_mail_server_no_box_is_shown(client, bundled_trials, settings):
    settings.ALERTS_BY_EMAIL = False
    assert "follow-box" not in client.get(f"/trials/{TRIAL}/").content.decode()
    assert client.post("/alerts/follow/", {"email": ADDRESS}).status_code == 404


def test_curators_see_how_many_follow_each_trial_and_search_but_no_address(
    client, bundled_trials, mail, curator_client
):
    follows_confirmed(client, mail)
    ask(client, email="second@example.org", trial=TRIAL)
    confirm_by_mail(client, mail.messages[-1])
    page = curator_client.get("/admin/trials/follow/")
    assert page.status_code == 200
    html = page.content.decode()
    assert re.search(r"NCT02013167</a>.*?</td><td>2</td>", html)
    assert re.search(r"Search: “leukemia”</a></td><td>1</td>", html)
    assert "2 confirmed addresses" in html
    assert "@example.org" not in html
    outbox_page = curator_client.get("/admin/trials/outboxmessage/").content.decode()
    assert "Confirmation" in outbox_page and "@example.org" not in outbox_page


def test_a_reimport_that_opens_a_site_reaches_the_followers_digest(
    client, bundled_trials, mail, tmp_path
):
    from tests.changes.records import TRIAL as RECRUITING
    from tests.changes.records import bundled_study, reimport, sites

    ask(client, trial=RECRUITING)
    confirm_by_mail(client, mail.messages[0])
    mail.messages.clear()
    study = bundled_study()
    sites(study)[0]["status"] = "RECRUITING"  # a site not yet open opens (made up for the test)
    reimport(tmp_path, study)
    call_command("send_alerts", stdout=StringIO())
    assert not mail.messages  # a daily digest, not due yet
    a_day_later = timezone.now() + timedelta(days=1)
    assert build_digests(now=a_day_later) == 1
    outbox.deliver_due(now=a_day_later)
    text = text_of(mail.messages[0])
    assert "A site started taking patients: " in text and "(now “Recruiting”)" in text
    assert "Posted by the registry on 10 February 2026." in text


def test_a_digest_is_in_the_language_the_follower_used(client, bundled_trials, mail):
    ask(client, prefix="/es", trial=TRIAL)
    confirm = link(mail.messages[0], "confirm")
    assert confirm.startswith("/es/")
    client.post(confirm)
    mail.messages.clear()
    since = Follow.objects.get().confirmed_at
    changed(
        Trial.objects.get(nct_id=TRIAL),
        ChangeKind.STATUS,
        at=since + timedelta(minutes=1),
        old_value="RECRUITING",
        new_value="COMPLETED",
    )
    build_digests(now=since + timedelta(days=1))
    outbox.deliver_due(now=since + timedelta(days=1))
    [digest] = mail.messages
    text, html = text_of(digest), part(digest, "text/html")
    assert "Qué ha cambiado en los ensayos de blinatumomab que usted sigue." in text
    assert "The trial's status changed" not in text
    assert '<html lang="es">' in html
    assert "http://testserver/es/alerts/manage/" in text
    # The registry's title stays in English, and is marked so for screen readers.
    assert '<a href="http://testserver/es/trials/NCT02013167/" lang="en">' in html


def test_sent_mail_is_kept_a_month_then_deleted(client, bundled_trials, mail):
    ask(client, trial=TRIAL)
    confirm_by_mail(client, mail.messages[0])  # a confirmed address is kept a year
    assert OutboxMessage.objects.get().state == "sent"
    assert purge(now=timezone.now() + timedelta(days=29)) == 0
    assert OutboxMessage.objects.exists()
    OutboxMessage.objects.update(sent_at=timezone.now() - timedelta(days=31))
    purge()
    assert not OutboxMessage.objects.exists()
