"""The `nsp` command: parse options, call one library function, print, exit.

Exit codes: 0 clean, 1 findings or a failed build, 2 usage or configuration
error, 130 interrupted. No user mistake ever ends in a traceback.
"""

from __future__ import annotations

import click

from nsp.commands.actions import actions
from nsp.commands.build import build
from nsp.commands.check import check
from nsp.commands.diff import diff
from nsp.commands.new import new
from nsp.commands.newsletter import newsletter
from nsp.commands.publish import publish, verify
from nsp.commands.review import review
from nsp.commands.rules import rules
from nsp.commands.schema import schema
from nsp.commands.site import site
from nsp.commands.status import status
from nsp.commands.watch import watch


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="nsp")
def main() -> None:
    """Build and check the National Strategy Paper."""


for command in (build, watch, check, rules, review, status, diff, publish, verify, actions, new, newsletter, site,
                schema):
    main.add_command(command)

if __name__ == "__main__":
    main()
