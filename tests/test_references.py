"""Bibliographies as reference managers export them (issue 18): biblatex's field names, crossref and xdata,
CSL JSON and CSL YAML files, and one work under two keys, all through the installed nsp."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import REPO, nsp, pdf_text, write
from worddocx import docx_text

EXPORT = REPO / "tests" / "data" / "zotero-biblatex.bib"


def bibliography(root: Path, name: str, text: str, cite: str) -> None:
    """Add a bibliography file to the small paper and cite `cite` in its first chapter."""
    write(root, f"papers/{name}", text)
    manifest = root / "papers" / "small.yaml"
    manifest.write_text(manifest.read_text("utf-8").replace("bibliography: [references.bib]",
                                                             f"bibliography: [references.bib, {name}]"), "utf-8")
    first = root / "alpha" / "01-first.md"
    first.write_text(first.read_text("utf-8") + f"\nAs cited [{cite}].\n", "utf-8")


def findings(root: Path, code: str) -> list[str]:
    out = nsp(root, "check", "--paper", "small", "--select", code)
    assert "Traceback" not in out.stderr, out.stderr
    return out.stdout.splitlines()[:-1]  # the last line is the count


def line_of(text: str, pattern: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if re.search(pattern, line))


def test_a_biblatex_export_is_complete_as_pandoc_reads_it(small_paper: Path) -> None:
    text = EXPORT.read_text("utf-8")
    keys = re.findall(r"^@(?!string|xdata)\w+\{([^,]+),", text, re.M)
    assert len(keys) == 13
    bibliography(small_paper, "zotero.bib", text, "; ".join(f"@{k}" for k in keys))
    # journaltitle, date, location, an institution from an xdata set, a booktitle and date from a crossref
    # parent, a publisher from an @string: none of them is missing.
    assert findings(small_paper, "C204") == []


def test_a_field_really_missing_is_named_at_its_entry(small_paper: Path) -> None:
    text = EXPORT.read_text("utf-8")
    text = text.replace("  journaltitle = {Dawn},\n", "")  # the newspaper's name
    text = text.replace("  date = {2018},\n}\n\n@incollection", "}\n\n@incollection")  # the parent's date
    text = text.replace("  xdata = {unodc-vienna},\n", "")  # the report's institution (its author remains)
    text = text.replace("  title = {Cyber Crime Investigation in Pakistan},\n", "")
    bibliography(small_paper, "zotero.bib", text, "@dawnHawala2019")
    assert findings(small_paper, "C204") == [
        f"papers/zotero.bib:{line_of(text, '@article{dawnHawala2019')}: C204 @article{{dawnHawala2019}} lacks "
        "journal (or journaltitle)",
        f"papers/zotero.bib:{line_of(text, '@collection{hussain')}: C204 @collection{{hussainOrganizedCrime2018}} "
        "lacks year (or date)",
        # The child inherits nothing it does not have: no date from its parent now.
        f"papers/zotero.bib:{line_of(text, '@incollection{rehman')}: C204 @incollection{{rehmanBorders2018}} lacks "
        "year (or date)",
        f"papers/zotero.bib:{line_of(text, '@thesis{qureshi')}: C204 @thesis{{qureshiCyber2017}} lacks title",
    ]


CSL_JSON = [
    {"id": "baloch2019", "type": "article-journal", "title": "Cash Couriers on the Western Border",
     "author": [{"family": "Baloch", "given": "Asad"}], "container-title": "Journal of Borderland Studies",
     "issued": {"date-parts": [[2019]]}, "volume": "34"},
    {"id": "nacta2018", "type": "report", "title": "Counter Terrorism Financing Strategy",
     "author": [{"literal": "National Counter Terrorism Authority"}], "publisher": "NACTA",
     "publisher-place": "Islamabad", "issued": {"date-parts": [[2018]]}},
]


def test_a_csl_json_bibliography_is_listed_in_the_pdf_and_the_word_file(small_paper: Path) -> None:
    bibliography(small_paper, "zotero.json", json.dumps(CSL_JSON, indent=2), "@baloch2019; @nacta2018")
    assert findings(small_paper, "C2") == []
    out = nsp(small_paper, "build", "--paper", "small")
    assert out.returncode == 0, out.stderr
    pdf = pdf_text(small_paper / "build" / "small.pdf")
    word = " ".join(docx_text(small_paper / "build" / "small.docx").split())
    for text in (pdf, word):
        refs = text[text.rindex("References"):]
        assert "Baloch, Asad. 2019. ‘Cash Couriers on the Western Border’. Journal of Borderland Studies 34." in refs
        assert "National Counter Terrorism Authority. 2018. Counter Terrorism Financing Strategy. NACTA." in refs
        assert "(Baloch 2019; National Counter Terrorism Authority 2018)" in text


def test_a_csl_entry_is_judged_and_located_in_json_and_yaml(small_paper: Path) -> None:
    article = {k: v for k, v in CSL_JSON[0].items() if k != "container-title"}
    items = [dict(article, id="a1"), {"id": "w1", "type": "webpage", "title": "Hawala", "URL": "javascript:x()"}]
    text = json.dumps(items, indent=2)
    bibliography(small_paper, "zotero.json", text, "@a1; @w1")
    assert findings(small_paper, "C204") == [
        f'papers/zotero.json:{line_of(text, chr(34) + "a1")}: C204 a1 (article-journal) lacks container-title',
        f'papers/zotero.json:{line_of(text, chr(34) + "w1")}: C204 w1 (webpage) lacks issued or accessed',
    ]
    assert findings(small_paper, "A509") == [f'papers/zotero.json:{line_of(text, chr(34) + "w1")}: A509 URL '
                                             "'javascript:x()' of w1 is not allowed; links may use http, https, "
                                             "mailto"]
    yaml = ("references:\n"
            "- id: y1\n  type: report\n  title: Annual Report\n  issued: 2019\n"
            "- id: y2\n  type: legislation\n  title: Prevention of Electronic Crimes Act\n"
            "- type: book\n  title: No key\n")
    write(small_paper, "papers/more.yaml", yaml)
    manifest = small_paper / "papers" / "small.yaml"
    manifest.write_text(manifest.read_text("utf-8").replace("zotero.json]", "zotero.json, more.yaml]"), "utf-8")
    found = findings(small_paper, "C203,C204,C205")
    assert sorted(f for f in found if f.startswith("papers/more.yaml")) == [
        "papers/more.yaml:2: C204 y1 (report) lacks author or publisher",
        "papers/more.yaml:6: C204 y2 (legislation) lacks issued",
        'papers/more.yaml:9: C205 this CSL entry has no "id": give it the key chapters cite',
    ]


def test_one_work_under_two_keys_is_a_warning_naming_both(small_paper: Path) -> None:
    bibliography(small_paper, "zotero.bib", """
        @article{zaidi2016,
          author = {Zaidi, Sana},
          title = {Hawala after the Grey List},
          journaltitle = {Journal of Money Laundering Control},
          date = {2016},
          doi = {10.1108/JMLC-01-2016-0002},
        }
        @article{zaidi2016a,
          author = {Zaidi, S.},
          title = {Hawala After the Grey-List},
          journal = {J. Money Laundering Control},
          year = {2016},
          doi = {https://doi.org/10.1108/jmlc-01-2016-0002},
        }
        """, "@zaidi2016; @zaidi2016a")
    # And across files: the theme's own bibliography repeats the shared one's report under another key.
    write(small_paper, "alpha/references.bib", """
        @report{wdr2019,
          author = {{United Nations Office on Drugs and Crime}},
          title = {World Drug Report 2019},
          institution = {United Nations},
          date = {2019-06-26},
        }
        """)
    assert findings(small_paper, "C208") == [
        "alpha/references.bib:1: C208 wdr2019 is the same work as unodc2019 (papers/references.bib:1): the same "
        "title, first author and year; cite one key and remove the other",
        "papers/zotero.bib:8: C208 zaidi2016a is the same work as zaidi2016 (papers/zotero.bib:1): the same DOI "
        "10.1108/jmlc-01-2016-0002; cite one key and remove the other",
    ]
    out = nsp(small_paper, "check", "--paper", "small")
    assert out.returncode == 0  # a warning: the paper still builds


def test_the_types_a_strategy_paper_relies_on_print_whole(small_paper: Path) -> None:
    text = EXPORT.read_text("utf-8")
    keys = re.findall(r"^@(?!string|xdata)\w+\{([^,]+),", text, re.M)
    bibliography(small_paper, "zotero.bib", text, "; ".join(f"@{k}" for k in keys))
    out = nsp(small_paper, "build", "--paper", "small", "--force")  # --force: C208, the export repeats unodc2019
    assert out.returncode == 0, out.stderr
    refs = pdf_text(small_paper / "build" / "small.pdf")
    refs = refs[refs.rindex("References"):]
    for printed in (
        # Acts by title, number and year, not as US public law.
        "Anti-Money Laundering Act, Act No. VII of 2010 (2010).",
        "Prevention of Trafficking in Persons Act, Act No. XXXIII of 2018 (2018).",
        # International bodies and agencies as corporate authors, whole, no stray punctuation.
        # (2019b: the small paper's own unodc2019 is the same report under another key, C208's case.)
        "United Nations Office on Drugs and Crime. 2019b. World Drug Report 2019. Report. United Nations Office on "
        "Drugs and Crime.",
        "Federal Investigation Agency. 2020. Annual Report 2019. Federal Investigation Agency, Ministry of Interior.",
        # Newspapers with their day; a web page without a date with the day it was read.
        "Ali, Imtiaz. 2019. ‘Hawala Operators Arrested in Peshawar’. Dawn, June 14.",
        "Financial Monitoring Unit. n.d. ‘Suspicious Transaction Reporting’. Financial Monitoring Unit, Government of "
        "Pakistan. Accessed 3 February 2020.",
        # A chapter completed from its book through crossref.
        "Rehman, Ayesha. 2018. ‘Borders, Trust and Trafficking’. In Organized Crime in South Asia, edited by Zahid "
        "Hussain. Oxford University Press.",
    ):
        assert printed in refs, printed
    assert "Pub. L." not in refs and ",." not in refs and ". ." not in refs


def test_a_hostile_csl_file_is_a_finding_not_a_traceback(small_paper: Path) -> None:
    bibliography(small_paper, "zotero.json", "[" * 100_000, "@unodc2019")
    out = nsp(small_paper, "check", "--paper", "small")
    assert "papers/zotero.json:1: C205 this CSL JSON is nested too deeply to be a bibliography" in out.stdout
    assert out.returncode == 1 and "Traceback" not in out.stderr
    write(small_paper, "papers/zotero.json", '[{"id": "x1", "type": 5, "title": "T"}]')
    out = nsp(small_paper, "check", "--paper", "small")
    assert ('papers/zotero.json:1: C205 the "type" of x1 is not a CSL type name such as "report" or '
            '"article-journal"') in out.stdout
    built = nsp(small_paper, "build", "--paper", "small")
    assert built.returncode == 1 and "Traceback" not in built.stderr
