"""Pages rendered through jinja2 templates in templates/site/, with autoescaping on: data is text, never markup."""

from __future__ import annotations

from pathlib import Path

import jinja2

from nsp.diagnostics import NspError
from nsp.model import Paper
from nsp.site.links import relative
from nsp.site.pages import Page

NAV = (("index.html", "Home"), ("papers.html", "Papers"), ("newsletters/index.html", "Newsletter"),
       ("network.html", "Network"), ("contact.html", "Contact"))
TEMPLATES = Path("templates") / "site"


def environment(root: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(root / TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
    )


def render_page(env: jinja2.Environment, page: Page, paper: Paper) -> str:
    """One page, every link in it relative to where the page lies."""

    def url(target: str) -> str:
        return relative(page.path, target)

    try:
        return env.get_template(page.template).render(page=page, url=url, nav=NAV, site=paper, **page.context)
    except jinja2.TemplateNotFound as exc:
        raise NspError(f"{TEMPLATES / str(exc.name)} is missing: the site's templates live in {TEMPLATES}/") from None
    except jinja2.TemplateSyntaxError as exc:
        raise NspError(f"{TEMPLATES / (exc.name or page.template)}:{exc.lineno}: {exc.message}") from None
    except jinja2.TemplateError as exc:  # an undefined name, a failed filter: the template's mistake
        raise NspError(f"{TEMPLATES / page.template}: {exc} (while writing {page.path})") from None
