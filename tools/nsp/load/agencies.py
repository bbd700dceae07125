"""papers/agencies.yaml: the institutions that lead and support actions, by the id chapters use.

    FIA: Federal Investigation Agency
    CTD: Provincial counter-terrorism departments

Every problem is a finding at its line; nothing raises.
"""

from __future__ import annotations

from pathlib import Path

from nsp.diagnostics import Diagnostic
from nsp.load.text import read_text
from nsp.load.yamlfile import LineDict, parse_yaml
from nsp.model import Agency
from nsp.rules import finding

AGENCIES = "papers/agencies.yaml"


def load_agencies(root: Path) -> tuple[dict[str, Agency], list[Diagnostic]]:
    if not (root / AGENCIES).is_file():
        return {}, []
    text, diags = read_text(root, AGENCIES)
    if text is None:
        return {}, diags
    data, more = parse_yaml(text.text, AGENCIES)
    diags += more
    if data is None:
        return {}, diags
    if not isinstance(data, LineDict):
        return {}, diags + [finding(AGENCIES, 1, "E007", "papers/agencies.yaml maps each agency's id to its name "
                                                         "(FIA: Federal Investigation Agency)")]
    out: dict[str, Agency] = {}
    for key, name in data.items():
        if isinstance(name, str) and name.strip():
            out[str(key)] = Agency(str(key), " ".join(name.split()), data.line_of(key))
        else:
            diags.append(finding(AGENCIES, data.line_of(key), "E007",
                                 f"'{key}': expected the agency's name ({key}: Federal Investigation Agency)"))
    return out, diags
