"""The checks run on the loaded model: an explicit table of rule code and the function that finds it.

One module per rule family, reading each document's `Index` (never the full AST, so a check with
nothing changed parses nothing). A rule's name, severity and documentation are in the catalogue
(nsp/rules.py); a rule the loaders report has no entry here.
"""

from __future__ import annotations

from nsp.check import (
    actions,
    assets,
    citations,
    files,
    glossary,
    limits,
    network,
    people,
    references,
    review,
    script,
    signers,
    structure,
    xref,
)
from nsp.check.context import CheckFn, Context
from nsp.diagnostics import Diagnostic
from nsp.infra.pandoc import Index
from nsp.model import Project
from nsp.rules import RULES

# In code order, the order they run in.
CHECKS: tuple[tuple[str, CheckFn], ...] = (
    ("A501", assets.images_exist),
    ("A502", assets.images_inside),
    ("A503", assets.no_remote_images),
    ("A504", assets.images_are_images),
    ("A505", assets.no_raw_output),
    ("A506", assets.no_passthrough_attributes),
    ("A507", assets.no_unsafe_links),
    ("A508", assets.images_have_alt_text),
    ("A509", assets.plain_bibliographies),
    ("A510", assets.no_bidi_controls),
    ("A515", limits.image_pixels),
    ("A516", script.undrawable_characters),
    ("C201", citations.unknown_citations),
    ("C202", citations.unused_entries),
    ("C204", references.incomplete_entries),
    ("C206", citations.foreign_legislation),
    ("C207", citations.corporate_names),
    ("C208", references.same_works),
    ("E012", files.no_second_front_matter),
    ("E013", review.ignores_that_silence_the_gate),
    ("E016", limits.tool_limits),
    ("P401", people.known_people),
    ("P402", people.authors_assigned),
    ("P403", people.themes_have_leads),
    ("P404", signers.valid_emails),
    ("P405", signers.unique_emails),
    ("P406", network.named_without_consent),
    ("P407", network.network_ids),
    ("R301", review.chapters_have_reviewers),
    ("R302", review.stale_approvals),
    ("R303", review.open_change_requests),
    ("R304", review.not_yet_approved),
    ("R305", review.valid_records),
    ("R306", review.signing_rules_confirmed),
    ("R307", review.valid_signing_rules),
    ("R308", review.signing_rules_committed_by_the_secretariat),
    ("R310", signers.pending_records),
    ("R311", signers.records_by_their_reviewer),
    ("R312", signers.signed_records),
    ("R313", signers.traceable_records),
    ("R314", signers.records_by_their_recorder),
    ("S102", structure.orphan_chapters),
    ("S104", structure.required_sections_present),
    ("S105", structure.required_sections_filled),
    ("S106", structure.todo_markers),
    ("S107", structure.word_limits),
    ("S108", structure.heading_levels),
    ("S109", structure.unique_titles),
    ("S110", structure.closed_divs),
    ("S111", limits.nesting),
    ("S112", limits.brackets),
    ("S113", limits.paragraphs),
    ("S114", limits.citations),
    ("S115", glossary.unknown_abbreviations),
    ("S116", glossary.unused_terms),
    ("S117", actions.malformed_actions),
    ("S118", actions.unknown_agencies),
    ("S119", actions.deadlines_beyond_the_horizon),
    ("S120", network.due_dates_of_listed_chapters),
    ("S121", script.mostly_latin),
    ("X601", xref.internal_links),
    ("X602", xref.unique_anchors),
    ("X603", xref.unique_anchor_prefixes),
    ("X604", xref.cross_references),
)


def run_checks(project: Project, indexes: dict[str, Index], *, whole_paper: bool = True) -> list[Diagnostic]:
    ctx = Context(project, indexes, whole_paper=whole_paper)
    return [RULES[code].at(path, line, message) for code, check in CHECKS for path, line, message in check(ctx)]
