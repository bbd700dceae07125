"""The manifest's `imprint:` (copyright, permissions, website, cover credit, ISBN) read into model.Imprint.

Every value is plain text a secretariat types: the renderers pass it on as text, never as markup.
"""

from __future__ import annotations

import datetime as dt
import re

from nsp.diagnostics import Diagnostic
from nsp.load import schema as s
from nsp.load.yamlfile import LineDict
from nsp.model import Imprint
from nsp.rules import finding

IMPRINT_SCHEMA: s.Schema = {
    "copyright": s.Field("text", required=True, doc="the copyright holder, as it is to be printed"),
    "year": s.Field("int", doc="the copyright's year (the paper's own year when none is given)"),
    "permissions": s.Field("text", doc="the sentence on quoting and reproducing the paper"),
    "website": s.Field("text", doc="the initiative's website, a whole http(s) address"),
    "credit": s.Field("text", doc="the cover photograph's credit"),
    "isbn": s.Field("text", doc="the ISBN, if the paper has one (its check digit is checked)"),
}
WEBSITE = re.compile(r"https?://[A-Za-z0-9.-]+(?::\d+)?(?:/[^\s\"'<>\\`]*)?")


def load_imprint(data: object, rel: str, line: int, when: dt.date | None,
                 diags: list[Diagnostic]) -> Imprint | None:
    """The imprint, or None when the manifest has none or its holder is missing (each problem reported)."""
    if data is None:
        return None
    fields, more = s.validate(data, IMPRINT_SCHEMA, rel, "imprint", line)
    diags += more
    if not fields.get("copyright", "").strip():
        if "copyright" in fields:
            diags.append(finding(rel, line, "E007", "imprint: 'copyright' is empty: name who holds the copyright"))
        return None
    lines = data if isinstance(data, LineDict) else None

    def at(key: str) -> int:
        return lines.line_of(key) if lines is not None else line

    year = fields.get("year", when.year if when else 0)
    bad_year = not 1900 <= year <= 2200
    if bad_year:
        why = (f"'year': {year} is not a year; write it as 2019" if "year" in fields
               else "the paper has no date: give the copyright's year as year: 2019")
        diags.append(finding(rel, at("year") if "year" in fields else line, "E007", f"imprint: {why}"))
    website = fields.get("website", "").strip()
    if website and not WEBSITE.fullmatch(website):
        diags.append(finding(rel, at("website"), "E007", f"imprint: 'website': '{website[:60]}' is not a web "
                             "address; write it whole, as https://www.example.org.pk"))
        website = ""
    isbn = fields.get("isbn", "").strip()
    problem = isbn_problem(isbn) if isbn else None
    if problem:
        diags.append(finding(rel, at("isbn"), "E007", f"imprint: 'isbn': {problem}"))
        isbn = ""
    if bad_year:
        return None
    return Imprint(copyright=" ".join(fields["copyright"].split()), year=year,
                   permissions=" ".join(fields.get("permissions", "").split()), website=website,
                   credit=" ".join(fields.get("credit", "").split()), isbn=isbn)


def isbn_problem(isbn: str) -> str | None:
    """Why `isbn` is no ISBN-13 or ISBN-10 (its digits, or its check digit), or None."""
    digits = re.sub(r"[\s-]", "", isbn).upper()
    if re.fullmatch(r"\d{13}", digits):
        check = (10 - sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits[:12])) % 10) % 10
        expected = str(check)
    elif re.fullmatch(r"\d{9}[\dX]", digits):
        check = (11 - sum(int(d) * (10 - i) for i, d in enumerate(digits[:9])) % 11) % 11
        expected = "X" if check == 10 else str(check)
    else:
        return f"'{isbn[:40]}' is not an ISBN: give its 13 digits (or 10), as 978-969-1234-56-7"
    if digits[-1] != expected:
        return f"'{isbn}' ends in {digits[-1]} but its check digit is {expected}: copy it again from the ISBN agency"
    return None
