"""The checks of `make check` that keep the site translated (portal/translation_checks.py): they
pass on the project as it is, and they catch what they are there to catch."""

import shutil

import pytest
from django.conf import settings

from portal.translation_checks import (
    PENDING,
    catalogue_problems,
    public_templates,
    template_problems,
    untranslated_text,
)


def test_every_marked_string_has_a_finished_translation_in_each_language():
    assert catalogue_problems() == []


@pytest.fixture
def project_copy(tmp_path):
    """A small project: the real catalogues and one template."""
    shutil.copytree(settings.BASE_DIR / "locale", tmp_path / "locale")
    (tmp_path / "templates").mkdir()
    return tmp_path


def test_a_string_marked_but_not_translated_fails_the_check(project_copy):
    (project_copy / "templates" / "page.html").write_text(
        '{% load i18n %}<p>{% translate "A sentence nobody has translated yet" %}</p>'
    )
    problems = catalogue_problems(project_copy)
    assert len(problems) == 2
    assert all("1 untranslated message" in problem for problem in problems)
    assert {problem.split(":")[0] for problem in problems} == {"es", "zh_Hans"}


def test_a_fuzzy_translation_fails_the_check(project_copy):
    (project_copy / "templates" / "page.html").write_text(
        '{% load i18n %}<p>{% translate "Search trials" %}</p>'
    )
    po = project_copy / "locale" / "es" / "LC_MESSAGES" / "django.po"
    text = po.read_text()
    assert catalogue_problems(project_copy) == []
    po.write_text(text.replace('msgid "Search trials"', '#, fuzzy\nmsgid "Search trials"', 1))
    assert catalogue_problems(project_copy) == [
        "es: 0 translated messages, 1 fuzzy translation. (run makemessages and translate them)"
    ]


@pytest.mark.parametrize(
    "source, found",
    [
        ("<p>Find a trial</p>", [(1, "Find a trial")]),
        ('{% load i18n %}<p>{% translate "Find a trial" %}</p>', []),
        ("{% load i18n %}<p>{% blocktranslate %}Hello {{ name }}{% endblocktranslate %}</p>", []),
        ('<input placeholder="City or ZIP code">', [(1, "City or ZIP code")]),
        ("<nav aria-label=\"{% translate 'Main' %}\">", []),
        ("\n\n<span title='Close'>×</span>", [(3, "Close")]),
        ("{% comment %}Notes for us{% endcomment %}{# and here #}<!-- and here -->", []),
        ("<p>{{ trial.title }} · &nbsp;{{ x }}</p>", []),
        ('<a href="{% url \'trials:list\' %}" class="nav">JSON</a>', []),
        ("<p>{% if a %}Open{% endif %}</p>", [(1, "Open")]),
    ],
)
def test_the_template_check_finds_words_outside_translation_tags(source, found):
    assert untranslated_text(source) == found


def public_template_cases():
    for name, _ in public_templates():
        marks = []
        if name in PENDING:
            marks.append(
                pytest.mark.xfail(
                    strict=False,
                    reason="the trial page's templates are marked on the i18npage branch; "
                    "the integrator empties PENDING on merging it",
                )
            )
        yield pytest.param(name, marks=marks, id=name)


@pytest.mark.parametrize("name", list(public_template_cases()))
def test_every_word_of_a_public_template_is_marked_for_translation(name):
    assert template_problems({name}) == []


def test_the_admins_templates_are_not_checked():
    assert not any(name.startswith("admin/") for name, _ in public_templates())
    assert "base.html" in dict(public_templates())
