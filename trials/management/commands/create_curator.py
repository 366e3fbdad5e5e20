import getpass
import sys

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

CURATORS = "Curators"


class Command(BaseCommand):
    help = (
        "Create a curator: a staff account in the Curators group, which may curate trials but not "
        "manage users. Asks for a password; there is no default one. An existing user is made a "
        "curator and keeps their password."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", help="Asked for when not given.")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--no-password",
            action="store_true",
            help="Create the account without a password: it cannot sign in until an "
            "administrator sets one (manage.py changepassword USERNAME).",
        )

    def handle(self, *args, username, email, no_password, **options):
        interactive = sys.stdin.isatty()
        if not username:
            if not interactive:
                raise CommandError("Name the curator: create_curator USERNAME")
            username = input("Username: ").strip()
        if not username:
            raise CommandError("A curator needs a username.")
        try:
            group = Group.objects.get(name=CURATORS)
        except Group.DoesNotExist:
            raise CommandError("There is no Curators group: run manage.py migrate first.") from None

        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is not None:
            with transaction.atomic():
                user.is_staff = True
                user.save(update_fields=["is_staff"])
                user.groups.add(group)
            self.stdout.write(f"{username} already had an account; it is now a curator.")
            return

        user = User(username=username, email=email, is_staff=True)
        if no_password or not interactive:
            user.set_unusable_password()
        else:
            user.set_password(self.ask_password(user))
        with transaction.atomic():
            user.save()
            user.groups.add(group)
        self.stdout.write(f"Curator {username} created.")
        if not user.has_usable_password():
            self.stdout.write(
                f"They cannot sign in yet: set a password with "
                f"`manage.py changepassword {username}`."
            )

    def ask_password(self, user):
        while True:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                self.stderr.write("The passwords differ; try again.")
                continue
            try:
                password_validation.validate_password(password, user)
            except ValidationError as problem:
                self.stderr.write(" ".join(problem.messages))
                continue
            return password
