"""nsp site: the initiative's static website in build/site/, and a local server that rebuilds it."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from nsp.commands.common import find_root, handle_errors
from nsp.commands.complete import papers


@click.command()
@click.option("--paper", shell_complete=papers, default="national-strategy", show_default=True,
              help="The paper whose manifest, themes and network the site presents.")
@click.option("--drafts", is_flag=True, help="Add each paper's current draft web edition, marked DRAFT.")
@click.option("--base-url", default="", help="The site's public address, for absolute URLs in the feed and sitemap.")
@click.option("--serve", is_flag=True, help="Serve the site on 127.0.0.1 and rebuild it when an input changes.")
@click.option("--port", type=click.IntRange(1, 65535), help="The port --serve uses (8000 unless given).")
@handle_errors
def site(paper: str, drafts: bool, base_url: str, serve: bool, port: int | None) -> None:
    """Write the website to build/site/: the initiative, its papers and releases, newsletters, network, contact."""
    from nsp.diagnostics import UsageError
    from nsp.site.make import SITE

    if port is not None and not serve:
        raise UsageError("--port is the port --serve uses: add --serve, or leave --port out")
    port = port or 8000

    root = find_root(Path.cwd())
    ok = _build(root, paper, drafts, base_url)
    if not serve:
        sys.exit(0 if ok else 1)
    if not ok and not (root / SITE).is_dir():
        sys.exit(1)
    from nsp.diagnostics import NspError
    from nsp.site.serve import HOST
    from nsp.site.serve import serve as run_serve

    def rebuild(changed: list[str]) -> None:
        click.echo(f"changed: {', '.join(changed[:5])}{' …' if len(changed) > 5 else ''}")
        try:
            _build(root, paper, drafts, base_url)
        except NspError as exc:
            click.echo(f"nsp: {exc}; the site served is the last one built", err=True)

    run_serve(root, root / SITE, port, rebuild,
              ready=lambda: click.echo(f"serving {SITE}/ on http://{HOST}:{port}/index.html; Ctrl-C stops"))
    click.echo("stopped")


def _build(root: Path, paper: str, drafts: bool, base_url: str) -> bool:
    from nsp.diagnostics import format_text
    from nsp.site.make import make_site

    result = make_site(root, paper, drafts=drafts, base_url=base_url)
    for line in result.warnings:
        click.echo(f"nsp: warning: {line}", err=True)
    if result.folder is None:
        click.echo(format_text(result.problems), err=True)
        click.echo("nsp: site not written: fix the findings above; build/site/ was left as it was",
                   err=True)
        return False
    click.echo(f"wrote {result.folder.relative_to(root)}/ ({result.pages} pages)")
    return True
