"""The checks that keep the site translated (`make check`, `manage.py check_translations`, and
tests/i18n/test_checks.py in `make test`):

- every string marked for translation has a finished translation in each language: the
  catalogues are brought up to date from the code in a scratch copy (makemessages, as a
  developer would), then compiled with `msgfmt --check --statistics`, which counts what is
  untranslated or fuzzy (a guess gettext made that nobody has checked);
- no public template shows words that are not marked: each template is read with Django's own
  template lexer, and text outside tags, comments and {% translate %}/{% blocktranslate %} is
  looked at, HTML tags aside (but their aria-label, placeholder, title and alt, which people
  hear or read).
"""

import contextlib
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.template.base import Lexer, TokenType
from django.test.utils import override_settings
from django.utils.translation import to_locale

TEMPLATES = settings.BASE_DIR / "templates"
# The curators' templates: the admin stays in English (README, "Languages"); and what programs
# read (robots.txt) or site builders paste (the widget's iframe code), which is code, not words.
NOT_PUBLIC = ("admin", "machines")
# Text that reads the same in every language: names of a format, the registry, a database.
SAME_IN_EVERY_LANGUAGE = {"JSON", "ClinicalTrials.gov", "PubMed"}
# Templates still being marked on another branch, reported apart until it is merged. Empty: the
# trial page's templates (the i18npage branch) are marked and translated.
PENDING = set()
SPOKEN_ATTRIBUTES = re.compile(
    r"""\b(?:aria-label|placeholder|title|alt)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I
)
# Folders with no code or template of the site: dependencies, collected and generated files, data.
SKIPPED_FOLDERS = {
    "staticfiles",
    "test-artifacts",
    "backups",
    "node_modules",
    "data",
    "__pycache__",
}
TRANSLATED = "\x00"  # stands for a tag or a translated string in the text looked at
LETTER = re.compile(r"[^\W\d_]")


def catalogue_languages():
    """The locale names of the catalogues: every language but the one the code is written in."""
    return [to_locale(code) for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def catalogue_problems(root=None):
    """["es: 3 untranslated messages", ...]: what is missing or fuzzy in each catalogue of the
    project at `root` (this one by default), once it is brought up to date with the strings its
    code marks today. It works on a scratch copy: the project's own files are not changed."""
    root = Path(root or settings.BASE_DIR)
    problems = []
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch) / "project"
        # What makemessages reads (code and templates) and the catalogues, nothing else.
        shutil.copytree(root, scratch, ignore=not_read_by_makemessages)
        for locale in catalogue_languages():
            if not (scratch / "locale" / locale / "LC_MESSAGES" / "django.po").exists():
                problems.append(f"{locale}: no catalogue at locale/{locale}/LC_MESSAGES/django.po")
        locales = [path.parent.parent.name for path in scratch.glob("locale/*/LC_MESSAGES/*.po")]
        with override_settings(LOCALE_PATHS=[scratch / "locale"]), contextlib.chdir(scratch):
            call_command("makemessages", locale=locales, no_obsolete=True, verbosity=0)
        for po in sorted(scratch.glob("locale/*/LC_MESSAGES/django.po")):
            locale = po.parent.parent.name
            compiled = subprocess.run(
                ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
                capture_output=True,
                text=True,
            )
            report = compiled.stderr.strip()
            if compiled.returncode:
                problems.append(f"{locale}: msgfmt refuses the catalogue: {report}")
            elif "untranslated" in report or "fuzzy" in report:
                problems.append(f"{locale}: {report} (run makemessages and translate them)")
    return problems


def not_read_by_makemessages(folder, names):
    return [
        name
        for name in names
        if name.startswith(".")
        or name in SKIPPED_FOLDERS
        or (
            (Path(folder) / name).is_file()
            and Path(name).suffix not in (".py", ".html", ".txt", ".po")
        )
    ]


def public_templates():
    for path in sorted(TEMPLATES.rglob("*")):
        name = path.relative_to(TEMPLATES).as_posix()
        if path.suffix in (".html", ".txt") and not name.startswith(NOT_PUBLIC):
            yield name, path


def untranslated_text(source):
    """[(line, text)]: words in a template's source that no translation tag covers."""
    kept = []  # the template with every tag and translated string replaced by TRANSLATED
    depth = {"blocktranslate": 0, "comment": 0}
    for token in Lexer(source).tokenize():
        lines = "\n" * token.contents.count("\n")
        if token.token_type == TokenType.BLOCK:
            command = token.contents.split()[0] if token.contents.split() else ""
            for name in depth:
                if command in (name, "blocktrans" if name == "blocktranslate" else name):
                    depth[name] += 1
                elif command in (f"end{name}", "endblocktrans" if name == "blocktranslate" else ""):
                    depth[name] -= 1
            kept.append(TRANSLATED + lines)
        elif token.token_type == TokenType.TEXT and not any(depth.values()):
            kept.append(token.contents)
        else:  # a variable, a comment, or text inside a translation or a comment block
            kept.append(TRANSLATED + lines)
    text = "".join(kept)
    found = []

    def spoken(match):
        for value in SPOKEN_ATTRIBUTES.findall(match.group(0)):
            found.extend(words_in(text, match.start(), "".join(value)))
        return TRANSLATED + "\n" * match.group(0).count("\n")

    text = re.sub(r"<!--.*?-->", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    text = re.sub(r"<[^<>]*>", spoken, text)
    text = re.sub(r"&#?\w+;", " ", text)  # character references: &amp;, &nbsp;, &#8203;
    position = 0
    for chunk in text.split(TRANSLATED):
        found.extend(words_in(text, position, chunk))
        position += len(chunk) + 1
    return found


def words_in(text, position, chunk):
    chunk = " ".join(chunk.split())
    if not LETTER.search(chunk) or chunk in SAME_IN_EVERY_LANGUAGE:
        return []
    return [(text.count("\n", 0, position) + 1, chunk)]


def template_problems(names=None):
    """["trials/home.html:12: “Find a trial”", ...] for every public template (or those named)."""
    problems = []
    for name, path in public_templates():
        if names is not None and name not in names:
            continue
        for line, words in untranslated_text(path.read_text(encoding="utf-8")):
            problems.append(f"{name}:{line}: “{words}” is not marked for translation")
    return problems
