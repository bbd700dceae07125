"""papers/glossary.yaml: the abbreviations a paper uses, what they stand for, and capitals that are none.

    terms:
      FATF: Financial Action Task Force
      NACTA: {expansion: National Counter Terrorism Authority, urdu: "…"}
    ignore: [II, IV]

Every problem is a finding at its line; nothing raises. An `urdu:` with no Urdu letter in it (English or
romanized Urdu pasted by mistake) is warned of (S123) and left out of the paper.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from nsp.diagnostics import Diagnostic
from nsp.infra.fonts import SCRIPTS, in_script
from nsp.load import schema as s
from nsp.load.text import read_text
from nsp.load.yamlfile import LineDict, parse_yaml
from nsp.model import Glossary, Term
from nsp.rules import finding

GLOSSARY = "papers/glossary.yaml"
SCHEMA: s.Schema = {
    "terms": s.Field("map", doc="each abbreviation: what it stands for, or {expansion: …, urdu: …}"),
    "ignore": s.Field("texts", doc="capitals that are no abbreviation (II, IV)"),
}
TERM_SCHEMA: s.Schema = {
    "expansion": s.Field("text", required=True, doc="what the abbreviation stands for"),
    "urdu": s.Field("text", doc="what it stands for, in Urdu"),
}


def load_glossary(root: Path) -> tuple[Glossary, list[Diagnostic]]:
    if not (root / GLOSSARY).is_file():
        return Glossary(), []
    text, diags = read_text(root, GLOSSARY)
    if text is None:
        return Glossary(path=GLOSSARY), diags
    data, more = parse_yaml(text.text, GLOSSARY)
    diags += more
    if data is None:
        return Glossary(path=GLOSSARY), diags
    fields, more = s.validate(data, SCHEMA, GLOSSARY, "the glossary")
    diags += more
    terms: dict[str, Term] = {}
    raw = fields.get("terms", {})
    for abbreviation, value in raw.items():
        line = raw.line_of(abbreviation) if isinstance(raw, LineDict) else 0
        term, problems = _term(str(abbreviation), value, line)
        diags += problems
        if term is None:
            continue
        if term.urdu and not any(in_script(ch, SCRIPTS["ur"]) for ch in term.urdu):
            diags.append(_not_urdu(term, value.line_of("urdu") if isinstance(value, LineDict) else line))
            term = replace(term, urdu="")
        terms[term.abbreviation] = term
    ignore_line = data.line_of("ignore") if isinstance(data, LineDict) and "ignore" in data else 0
    return Glossary(terms, frozenset(fields.get("ignore", ())), GLOSSARY, ignore_line), diags


def _not_urdu(term: Term, line: int) -> Diagnostic:
    """S123: English or romanized Urdu under urdu: would be set right to left in Nastaliq; it is left out."""
    return finding(GLOSSARY, line, "S123", f"'{term.abbreviation}': urdu: '{term.urdu[:40]}' has no letter of the "
                   "Urdu (Arabic) script: write it in Urdu, or leave urdu: out; the paper lists no Urdu for it "
                   "until then")


def _term(abbreviation: str, value: object, line: int) -> tuple[Term | None, list[Diagnostic]]:
    """The term, and every problem of its entry (a misspelt key such as `urdo:` too, though the term stands)."""
    if isinstance(value, str) and value.strip():
        return Term(abbreviation, " ".join(value.split()), line=line), []
    if isinstance(value, dict):
        fields, problems = s.validate(value, TERM_SCHEMA, GLOSSARY, f"the term '{abbreviation}'")
        if "expansion" in fields and fields["expansion"].strip():
            urdu = " ".join(fields.get("urdu", "").split())
            return Term(abbreviation, " ".join(fields["expansion"].split()), urdu, line), problems
        return None, problems or [finding(GLOSSARY, line, "E007", f"'{abbreviation}': say what it stands for")]
    return None, [finding(GLOSSARY, line, "E007", f"'{abbreviation}': expected what it stands for (FATF: Financial "
                          "Action Task Force) or {expansion: …, urdu: …}")]
