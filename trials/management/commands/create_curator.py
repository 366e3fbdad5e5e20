import getpass
import os
import sys

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from trials.accounts import make_curator

PASSWORD_VARIABLE = "CURATOR_PASSWORD"


class Command(BaseCommand):
    help = (
        "Create a curator: a staff account in the Curators group, which may curate trials but not "
        "manage users. The password comes from the environment variable CURATOR_PASSWORD, else "
        "from standard input when it is not a terminal (echo ... | create_curator NAME), else "
        "from a prompt (asked twice). There is no default one. An existing user is made a "
        "curator, and keeps their password unless one is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", help="Asked for when not given.")
        parser.add_argument("--email", default="", help="Where a forgotten password's reset goes.")
        parser.add_argument(
            "--no-password",
            action="store_true",
            help="Create the account without a password: it cannot sign in until one is set "
            "(manage.py changepassword USERNAME).",
        )

    def handle(self, *args, username, email, no_password, **options):
        interactive = sys.stdin.isatty()
        if not username and interactive:
            username = input("Username: ").strip()
        if not username:
            raise CommandError("Name the curator: create_curator USERNAME")
        password = None if no_password else self.password(interactive)
        try:
            made = make_curator(username=username, email=email, password=password)
        except ValidationError as problem:
            raise CommandError(f"Password refused: {' '.join(problem.messages)}") from None
        except Group.DoesNotExist:
            raise CommandError("There is no Curators group: run manage.py migrate first.") from None
        if made.created:
            self.stdout.write(f"Created curator {made.username} in the group {made.group}.")
        else:
            self.stdout.write(f"{made.username} already had an account; it is in {made.group}.")
        if made.can_sign_in:
            kept = "with the password given" if made.password_set else "with their own password"
            self.stdout.write(f"{made.username} can sign in, {kept}.")
        else:
            self.stdout.write(
                f"{made.username} cannot sign in yet: set a password with "
                f"`manage.py changepassword {made.username}`."
            )

    def password(self, interactive):
        """From the environment, else standard input when piped, else a prompt."""
        if os.environ.get(PASSWORD_VARIABLE):
            return os.environ[PASSWORD_VARIABLE]
        if not interactive:
            password = sys.stdin.readline().rstrip("\r\n")
            if not password:
                raise CommandError(
                    "No password on standard input. Pipe one in, set "
                    f"{PASSWORD_VARIABLE}, or pass --no-password."
                )
            return password
        while True:
            password = getpass.getpass("Password: ")
            if password == getpass.getpass("Password (again): "):
                return password  # the validators' verdict comes with the account
            self.stderr.write("The passwords differ; try again.")
