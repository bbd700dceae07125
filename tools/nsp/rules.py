"""The rule catalogue: every code nsp reports, with its name, severity and documentation.

This list is the one source of codes and severities. Loaders report what they find with
`finding(path, line, code, message)`; checks are paired with their codes in nsp/check/table.py;
both take the severity from here, so a call site cannot choose its own. `nsp rules` prints this
list and `nsp rules --format markdown` writes docs/rules.md from it.

It is plain data and imports nothing of nsp but the diagnostics, so reading it (to validate
`--select`, say) never imports the checks: the catalogue is complete however nsp was started.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from nsp.diagnostics import Diagnostic, Severity

E, W = Severity.ERROR, Severity.WARNING

FAMILIES = {
    "E0": "Files and syntax", "S1": "Structure", "C2": "Citations", "R3": "Review",
    "P4": "People", "A5": "Assets and safety", "X6": "Cross-references",
}

# Review, people and safety rules (and the rule that reports an attempt to ignore them): a chapter's own
# `ignore:` never hides them, and `nsp publish`'s gate keeps them whatever the manifest or command line says.
PROTECTED = ("R3", "P4", "A5", "E013")


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    doc: str  # what it finds, why it matters, an example

    def at(self, path: str, line: int, message: str) -> Diagnostic:
        return Diagnostic(path, line, self.code, self.severity, message)


def _rule(code: str, name: str, severity: Severity, doc: str) -> Rule:
    return Rule(code, name, severity, inspect.cleandoc(doc))


# Every rule, by family in the order of FAMILIES, then by code (the order `nsp rules` prints).
CATALOGUE: tuple[Rule, ...] = (
    # E0xx: Files and syntax
    _rule(
        "E001",
        "unreadable-file",
        E,
        """
        A file nsp needs cannot be read: it does not exist or permissions forbid it.

        Why: a paper cannot be built from a file nobody can open.
        Example: `papers/people.yaml` deleted by mistake.
        """,
    ),
    _rule(
        "E002",
        "not-utf8",
        E,
        """
        A file is not UTF-8 text (the message names the first bad byte), or contains a NUL byte.

        Why: pandoc would silently read it as Latin-1 and print mojibake into the paper.
        Example: a chapter saved as "Western European (Windows-1252)" with a 'é' in it.
        """,
    ),
    _rule(
        "E003",
        "yaml-syntax",
        E,
        """
        YAML that cannot be parsed, or that uses a tag such as `!!python/object`.

        Why: nothing in a broken file can be trusted; tags could make a loader run code.
        Example: `title: "Channels` with no closing quote.
        """,
    ),
    _rule(
        "E004",
        "duplicate-key",
        E,
        """
        The same key twice in one YAML mapping.

        Why: YAML keeps only the last value, silently; the first is lost.
        Example: two `title:` lines in a chapter's front matter.
        """,
    ),
    _rule(
        "E005",
        "file-too-large",
        E,
        """
        A chapter over the size limit (5 MiB).

        Why: a chapter is prose; a file this big is pasted data that would stall the build.
        Example: a 50 MB table export saved as `03-data.md`.
        """,
    ),
    _rule(
        "E006",
        "unknown-key",
        W,
        """
        A key nsp does not know, with a did-you-mean where one is close.

        Why: a misspelt key is ignored, so the setting it meant has no effect.
        Example: `reviewer: [akhtar-ali-shah]` in theme.yaml (the key is `reviewers`).
        """,
    ),
    _rule(
        "E007",
        "wrong-type",
        E,
        """
        A value of the wrong kind: a list where text is wanted, or a YAML 1.1 boolean or date where text was meant.

        Why: YAML reads `no`, `on` or `2020-04-30` as a boolean or a date, not the text written.
        Example: `title: no` (write `title: "no"`).
        """,
    ),
    _rule(
        "E008",
        "missing-key",
        E,
        """
        A required key is absent: a chapter's `title` or `authors`, a theme's `title` or `chapters`.

        Why: without it the paper cannot name or order the document.
        Example: front matter with `authors:` but no `title:`.
        """,
    ),
    _rule(
        "E010",
        "no-front-matter",
        E,
        """
        A chapter does not begin with a front-matter block between `---` lines.

        Why: nsp learns a chapter's title and authors from it.
        Example: a chapter that starts directly with `## Context`.
        """,
    ),
    _rule(
        "E011",
        "unterminated-front-matter",
        E,
        """
        A chapter's front matter is opened with `---` but never closed.

        Why: the whole chapter would be read as YAML.
        Example: `---` and `title: …` with no second `---`.
        """,
    ),
    _rule(
        "E012",
        "second-front-matter",
        E,
        """
        A `---` line inside a chapter followed by `key: value` lines, like a second front-matter block.

        Why: only the block at the top of the file is front matter; pandoc reads this one as a
        horizontal rule and a heading, so keys meant as data are printed in the paper.
        Example: a chapter pasted below another with its own `---` / `title:` block.
        """,
    ),
    _rule(
        "E013",
        "ignore-not-allowed",
        E,
        """
        A chapter's `ignore:` names review (R3xx), people (P4xx) or safety (A5xx) rules, or this one.

        Why: those rules judge the chapter: who wrote it, who signed it, what it may make the build read or run.
        The text they judge cannot silence them; nsp reports them whatever the chapter says, and `nsp publish`
        also whatever the manifest or command line selects.
        Example: `ignore: [R301, P402]` in the front matter of a chapter its lead co-wrote.
        """,
    ),
    _rule(
        "E014",
        "path-outside-repository",
        E,
        """
        A file the paper uses lies outside the repository: a chapter, page, bibliography or style
        listed with `..` or an absolute path, or a file that is a symbolic link to somewhere outside.

        Why: the build must read only the manuscript. A listed `../../home/x/notes.md` or a
        symbolic link would print a file from the build machine into the paper, and breaks on
        every other machine. The file is not read at all.
        Example: `chapters: [../../../x/secret.md]` in theme.yaml, or `references.bib` linked to `~/refs.bib`.
        """,
    ),
    _rule(
        "E015",
        "yaml-alias",
        E,
        """
        A YAML anchor or alias (`&name`, `*name`) in any file nsp reads: manifest, people, theme, reviews, front matter.

        Why: nsp's files never need them, and aliases of aliases multiply: a 3 KB "billion
        laughs" block expands to billions of values and hung every command that read it.
        Example: `authors: &a [ana]` then `summary: *a`; write each value out in full.
        """,
    ),
    _rule(
        "E016",
        "tool-limit",
        E,
        """
        pandoc ran out of time or memory reading this chapter (the limits `seconds`, `seconds_per_mb`, `memory_mb`).

        Why: one chapter must not hang everyone's check. The other chapters are still checked;
        this one is reported, with what usually causes it.
        Example: a construct the source limits do not catch, such as a table of 100,000 cells.
        """,
    ),
    # S1xx: Structure
    _rule(
        "S101",
        "chapter-missing",
        E,
        """
        A chapter listed in theme.yaml (or a page listed in the manifest) does not exist.

        Why: the paper would silently lack a chapter its readers are told about.
        Example: `chapters: [03-borders.md]` but the file is called `03-border.md`.
        """,
    ),
    _rule(
        "S102",
        "orphan-chapter",
        W,
        """
        A Markdown file in a theme folder that the theme's `chapters:` list does not name.

        Why: it will not appear in the paper, which is rarely what its author expects.
        Example: `04-new.md` written but not added to theme.yaml.
        """,
    ),
    _rule(
        "S103",
        "theme-without-folder",
        E,
        """
        A theme named in the manifest has no folder.

        Why: the part cannot be built; usually a typo in the manifest.
        Example: `themes: [cyber-crime]` when the folder is `cyber_crime/`.
        """,
    ),
    _rule(
        "S104",
        "required-section-missing",
        E,
        """
        A section the theme requires (`required_sections:`) is not a top-level heading of the chapter.

        Why: every chapter of a theme is read against the same outline: context, gaps, recommendations…
        Example: a chapter with `## Context` and `## Gaps` but no `## Recommendations`.
        """,
    ),
    _rule(
        "S105",
        "required-section-empty",
        W,
        """
        A required section has a heading but nothing under it.

        Why: an empty section reads as finished in the outline but says nothing.
        Example: `## Action plan` followed directly by the end of the file.
        """,
    ),
    _rule(
        "S106",
        "todo-marker",
        W,
        """
        A TODO, TBD, FIXME or XXX marker in a chapter.

        Why: markers are notes to the authors; none may reach a published paper.
        Example: `TODO: add the 2019 seizure figures.`
        """,
    ),
    _rule(
        "S107",
        "word-count",
        W,
        """
        A chapter's length is outside the theme's `min_words`/`max_words`.

        Why: the paper is read by busy people; the secretariat sets a budget per chapter.
        Example: a 9,000-word chapter where the theme allows 5,000.
        """,
    ),
    _rule(
        "S108",
        "heading-level-skipped",
        W,
        """
        A heading more than one level below the one before it.

        Why: the numbering and the contents would show a section with no parent.
        Example: `## Gaps` followed by `#### Borders` with no `###` between.
        """,
    ),
    _rule(
        "S109",
        "duplicate-chapter-title",
        E,
        """
        Two chapters with the same title.

        Why: the contents and every cross-reference would be ambiguous.
        Example: two chapters titled "Context and Gaps" in different themes.
        """,
    ),
    _rule(
        "S110",
        "unclosed-div",
        E,
        """
        A fenced div (`::: note`) that is never closed with a `:::` line.

        Why: pandoc closes it silently at the end of the file, so everything after it
        becomes part of the box, a layout the author never saw coming.
        Example: `::: warning` with no `:::` after the warned-of paragraph.
        """,
    ),
    _rule(
        "S111",
        "nesting-too-deep",
        E,
        """
        Lists, block quotes and divisions (`:::`, `<div>`, `<span>`) nested deeper than `limits: nesting_depth` (12).

        Why: typst refuses 17 nested quotes, and past a few hundred levels nsp's own reading of
        pandoc's output crashed the build with a Python traceback. Real writing stops at four or five.
        Example: a line of 600 `> ` before the text, or a list indented 2 more spaces on each of 600 lines.
        """,
    ),
    _rule(
        "S112",
        "bracket-run",
        E,
        """
        Square brackets nested, or left open, deeper than `limits: bracket_depth` (6) in one paragraph.

        Why: pandoc's reader tries every way of pairing them: eight nested pairs take a second,
        twelve over a minute, forty unclosed ones hours. The chapter is not given to pandoc at all.
        Example: `[[[[[[[[[[[[a` or a pasted run of `[`; escape literal brackets as `\\[`.
        """,
    ),
    _rule(
        "S113",
        "paragraph-too-large",
        E,
        """
        A paragraph (a run of non-blank lines) longer than `limits: paragraph_chars` (100,000).

        Why: typst lays out a paragraph as a whole; a 4.8 MB one ran for six minutes and then failed.
        Example: a data dump pasted without blank lines; split it, or leave the data out.
        """,
    ),
    _rule(
        "S114",
        "too-many-citations",
        E,
        """
        More citations in one chapter than `limits: citations_per_chapter` (2,000).

        Why: every citation is formatted and typeset; one key cited 100,000 times kept typst
        busy past ten minutes at 5.6 GB. A heavily referenced chapter has a few hundred.
        Example: `[@unodc2019]` pasted after every sentence of a generated text.
        """,
    ),
    _rule(
        "S115",
        "unknown-abbreviation",
        W,
        """
        An abbreviation (two or more capitals) that papers/glossary.yaml neither explains nor ignores.

        Why: nsp writes each abbreviation out at its first use in every paper and lists them all in
        front; one missing from the glossary is left for the reader to guess. Checked only where the
        repository keeps a papers/glossary.yaml.
        Example: "NACTA" in a chapter, with no `NACTA: National Counter Terrorism Authority` under terms:.
        """,
    ),
    _rule(
        "S116",
        "unused-abbreviation",
        W,
        """
        A glossary entry that no chapter or page in the repository uses.

        Why: each paper lists only the abbreviations it uses; an entry no text uses is probably
        misspelt, or left over from text that was cut.
        Example: `PEMRA: …` in the glossary when no chapter mentions PEMRA.
        """,
    ),
    _rule(
        "S117",
        "malformed-action",
        E,
        """
        An action without what, a lead or a deadline; an actions block that is not a list of actions.

        Why: the Implementation Matrix and `nsp actions` tell every agency what it must do by when;
        an action without an owner or a date is a wish nobody is held to.
        Example: `- action: Shared case database` with no `lead:` or `deadline:`.
        """,
    ),
    _rule(
        "S118",
        "unknown-agency",
        E,
        """
        An action led or supported by an agency papers/agencies.yaml does not list.

        Why: the matrix is ordered by agency; "FIA" and "F.I.A." would be two agencies, each with
        half the list. The id must be one the secretariat keeps.
        Example: `lead: Anti-Narcotic Force` instead of `lead: ANF`.
        """,
    ),
    _rule(
        "S119",
        "deadline-beyond-horizon",
        W,
        """
        A deadline before the paper's date, or after its horizon (`horizon:` in its manifest,
        five years after its date by default), or that is no date.

        Why: a plan the paper cannot follow up, or one already overdue when it is published, needs
        a decision, not a typo's chance.
        Example: `deadline: 2052` in a paper dated 2020.
        """,
    ),
    _rule(
        "S120",
        "due-date-of-unlisted-chapter",
        W,
        """
        A theme's `due:` gives a date for a chapter that its `chapters:` does not list.

        Why: `nsp status`, the dashboard and the newsletter's deadlines follow the chapters a theme
        lists; a due date for a misspelt or renamed file is a deadline nobody sees.
        Example: `due: {01-channel.md: 2020-01-31}` when the chapter is `01-channels.md`.
        """,
    ),
    _rule(
        "S121",
        "language-mostly-latin",
        W,
        """
        A document marked `lang: ur` whose letters are mostly Latin (outside code blocks).

        Why: the whole document is then set right to left in the Urdu fonts, and Word and browsers
        spell-check it as Urdu: an English page marked by mistake (a copied front matter) reads badly.
        Example: an English annex whose front matter says `lang: ur`; remove the key, and mark the
        Urdu phrases in it with `[...]{lang=ur}`.
        """,
    ),
    _rule(
        "S122",
        "newsletter-named-no-month",
        W,
        """
        A file in newsletters/ whose name is not a month, YYYY-MM.md.

        Why: `nsp newsletter 2020-01` reads newsletters/2020-01.md, and the site lists the months it
        finds; a text named otherwise is checked but never sent or shown.
        Example: `newsletters/2020-1.md` or `newsletters/january.md`.
        """,
    ),
    _rule(
        "S123",
        "urdu-without-urdu-letters",
        W,
        """
        An `urdu:` expansion in papers/glossary.yaml with no letter of the Arabic script Urdu is written in.

        Why: the List of Abbreviations sets it right to left in the Urdu font and Word and browsers
        spell-check it as Urdu; English or romanized Urdu there is a slip (a copied expansion). It is
        left out of the list until it is written in Urdu.
        Example: `FIA: {expansion: Federal Investigation Agency, urdu: Wafaqi Tehqiqati Idara}`;
        write `urdu: وفاقی تحقیقاتی ادارہ`, or leave `urdu:` out.
        """,
    ),
    # C2xx: Citations
    _rule(
        "C201",
        "unknown-citation",
        E,
        """
        A citation key that is in no bibliography.

        Why: pandoc prints such a citation as a bold `key?` and carries on; the paper
        would go out with a hole where the evidence should be.
        Example: `[@fatf2019x]` when the .bib has `fatf2019`.
        """,
    ),
    _rule(
        "C202",
        "unused-bib-entry",
        W,
        """
        A bibliography entry that no Markdown file in the repository cites.

        Why: dead entries hide real ones and drift out of date; the other papers may use it, so
        the whole repository is searched, not only this paper.
        Example: `@book{old2001, …}` left behind after a chapter was rewritten.
        """,
    ),
    _rule(
        "C203",
        "duplicate-bib-key",
        E,
        """
        One citation key defined twice with different content (in one .bib file, or in two).

        Why: pandoc keeps the last one silently; a citation could point at the wrong work.
        Example: `@report{unodc2019, …}` in papers/references.bib and a different one in drug_trafficking/references.bib.
        """,
    ),
    _rule(
        "C204",
        "bib-entry-incomplete",
        W,
        """
        A bibliography entry lacks what the citation style needs to print its type: an article its
        title, author or editor, journal and date; a report its title, author or institution and date;
        a chapter its book; legislation its title and date; a web page its URL and a date or access date.

        Why: the reference list would print an entry a reader cannot find again. The entry is judged as
        the paper prints it, from pandoc's reading of it: biblatex's names (`journaltitle`, `date`,
        `location`), fields inherited through `crossref` and `xdata`, and `@string` macros all count.
        Example: `@article{x, title={…}}` with no journal or year; in CSL JSON, an "article-journal"
        without "container-title".
        """,
    ),
    _rule(
        "C205",
        "bib-unparseable",
        E,
        """
        A .bib block that cannot be parsed: an unclosed brace, a missing comma, a field given twice.

        Why: the entry would be lost, and every citation of it with it.
        Example: `title = {Opium Survey,` with no closing brace.
        """,
    ),
    _rule(
        "C206",
        "legislation-as-us-law",
        W,
        """
        A `@legislation` entry that the paper's citation style prints as a US public law.

        Why: many styles, pandoc's own Chicago among them, print every `@legislation` number as US
        public law, so a Pakistani act comes out as "Anti-Money Laundering Act, Pub. L. Nos. Act No. VII
        of 2010 (2010)". nsp prints the entry with the paper's style to see. The shipped style
        (templates/csl/chicago-author-date.csl) prints another country's number as written:
        "Anti-Money Laundering Act, Act No. VII of 2010 (2010)."
        Example: `@legislation{amla2010, number = {Act No. VII of 2010}, …}` in a paper with no `csl:`;
        name the shipped style, or write the act as `@misc{amla2010, title = {Anti-Money Laundering Act},
        number = {Act No. VII of 2010}, publisher = {Government of Pakistan}, year = {2010}}`.
        """,
    ),
    _rule(
        "C207",
        "corporate-name-split",
        W,
        """
        An organization's name that the bibliography splits at "and" or reads as a person's name.

        Why: BibTeX name and list fields are split at every "and" outside braces, so
        "UNODC, Ministry of Interior and Narcotics Control, and Pakistan Bureau of Statistics" prints as
        "UNODC, Ministry of Interior; Narcotics Control,; Pakistan Bureau of Statistics", and
        `author = {United Nations Office on Drugs and Crime}` as two people.
        Example: write `institution = {{UNODC, Ministry of Interior and Narcotics Control, and Pakistan Bureau of Statistics}}`
        and `author = {{United Nations Office on Drugs and Crime}}`: double braces keep a name whole.
        """,
    ),
    _rule(
        "C208",
        "same-work-two-keys",
        W,
        """
        One work under two keys, in one bibliography or across the shared and a theme's: the same DOI, or
        the same title, first author and year.

        Why: the reference list would print the work twice, and a correction made to one entry would
        miss the citations of the other. Reference managers make such twins when two researchers
        export the same item.
        Example: `@report{unodc2019}` in papers/references.bib and `@report{unodc-wdr-2019}` with the
        same title, author and year in drug_trafficking/references.bib.
        """,
    ),
    # R3xx: Review
    _rule(
        "R301",
        "no-reviewer",
        W,
        """
        A chapter that cannot get the sign-offs its theme requires from people who did not write it.

        Why: every chapter needs a second pair of eyes before it is published; authors cannot approve their own work,
        and their sign-off is not simply dropped: the lead and `required_reviewers` further reviewers sign every
        chapter, so a lead who co-wrote it is replaced by one more reviewer. Until someone else is assigned
        (and the secretariat confirms the theme's rules), the chapter cannot be approved.
        Example: a theme whose lead is also the only author and which lists no reviewers; or a chapter listing the
        lead and the theme's only reviewer as co-authors.
        """,
    ),
    _rule(
        "R302",
        "approval-stale",
        W,
        """
        An approval given to an earlier revision: the chapter, one of its images or a reference it cites has changed since.

        Why: a sign-off vouches for what the reader sees, not a file name: the text, the bytes of each image, the
        bibliography entries it cites. The message names what changed; `nsp diff CHAPTER` shows the text's changes.
        Approvals recorded before they covered images and references name the text alone and must be given again.
        Example: approved on 10 February, then `figures/channels.png` replaced.
        """,
    ),
    _rule(
        "R303",
        "changes-requested",
        W,
        """
        A reviewer asked for changes, and has not approved since.

        Why: the request is the reviewer's standing verdict until they approve a later revision.
        Example: "changes-requested: add the 2019 FATF plan", with no approval after it.
        """,
    ),
    _rule(
        "R304",
        "not-approved",
        W,
        """
        A chapter still waiting for required approvals (a warning while drafting; `--strict` and publishing fail on it).

        Why: the theme's rules say who must sign off (its lead and N further reviewers) before the paper goes out.
        Example: the lead approved, the second reviewer has not yet.
        """,
    ),
    _rule(
        "R305",
        "review-record-invalid",
        E,
        """
        A review record that cannot count: for a chapter the theme does not list, by someone not in people.yaml,
        by someone who was not a reviewer of the theme under the signing rules in force on its date, or by an author.

        Why: reviews.yaml is written by `nsp review`, which refuses these; a record like this was edited by hand.
        Example: `reviewer: umer-riaz` approving a chapter Umer Riaz wrote.
        """,
    ),
    _rule(
        "R306",
        "signing-rules-unconfirmed",
        W,
        """
        A theme whose signing rules (lead, reviewers, required_reviewers) the secretariat has not confirmed as they stand.

        Why: who must sign is a decision, not an edit: a researcher who makes themselves `lead:` in theme.yaml, or sets
        `required_reviewers: 0`, must not re-decide it. The last confirmed rules stay in force until the secretariat runs
        `nsp review confirm-rules THEME --by ID`; a theme with none confirmed can approve nothing.
        Example: theme.yaml says `lead: umer-riaz`; the rules confirmed on 2020-01-01 say `lead: tariq-parvez`.
        """,
    ),
    _rule(
        "R307",
        "signing-rules-record-invalid",
        E,
        """
        A record in THEME/signoff.yaml that cannot count: confirmed by someone who is not in the secretariat (or not
        in people.yaml), or dated before the rules already confirmed.

        Why: signoff.yaml is written by `nsp review confirm-rules`, which refuses these; a record like this was edited
        by hand, and counting it would let anyone re-decide who signs.
        Example: `confirmed_by: umer-riaz`, a researcher.
        """,
    ),
    _rule(
        "R308",
        "signing-rules-untraced",
        W,
        """
        A confirmation in THEME/signoff.yaml that is not committed yet, or whose commit was authored by someone other
        than the member of the secretariat it names.

        Why: who signs a theme's chapters is the secretariat's decision; a record anyone can append by hand, naming the
        secretary, would let them choose their own reviewers. Like review records (R310-R312), a confirmation counts
        only when the commit that added it is its author's; an uncommitted one counts for drafts only.
        Example: a researcher appends `confirmed_by: safdar-sial` to signoff.yaml and commits it as themselves.
        """,
    ),
    _rule(
        "R310",
        "review-not-committed",
        W,
        """
        A review record not yet committed to git: until it is, nobody can tell who added it.

        Why: a record counts because its reviewer committed it. An uncommitted one counts for drafts only; publishing
        waits until it is committed.
        Example: `nsp review approve … --by tariq-parvez` run, and alpha/reviews.yaml not yet committed.
        """,
    ),
    _rule(
        "R311",
        "review-committed-by-other",
        W,
        """
        A review record added (or changed) by a commit whose author is not the reviewer, and not marked as
        recorded on the reviewer's behalf. The record does not count.

        Why: anyone can type a reviewer's id and the current hash into reviews.yaml; only the reviewer's own commit
        shows that they signed. A sign-off received by letter or email is recorded with `--on-behalf`.
        Example: a researcher adds an approval "by" the theme lead, backdated, and commits it as themselves.
        """,
    ),
    _rule(
        "R312",
        "review-unsigned",
        W,
        """
        With `require_signed_reviews: true` in the paper's manifest, a review record whose commit's signature
        does not verify (`git verify-commit`). The record does not count.

        Why: an email address in a commit is only a claim; a signature made with the reviewer's key is proof.
        Example: the theme lead committed their approval without `git commit -S`, or with a key not in the keyring.
        """,
    ),
    _rule(
        "R313",
        "review-untraceable",
        W,
        """
        No review record can be traced to the commit that added it: git is missing, the paper is not in a git
        repository, or the clone is shallow. Reported once.

        Why: without history, a record typed in by anyone looks the same as a real sign-off. Drafts still build;
        publishing waits.
        Example: the manuscript copied out of its repository, or a CI checkout with `fetch-depth: 1`.
        """,
    ),
    _rule(
        "R314",
        "on-behalf-recorder-mismatch",
        W,
        """
        A record marked as received on the reviewer's behalf whose commit was not authored by the person the record
        says recorded it (`recorded_by:`), or that does not say who recorded it. The record does not count.

        Why: a sign-off by letter is only as trustworthy as who recorded it; the record names them, and its commit
        must be theirs, so that the name printed beside the approval is true.
        Example: `on_behalf: "phone call"`, `recorded_by: secretariat@…`, committed by a researcher.
        """,
    ),
    # P4xx: People
    _rule(
        "P401",
        "unknown-person",
        E,
        """
        An author, lead, researcher or reviewer id that is not in papers/people.yaml.

        Why: bylines, the contributors annex and sign-offs are built from people.yaml.
        Example: `authors: [umer-raiz]` when the id is `umer-riaz`.
        """,
    ),
    _rule(
        "P402",
        "author-not-assigned",
        W,
        """
        A chapter's author is neither a researcher nor the lead of the chapter's theme.

        Why: the board assigns researchers to themes; the lead must know who writes in their theme.
        Example: a cyber crime researcher listed as author of a human trafficking chapter.
        """,
    ),
    _rule(
        "P403",
        "theme-without-lead",
        E,
        """
        A theme with no `lead:`.

        Why: the lead reviews and signs off the theme; without one nobody can approve it.
        Example: a theme.yaml with researchers and chapters but no lead.
        """,
    ),
    _rule(
        "P404",
        "email-invalid",
        E,
        """
        A person's `email:` in papers/people.yaml that is not an email address.

        Why: a reviewer's email is how nsp knows their commits, and so their sign-offs; a typo makes every one of them
        look committed by someone else.
        Example: `email: tariq.parvez@nioc` or `email: Tariq Parvez`.
        """,
    ),
    _rule(
        "P405",
        "email-shared",
        E,
        """
        Two people in papers/people.yaml with the same `email:`.

        Why: a commit is matched to its reviewer by email; a shared address lets one person's commit pass as the other's
        sign-off.
        Example: a reviewer given the secretariat's office address that the theme lead also uses.
        """,
    ),
    _rule(
        "P406",
        "named-without-consent",
        E,
        """
        A page nsp publishes names someone who has not agreed to be named: a chapter's author, a
        theme's lead or reviewer, or a name in the text of a chapter, a paper's own page, a newsletter
        or an event's minutes, when papers/people.yaml says `public: false` (stakeholders are
        `public: false` unless they say `public: true`).

        Why: the site, the newsletter and the stakeholders annex name only people who agreed; the
        pages nsp makes from data leave the others out, but a name in someone's text can only be
        changed by its writer. Ignoring this rule is not possible.
        Example: "Zubair Hashmi of the FIA said…" in a newsletter, when he asked not to be named.
        """,
    ),
    _rule(
        "P407",
        "unknown-network-id",
        E,
        """
        An event in papers/events.yaml, or an organization in papers/people.yaml, names a person,
        organization or theme that does not exist.

        Why: the network page, the newsletter and the stakeholders annex are made from these ids; a
        misspelt one drops a participant from every list without a word.
        Example: `attendance: [unodoc]` when the organization's id is `unodc`.
        """,
    ),
    # A5xx: Assets and safety
    _rule(
        "A501",
        "image-missing",
        E,
        """
        An image file that does not exist.

        Why: the figure would be missing from the paper, and typst stops on it.
        Example: `![](figures/routes.png)` when the file is `figures/Routes.png`.
        """,
    ),
    _rule(
        "A502",
        "image-outside-repository",
        E,
        """
        An image path that is absolute or leads out of the repository.

        Why: a chapter must not make the build read files outside the manuscript
        (`/etc/passwd`, someone's home folder), and such a path breaks on every other machine.
        Example: `![](../../secret.png)` or `![](/home/umer/chart.png)`.
        """,
    ),
    _rule(
        "A503",
        "remote-resource",
        E,
        """
        An image given by URL (http, https, data…) instead of a file in the repository.

        Why: the build must not reach the network: the picture could change or vanish, and
        fetching it tells a third party who is building the paper.
        Example: `![](https://example.org/map.png)`; download it into figures/ instead.
        """,
    ),
    _rule(
        "A504",
        "not-an-image",
        E,
        """
        A file used as an image that is not a PNG, JPEG, GIF or SVG, judged by its bytes.

        Why: the extension can lie; typst or Word would fail on it, or worse, read it.
        Example: `figures/chart.png` that is really a Word document.
        """,
    ),
    _rule(
        "A505",
        "raw-output",
        E,
        """
        Raw typst, LaTeX, HTML or OpenXML in a chapter: a `{=typst}` block or inline, or HTML tags.
        (A manifest's `allow_raw:` admits named formats on the paper's own pages, never in chapters.)

        Why: raw code goes straight into the typesetter or the Word file, past every check;
        `#read("/etc/passwd")` in typst would print a file from the build machine.
        Example: a ```` ```{=typst} ```` block, or `<span style="…">` pasted from a web page.
        """,
    ),
    _rule(
        "A506",
        "unsafe-attribute",
        E,
        """
        An attribute other than width, height, lang (a language tag such as `ur`) or dir (`rtl`, `ltr`) on
        an element, e.g. `{typst:text:fill="red"}` or `{lang="ur); x"}`.

        Why: pandoc's typst writer copies `typst:` attributes (and a Div's lang) into the typesetter as
        code, and the web edition would copy others (`onclick`, `style`) into the page; both bypass every check.
        Example: `[Warning]{typst:text:fill="red"}`; use plain emphasis instead.
        """,
    ),
    _rule(
        "A507",
        "unsafe-link",
        E,
        """
        A link whose scheme is not http, https or mailto (javascript:, file:, data: …).

        Why: such a link runs code or opens a file on the reader's machine when clicked.
        Example: `[click](javascript:alert(1))` or `[report](file:///C:/secret.docx)`.
        """,
    ),
    _rule(
        "A508",
        "image-without-alt",
        W,
        """
        An image with no description: `![](figures/map.png)`.

        Why: a reader who cannot see the figure hears nothing of it; the released PDF is tagged
        for accessibility (PDF/UA-1), which requires alt text on every image.
        Example: write `![Map of the western routes to Iran and Turkey.](figures/map.png)`.
        """,
    ),
    _rule(
        "A509",
        "bibliography-command",
        E,
        """
        A LaTeX command in a .bib file that would bring a picture, file or link into the paper,
        or that pandoc would pass on as code; a `url` that is not http, https or mailto.

        Why: pandoc reads .bib fields as LaTeX, so `\\includegraphics{/etc/…}` in a title
        would print a file of the build machine, and `\\href{javascript:…}` would be a live link
        in every output. Accents (`\\'e`), escapes (`\\&`) and type styles (`\\emph`) are fine.
        (The build removes all of these even from a forced draft.)
        Example: `title = {Report \\includegraphics{/home/x/id.png}}` or `url = {javascript:alert(1)}`.
        """,
    ),
    _rule(
        "A510",
        "bidi-control",
        E,
        """
        A right-to-left override or another bidirectional control character (U+202A–U+202E,
        U+2066–U+2069) in a chapter, its front matter, a YAML file or a .bib.

        Why: they reorder what the reader sees without changing the text that was reviewed:
        `\u202eevil` is shown as "live". Compilers report them in source code for the same reason.
        The direction marks U+200E and U+200F, which Urdu text needs, are allowed.
        Example: a sentence pasted from a chat message that carried an invisible U+202E.
        """,
    ),
    _rule(
        "A511",
        "unsafe-id",
        E,
        """
        A theme listed in a paper's manifest whose folder name is not an id: lower-case letters, digits, '-' and '_' only.

        Why: the name becomes a typst label, an HTML id and an output's file name; a folder named
        `x> #read("nsp.typ") <y` would run as typst code. The theme is left out.
        Example: `themes: ["Cyber Crime"]`; rename the folder `cyber_crime`.
        """,
    ),
    _rule(
        "A515",
        "image-too-large",
        E,
        """
        An image whose header claims more pixels than `limits: image_megapixels` (50 million).

        Why: typst decodes the whole bitmap, 4 bytes a pixel: a 74-byte PNG claiming 100000×100000
        pixels, or a small decompression bomb, asks for 40 GB. The size is read from the file's header.
        Example: a 30000×20000 scan; scale it down to the size it is printed at (3000 pixels wide is plenty).
        """,
    ),
    _rule(
        "A516",
        "undrawable-character",
        E,
        """
        A character that no font nsp ships can draw: neither typst's own fonts (Libertinus Serif,
        New Computer Modern, DejaVu Sans Mono) nor those in templates/fonts (Noto Nastaliq Urdu,
        Noto Naskh Arabic).

        Why: typst reads no system fonts (every machine makes the same PDF), and it prints a
        character it has no glyph for as an empty box, without a word; the build refuses it too.
        Example: `中` or an emoji such as `😀`; write it differently, or add an openly licensed font
        that has it to templates/fonts.
        """,
    ),
    # X6xx: Cross-references
    _rule(
        "X601",
        "broken-link",
        E,
        """
        A link to an anchor or chapter of the paper that does not exist.

        Why: the reader clicks and lands nowhere; in print the reference points to nothing.
        Example: `[see the table](#tbl-action)` when the table's id is `tbl-actions`.
        """,
    ),
    _rule(
        "X602",
        "duplicate-anchor",
        E,
        """
        The same anchor id given twice in one document.

        Why: a link to it can reach only one of them; the other is unreachable.
        Example: two tables both captioned with `{#tbl-actions}`.
        """,
    ),
    _rule(
        "X603",
        "shared-anchor-prefix",
        E,
        """
        Two files of the paper whose names give the same anchor prefix (and preview file name).

        Why: every id in a chapter is prefixed with a form of its file name; two chapters
        with the same prefix give duplicate labels (typst refuses the build) and their
        previews overwrite one another. Names that differ only in letters outside ASCII
        are told apart by a hash, so this is left for names like `a b.md` and `a-b.md`.
        Example: `03 context.md` and `03-context.md` in one theme.
        """,
    ),
    _rule(
        "X604",
        "broken-cross-reference",
        E,
        """
        A cross-reference (`@fig-…`, `@tbl-…`, `@sec-…`, `@ch-…`) to nothing in the paper.

        Why: nsp numbers figures, tables, sections and chapters in each paper and prints
        the reference as "Figure 3"; a reference to no such id has no number to print.
        Example: `@fig-crypto` when the figure is `{#fig-crypto-flows}`.
        """,
    ),
)


def _by_code(rules: tuple[Rule, ...]) -> Mapping[str, Rule]:
    out: dict[str, Rule] = {}
    for r in rules:
        if r.code in out:
            raise RuntimeError(f"rule {r.code} is in the catalogue twice")
        out[r.code] = r
    return MappingProxyType(out)


RULES = _by_code(CATALOGUE)


def finding(path: str, line: int, code: str, message: str) -> Diagnostic:
    """A diagnostic of rule `code`, with the severity the catalogue gives it (a KeyError for an unknown code)."""
    return RULES[code].at(path, line, message)


def matches(code: str, patterns: tuple[str, ...] | list[str]) -> bool:
    """Codes are selected by prefix, as in linters: 'S1' selects S101…S199, 'C201' just that rule."""
    return any(code.startswith(p.strip().upper()) for p in patterns if p.strip())


def catalogue_markdown() -> str:
    lines = ["# nsp rules", "", "Generated by `nsp rules --format markdown`; do not edit by hand.", ""]
    for prefix, family in FAMILIES.items():
        rules = [r for r in CATALOGUE if r.code.startswith(prefix)]
        if not rules:
            continue
        lines += [f"## {prefix}xx — {family}", ""]
        for r in rules:
            lines += [f"### {r.code} `{r.name}` ({r.severity.value})", "", r.doc, ""]
    return "\n".join(lines)


def catalogue_text() -> str:
    return "\n".join(f"{r.code}  {r.severity.value:<7}  {r.name}: {r.doc.splitlines()[0]}" for r in CATALOGUE)
