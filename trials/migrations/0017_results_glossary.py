# The words the page of what a trial found uses to explain its numbers (issue 16). Each term is
# added only where the glossary has none of that name: curators may have written their own.
from django.db import migrations

TERMS = [
    ("p-value", ["p value", "p-values", "p values"], "A number from a statistical test: how likely a difference at least as large as the one seen would be by chance alone, if there were truly no difference. Small values (often below 0.05) make chance alone an unlikely explanation; they do not say how large or how important the difference is."),
    ("Confidence interval", ["confidence intervals"], "A range around a result that shows how precise it is. With a 95% confidence interval, the true value is likely to lie within the range; a wide range means the result is less certain."),
    ("Hazard ratio", ["hazard ratios"], "Compares how often an event, such as death or relapse, happened over time in one group with how often it happened in another. A hazard ratio of 1 means no difference; the further from 1, the larger the difference. The registry's notes on each analysis say which group is compared with which."),
    ("Median", ["medians"], "The middle value: half of the people had a value below it and half above. For a time such as survival, the time by which half of the people in a group had had the event measured."),
    ("Serious adverse event", ["serious adverse events"], "A harmful medical event during a trial that leads to death, is life-threatening, needs or lengthens a hospital stay, or causes lasting disability, whether or not the treatment caused it."),
]


def add_terms(apps, schema_editor):
    GlossaryTerm = apps.get_model("trials", "GlossaryTerm")
    for term, also, definition in TERMS:
        if not GlossaryTerm.objects.filter(term__iexact=term).exists():
            GlossaryTerm.objects.create(term=term, also_matches=also, definition=definition)


class Migration(migrations.Migration):
    dependencies = [("trials", "0016_results")]

    operations = [migrations.RunPython(add_terms, migrations.RunPython.noop)]
