"""Every public page in Spanish and in Chinese shows no interface string left in English: no
string of the catalogue appears, as written in English, in what a visitor reads or hears (text,
the page's title and description, aria-label, placeholder, title and alt), outside the elements
marked lang="en" (the registry's own text, which stays as the registry writes it)."""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from tests.conftest import FIRST_SEVEN_IDS
from trials.models import Trial

pytestmark = pytest.mark.django_db

LANGUAGES = {"es": "es", "zh-hans": "zh_Hans"}
SPOKEN = {"aria-label", "placeholder", "title", "alt"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


def catalogue(locale):
    """[(msgid, msgid_plural, [msgstr...])] of a .po file, without the header or context entries
    (the CSV's headings, which no page shows)."""
    entries = []
    text = (settings.BASE_DIR / "locale" / locale / "LC_MESSAGES" / "django.po").read_text()
    for block in text.split("\n\n"):
        fields = {}
        key = None
        for line in block.splitlines():
            match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) (\".*\")$", line)
            if match:
                key = match.group(1)
                fields[key] = ""
                line = match.group(2)
            if key and line.startswith('"'):
                fields[key] += re.sub(r"\\(.)", lambda m: {"n": "\n"}.get(m[1], m[1]), line[1:-1])
        if fields.get("msgid") and "msgctxt" not in fields:
            strs = [value for name, value in fields.items() if name.startswith("msgstr")]
            entries.append((fields["msgid"], fields.get("msgid_plural", ""), strs))
    return entries


def english_fragments(locale):
    """The English a page must not show: each msgid's words between its placeholders and tags
    (two words or more), and the one-word msgids whole, those whose translation differs."""
    fragments = set()
    for msgid, plural, translations in catalogue(locale):
        for english in filter(None, (msgid, plural)):
            english = english.replace("%%", "%")
            pieces = re.split(r"%\(\w+\)[sd]|<[^>]+>", english)
            for piece in pieces:
                piece = piece.strip(" .,:;()“”")
                if any(piece in translation for translation in translations):
                    continue  # the same in both languages ("ClinicalTrials.gov", "JSON")
                if len(piece.split()) >= 2 or (len(pieces) == 1 and re.fullmatch(r"\w+", piece)):
                    fragments.add(piece)
    return fragments


class VisibleText(HTMLParser):
    """What a visitor reads or hears, element by element, outside lang="en" elements."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, hidden from this check)
        self.chunks = []

    @property
    def skipped(self):
        return any(hidden for _, hidden in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        # The page's own language (<html lang>) aside: an element in English is the registry's.
        english = attrs.get("lang") == "en" and tag != "html"
        hidden = self.skipped or english or tag in ("script", "style")
        if not hidden:
            self.chunks.extend(value for name, value in attrs.items() if name in SPOKEN and value)
            if tag == "meta" and attrs.get("name") == "description":
                self.chunks.append(attrs.get("content") or "")
        if tag not in VOID:
            self.stack.append((tag, hidden))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not self.skipped and data.strip():
            self.chunks.append(" ".join(data.split()))


def untranslated(html, fragments):
    """The fragments the page shows: a phrase anywhere in a text, a single word (a label such as
    "Filters") only as a whole text, since one word may well stand in a longer sentence that is
    not ours (a status or a phase, worded by the trial page's code)."""
    parser = VisibleText()
    parser.feed(html)
    text = " | ".join(parser.chunks)
    whole = {chunk.strip(" .,:;()“”") for chunk in parser.chunks}
    return sorted(
        fragment
        for fragment in fragments
        if (" " not in fragment and fragment in whole)
        or (" " in fragment and re.search(rf"(?<![\w-]){re.escape(fragment)}(?![\w-])", text))
    )


def public_pages(client, prefix):
    """(what, response) for each public page this branch words, in the language of `prefix`."""
    get = client.get
    pages = [
        ("home", get(f"{prefix}/")),
        ("list", get(f"{prefix}/trials/")),
        ("search and filters", get(f"{prefix}/trials/", {"q": "leukemia", "phase": "PHASE3"})),
        ("filters chosen", get(f"{prefix}/trials/", {"sex": "FEMALE", "has_results": "no"})),
        (
            "curated attributes chosen",
            get(
                f"{prefix}/trials/",
                {"setting": "first_relapse", "had": "blinatumomab", "route": "subcutaneous"},
            ),
        ),
        ("near a city", get(f"{prefix}/trials/", {"near": "Milwaukee", "radius": "50"})),
        ("in a state", get(f"{prefix}/trials/", {"near": "Texas", "radius": "20"})),
        ("age words", get(f"{prefix}/trials/", {"q": "child leukemia"})),
        ("a page of two", get(f"{prefix}/trials/", {"page": "2"})),
        ("dead end, none open", get(f"{prefix}/trials/", {"status": "TERMINATED", "q": "all"})),
        ("dead end, nothing", get(f"{prefix}/trials/", {"q": "leukemia xyzzyq"})),
        ("dead end near", get(f"{prefix}/trials/", {"near": "Anchorage", "radius": "10"})),
        ("spelling", get(f"{prefix}/trials/", {"q": "blinatumumab"})),
        (
            "values ignored",
            get(
                f"{prefix}/trials/",
                {"age": "abc", "phase": "BOGUS", "sort": "sideways", "page": "99", "near": "Qqq"},
            ),
        ),
        ("could I join", get(f"{prefix}/could-i-join/")),
        (
            "could I join, answered",
            get(
                f"{prefix}/could-i-join/",
                {"age": "10", "diagnosis": "b_all", "situation": "relapsed", "near": "Boston"},
            ),
        ),
        (
            "could I join, answers ignored",
            get(f"{prefix}/could-i-join/", {"age": "abc", "diagnosis": "zzz", "near": "Qqq"}),
        ),
        ("quick check", get(f"{prefix}/trials/NCT02101853/", {"age": "10", "cns_disease": "no"})),
        ("accessibility", get(f"{prefix}/accessibility/")),
        ("widget", get(f"{prefix}/embed/", {"q": "leukemia"})),
        ("widget, values ignored", get(f"{prefix}/embed/", {"age": "abc", "phase": "BOGUS"})),
        ("widget, nothing found", get(f"{prefix}/embed/", {"q": "leukemia xyzzyq"})),
        ("report form", get(f"{prefix}/report/", {"page": "/trials/"})),
        ("report form of a trial", get(f"{prefix}/trials/NCT02013167/report/")),
        (
            "report form with errors",
            client.post(f"{prefix}/report/", {"kind": "", "message": "short", "email": "x@"}),
        ),
        ("report sent", get(f"{prefix}/report/sent/")),
        ("page not found", get(f"{prefix}/no-such-page/")),
        ("trial not found", get(f"{prefix}/trials/NCT99999999/")),
        ("trial, changes since", get(f"{prefix}/trials/NCT02101853/", {"since": "2026-01-01"})),
        ("trial, a date not read", get(f"{prefix}/trials/NCT02101853/", {"since": "soon"})),
        ("bad request", get(f"{prefix}/trials/", HTTP_HOST="not-ours.example")),
    ]
    pages += alert_pages(client, prefix)
    Trial.objects.filter(nct_id="NCT02013167").update(publication_state="WITHDRAWN")
    pages.append(("trial withdrawn", get(f"{prefix}/trials/NCT02013167/")))
    return pages


def alert_pages(client, prefix):
    """The pages of alerts by email (trials/alerts/), those reached from an email included."""
    from trials.alerts import links
    from trials.alerts.subscriptions import ask_to_follow

    get = client.get
    follow, _ = ask_to_follow(
        email="parent@example.org",  # synthetic
        language=prefix.strip("/"),
        frequency="weekly",
        trial=Trial.objects.get(nct_id="NCT02013167"),
    )
    address = links.address_token(follow.subscriber)
    return [
        ("follow form", get(f"{prefix}/alerts/follow/", {"search": "q=leukemia"})),
        (
            "follow form with errors",
            client.post(f"{prefix}/alerts/follow/", {"email": "x@", "trial": "NCT02013167"}),
        ),
        ("follow sent", get(f"{prefix}/alerts/sent/")),
        ("alerts privacy", get(f"{prefix}/alerts/privacy/")),
        ("confirm", get(f"{prefix}/alerts/confirm/{links.confirm_token(follow, 'weekly')}/")),
        ("manage", get(f"{prefix}/alerts/manage/{address}/")),
        ("unsubscribe", get(f"{prefix}/alerts/unsubscribe/{address}/")),
        ("unsubscribed", client.post(f"{prefix}/alerts/unsubscribe/{address}/")),
        ("not subscribed", get(f"{prefix}/alerts/manage/{address}/")),
        ("bad alert link", get(f"{prefix}/alerts/confirm/nonsense/")),
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_shows_no_interface_string_in_english(
    client, bundled_trials, language, settings
):
    settings.TRIALS_PAGE_SIZE = 2  # seven trials: several pages, so the paging shows
    settings.ALERTS_BY_EMAIL = True  # the follow boxes and the alert pages (a mail server's)
    settings.SITE_URL = "http://testserver"
    fragments = english_fragments(LANGUAGES[language])
    assert len(fragments) > 150  # the catalogue was read
    found = {}
    for what, response in public_pages(client, f"/{language}"):
        assert response.status_code in (200, 400, 404, 410), (what, response.status_code)
        assert f'<html lang="{"zh-Hans" if language == "zh-hans" else "es"}"' in (
            response.content.decode()
        ), what
        left = untranslated(response.content.decode(), fragments)
        if left:
            found[what] = left
    assert found == {}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("template", ["500.html", "503.html"])
def test_the_error_pages_without_a_request_are_translated(language, template):
    with translation.override(language):
        html = render_to_string(template)
    assert untranslated(html, english_fragments(LANGUAGES[language])) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_trial_pages_show_no_interface_string_in_english(client, bundled_trials, language):
    fragments = english_fragments(LANGUAGES[language])
    found = {}
    for nct_id in FIRST_SEVEN_IDS:
        response = client.get(f"/{language}/trials/{nct_id}/", {"near": "Boston"})
        assert response.status_code == 200
        left = untranslated(response.content.decode(), fragments)
        if left:
            found[nct_id] = left
    assert found == {}


def test_the_same_pages_in_english_show_the_catalogues_english(client, bundled_trials):
    """The check sees what it looks for: the English pages are full of it."""
    fragments = english_fragments("es")
    shown = set()
    for _, response in public_pages(client, ""):
        shown.update(untranslated(response.content.decode(), fragments))
    assert len(shown) > 100


def test_the_check_itself_finds_english_outside_lang_en():
    fragments = {"Search trials", "Filters"}
    assert untranslated("<h2>Filters</h2>", fragments) == ["Filters"]
    assert untranslated('<input placeholder="Search trials">', fragments) == ["Search trials"]
    assert untranslated('<p lang="en">Search trials <b>Filters</b></p>', fragments) == []
    assert untranslated("<p>Filtros <br> Buscar</p>", fragments) == []
    assert untranslated("<p>FiltersAndMore</p>", fragments) == []
