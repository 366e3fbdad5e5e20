"""The pre-screener's questions, asked in plain words, each answerable with "I don't know".

The answers travel in the query string (a result can be shared with a doctor and printed) and are
never stored. They are read leniently: a value we do not know is taken as "I don't know", and the
page says so.
"""

from dataclasses import dataclass

from django import forms
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models.attributes import Diagnosis, PhStatus

DONT_KNOW = "unknown"
YES = "yes"
NO = "no"
# Whole years, as a family says an age; past 120 a number is a typing slip.
OLDEST = 120


class Situation(models.TextChoices):
    """Where things stand now: the disease settings in a family's words (match.py reads them). A
    person who knows of a relapse but not whether it was the first can say just "relapsed"."""

    NEWLY_DIAGNOSED = "newly_diagnosed", _("Newly diagnosed, not yet treated or in first treatment")
    MRD_POSITIVE = "mrd_positive", _("In remission, but tests still find some leukemia (MRD)")
    FIRST_RELAPSE = "first_relapse", _("It has come back once (first relapse)")
    LATER_RELAPSE = "later_relapse", _("It has come back two or more times")
    RELAPSED = "relapsed", _("It has come back, and I am not sure how many times")
    REFRACTORY = "refractory", _("It is not responding to treatment (refractory)")


DONT_KNOW_CHOICE = (DONT_KNOW, _("I don't know"))
YES_NO_CHOICES = [(YES, _("Yes")), (NO, _("No"))]


def with_dont_know(choices):
    return [*choices, DONT_KNOW_CHOICE]


def question(label, choices, help_text=""):
    """A question answered by one of `choices` or "I don't know" (the form's default)."""
    return forms.ChoiceField(
        label=label,
        help_text=help_text,
        choices=with_dont_know(choices),
        widget=forms.RadioSelect,
        required=False,
    )


class QuestionsForm(forms.Form):
    """The eight questions. Every choice field starts at "I don't know"."""

    age = forms.IntegerField(
        label=_("How old is the person who would take part, in years?"),
        help_text=_("Leave it empty if you would rather not say. For a baby, write 0."),
        min_value=0,
        max_value=OLDEST,
        required=False,
    )
    diagnosis = question(_("What is the diagnosis?"), Diagnosis.choices)
    ph_status = question(
        _("Is the leukemia Philadelphia chromosome positive (Ph+)?"),
        PhStatus.choices,
        help_text=_("The care team's test results say this; many families do not know it."),
    )
    situation = question(_("Where do things stand now?"), Situation.choices)
    had_blinatumomab = question(
        _("Has the person had blinatumomab (Blincyto) before?"), YES_NO_CHOICES
    )
    had_transplant = question(
        _("Has the person had a stem cell (bone marrow) transplant?"), YES_NO_CHOICES
    )
    cns_disease = question(
        _("Has leukemia been found in the brain or spinal fluid (CNS disease)?"), YES_NO_CHOICES
    )
    near = forms.CharField(
        label=_("Where do you live?"),
        help_text=_("A city, a US ZIP code, a state or a country: trials near you come first."),
        max_length=100,
        required=False,
    )


@dataclass(frozen=True)
class Answers:
    """What a person answered; DONT_KNOW (or None for the age) where they do not know."""

    age: int | None = None
    diagnosis: str = DONT_KNOW
    ph_status: str = DONT_KNOW
    situation: str = DONT_KNOW
    had_blinatumomab: str = DONT_KNOW
    had_transplant: str = DONT_KNOW
    cns_disease: str = DONT_KNOW
    near: str = ""

    @property
    def given(self):
        """Whether anything at all was answered: before that, the page only asks."""
        return self != Answers()

    def as_initial(self):
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


CHOICE_QUESTIONS = (
    "diagnosis",
    "ph_status",
    "situation",
    "had_blinatumomab",
    "had_transplant",
    "cns_disease",
)


def read_answers(data):
    """A query string (QueryDict) -> (Answers, notes). An answer we cannot read becomes "I don't
    know", and a note says which question it was; nothing here raises."""
    form = QuestionsForm(data)
    form.is_valid()
    notes = [
        gettext("We could not read the answer to “%(question)s”, so we took it as “I don't know”.")
        % {"question": form.fields[name].label}
        for name in form.errors
        if name in form.fields
    ]
    cleaned = form.cleaned_data
    answers = Answers(
        age=cleaned.get("age"),
        near=(cleaned.get("near") or "").strip(),
        **{name: cleaned.get(name) or DONT_KNOW for name in CHOICE_QUESTIONS},
    )
    return answers, notes


def summary(answers):
    """[(question, answer in words)] for what was answered: printed with the results, so that a
    doctor reading them knows what they rest on."""
    form = QuestionsForm()
    lines = []
    if answers.age is not None:
        lines.append((form.fields["age"].label, str(answers.age)))
    for name in CHOICE_QUESTIONS:
        value = getattr(answers, name)
        if value != DONT_KNOW:
            lines.append((form.fields[name].label, dict(form.fields[name].choices)[value]))
    if answers.near:
        lines.append((form.fields["near"].label, answers.near))
    return lines


def blank_form(answers, **options):
    """The questions again, filled in with what was read (never with what was not)."""
    return QuestionsForm(initial=answers.as_initial(), **options)
