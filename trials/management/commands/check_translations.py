"""manage.py check_translations: fails when a catalogue has a missing or fuzzy translation, or a
public template has words not marked for translation (portal/translation_checks.py)."""

from django.core.management.base import BaseCommand, CommandError

from portal.translation_checks import PENDING, catalogue_problems, template_problems


class Command(BaseCommand):
    help = "Fail on a missing or fuzzy translation, or on unmarked words in a public template."

    def handle(self, *args, **options):
        problems = catalogue_problems()
        for problem in template_problems():
            name = problem.split(":", 1)[0]
            if name in PENDING:
                self.stdout.write(f"pending (trial page, being translated): {problem}")
            else:
                problems.append(problem)
        if problems:
            raise CommandError("\n".join(["Translations are not complete:", *problems]))
        self.stdout.write("Translations complete: every catalogue and every public template.")
