"""Curators' accounts: making one, written once for `manage.py create_curator` (and tests).

A curator is a staff account in the Curators group (migration 0007): it may curate trials but not
manage users. A password given must pass Django's validators (AUTH_PASSWORD_VALIDATORS); an account
without one cannot sign in, so it is made only when asked for.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.db import transaction

CURATORS = "Curators"


@dataclass
class Made:
    username: str
    group: str
    created: bool  # False: the account existed and was made a curator
    can_sign_in: bool
    password_set: bool


@transaction.atomic
def make_curator(*, username, email="", password=None):
    """Create the curator `username` (or make an existing user one), with `password` when given
    (validated first: a ValidationError leaves nothing written), else without a usable password
    for a new account and with their own for an existing one. Raises Group.DoesNotExist before
    migrations have made the group."""
    group = Group.objects.get(name=CURATORS)
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    created = user is None
    if created:
        user = User(username=username, email=email)
    if password is not None:
        password_validation.validate_password(password, user)
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    user.is_staff = True
    if email and not user.email:
        user.email = email
    user.save()
    user.groups.add(group)
    return Made(
        username=username,
        group=group.name,
        created=created,
        can_sign_in=user.is_active and user.has_usable_password(),
        password_set=password is not None,
    )
