"""`resettle createuser USERNAME --role ROLE --organisation ORG`: create an account."""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from resettle.accounts.roles import Role
from resettle.accounts.services import do_create_user, valid_roles
from resettle.directory.models import Organisation

# How each field of the service's errors is given on the command line.
OPTION_OF_FIELD = {
    "username": "USERNAME",
    "password": "--password",
    "role": "--role",
    "organisation": "--organisation",
    "email": "--email",
    "is_superuser": "--superuser",
}


def find_organisation(value: str) -> Organisation:
    """An organisation by id, exact name or acronym (case-insensitive).

    Raises CommandError naming --organisation when none or several match.
    """
    text = value.strip()
    if text.isdigit():
        found = Organisation.objects.filter(pk=int(text)).first()
        if found is None:
            raise CommandError(f"--organisation: no organisation has the id {text}.")
        return found
    for lookup in ("name__iexact", "acronym__iexact"):
        matches = list(Organisation.objects.filter(**{lookup: text}).select_related("country"))
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            listed = "; ".join(
                f"{org.pk}: {org} ({org.country.iso3 if org.country else 'international'})"
                for org in matches
            )
            raise CommandError(
                f"--organisation: {len(matches)} organisations match {text!r}; "
                f"give the id of one of them: {listed}."
            )
    raise CommandError(
        f"--organisation: unknown organisation {text!r}; give its exact name, acronym or id."
    )


class Command(BaseCommand):
    """Create a user account with a role and the organisation it acts for."""

    help = (
        "Create a user account with a role and an organisation. Without --password, "
        "the password is asked twice at the terminal."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """USERNAME, --role, --organisation, --email, --password, --superuser."""
        parser.add_argument("username", metavar="USERNAME")
        parser.add_argument("--role", required=True, help="one of: " + ", ".join(valid_roles()))
        parser.add_argument(
            "--organisation",
            "--organization",
            dest="organisation",
            default=None,
            help="name, acronym or id of the organisation (not needed for admin)",
        )
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password",
            default=None,
            help="asked twice at the terminal when left out",
        )
        parser.add_argument(
            "--superuser",
            action="store_true",
            help="also a Django superuser, with the admin site",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Check the options, ask for the password if needed, create the account."""
        role = str(options["role"]).strip().lower()
        if role not in Role.values:
            valid = ", ".join(valid_roles())
            raise CommandError(f"--role: unknown role {options['role']!r}. Valid roles: {valid}.")
        org_value = options["organisation"]
        organisation = find_organisation(org_value) if org_value else None
        password = options["password"]
        if password is None:
            password = self._ask_password()

        try:
            user = do_create_user(
                username=options["username"],
                password=password,
                role=role,
                organisation=organisation,
                email=options["email"],
                is_superuser=options["superuser"],
                actor=None,
            )
        except ValidationError as exc:
            raise CommandError(self._describe(exc)) from exc

        where = f" for {user.organisation}" if user.organisation else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Created user {user.username!r} ({user.get_role_display()}){where}."
            )
        )

    def _ask_password(self) -> str:
        # Without a terminal there is nobody to ask, and reading a password
        # from a pipe unannounced would hide mistakes in scripts.
        if not sys.stdin.isatty():
            raise CommandError(
                "--password: no password given and standard input is not a terminal; "
                "pass --password or run the command in a terminal to be asked."
            )
        first = getpass.getpass("Password: ")
        second = getpass.getpass("Password (again): ")
        if first != second:
            raise CommandError("--password: the two passwords differ.")
        return first

    @staticmethod
    def _describe(exc: ValidationError) -> str:
        """One line per bad option, named as on the command line."""
        if not hasattr(exc, "error_dict"):
            return "; ".join(exc.messages)
        lines = [
            f"{OPTION_OF_FIELD.get(name, name)}: {' '.join(messages)}"
            for name, messages in exc.message_dict.items()
        ]
        return "\n".join(lines)
