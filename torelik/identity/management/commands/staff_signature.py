"""`torelik staff_signature bind USERNAME IIN [--by ADMIN] [--reason TEXT]` and
`torelik staff_signature revoke USERNAME [--by ADMIN]`: bind a staff account to a person's IIN so that
an AUTH certificate of that IIN logs it in, or revoke the binding (journaled; ADR 0082)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from torelik.core.errors import DomainError
from torelik.core.identifiers import IIN
from torelik.identity import actions
from torelik.identity.models import User


class Command(BaseCommand):
    help = "Bind a staff account to a person's IIN for the signature login, or revoke the binding."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", title="subcommands", required=True)
        bind = commands.add_parser("bind", help="bind USERNAME to IIN")
        bind.add_argument("username")
        bind.add_argument("iin")
        bind.add_argument("--reason", default="")
        bind.add_argument("--by", default="", help="the administrator's username, journaled as who bound it")
        revoke = commands.add_parser("revoke", help="revoke the binding of USERNAME")
        revoke.add_argument("username")
        revoke.add_argument("--by", default="")

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account {username!r}.")
        return user

    def handle(self, *args: Any, **options: Any) -> None:
        user = self._user(options["username"])
        actor = self._user(options["by"]) if options["by"] else None
        try:
            if options["subcommand"] == "bind":
                iin = IIN.parse(options["iin"]).value
                binding = actions.bind_staff_signature(user=user, iin=iin, actor=actor, reason=options["reason"])
                self.stdout.write(f"{user.username} bound to IIN {binding.iin}.")
            else:
                actions.revoke_staff_signature(user=user, actor=actor)
                self.stdout.write(f"{user.username}: binding revoked.")
        except DomainError as error:
            raise CommandError(str(error.message)) from error
