"""Generate a synthetic paper: N chapters of ~1,600 words with citations, footnotes and tables.

The text is deterministic (seeded), so runs on different days are comparable.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORDS = [
    "state",
    "agency",
    "border",
    "network",
    "finance",
    "capacity",
    "police",
    "court",
    "evidence",
    "province",
    "trafficking",
    "narcotics",
    "cyber",
    "crime",
    "coordination",
    "intelligence",
    "investigation",
    "law",
    "reform",
    "training",
    "data",
    "customs",
    "port",
    "container",
    "wallet",
    "transfer",
    "charity",
    "cash",
    "smuggling",
    "victim",
    "witness",
    "prosecution",
]
THEMES = ["theme_a", "theme_b", "theme_c", "theme_d"]
SECTIONS = ["Context", "Gaps", "Recommendations", "Action plan"]


def sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, keys: list[str], note_no: list[int]) -> str:
    parts = []
    for _ in range(rng.randint(4, 6)):
        s = sentence(rng, rng.randint(12, 20))
        if rng.random() < 0.35:
            s = s[:-1] + f" [@{rng.choice(keys)}]."
        if rng.random() < 0.08:
            note_no[0] += 1
            s += f"[^n{note_no[0]}]"
        parts.append(s)
    return " ".join(parts)


def chapter(rng: random.Random, n: int, keys: list[str]) -> str:
    notes = [0]
    out = [
        f'---\ntitle: "Synthetic Chapter {n}"\nauthors: [res-{n % 7}]\nsummary: "Chapter {n} of the benchmark."\n---\n'
    ]
    for title in SECTIONS:
        out.append(f"## {title}\n")
        for _ in range(4):
            out.append(paragraph(rng, keys, notes) + "\n")
        if title == "Action plan":
            out.append("| Action | Lead | By |\n|---|---|---|")
            for i in range(6):
                out.append(f"| {sentence(rng, 6)} | {rng.choice(WORDS).title()} agency | 202{i} |")
            out.append(f"\n: Actions of chapter {n} {{#tbl-actions}}\n")
    for i in range(1, notes[0] + 1):
        out.append(f"[^n{i}]: {sentence(rng, 15)}\n")
    return "\n".join(out)


def make_paper(root: Path, chapters: int, seed: int = 7) -> Path:
    """Write a paper of `chapters` chapters under `root`; returns root."""
    rng = random.Random(seed)
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(REPO / "templates", root / "templates")
    keys = [f"src{i:03d}" for i in range(60)]
    (root / "papers").mkdir(parents=True)
    (root / "papers" / "references.bib").write_text("\n".join(
        f"@book{{{k},\n  author = {{Author{i}, Some}},\n  title = {{Title of work {i}}},\n"
        f"  publisher = {{Press}},\n  year = {{{2000 + i % 20}}},\n}}\n" for i, k in enumerate(keys)))
    people = ["lead-a:\n  name: Lead A\n  group: lead\n", "rev-a:\n  name: Reviewer A\n  group: reviewer\n"]
    people += [f"res-{i}:\n  name: Researcher {i}\n  group: researcher\n" for i in range(7)]
    (root / "papers" / "people.yaml").write_text("".join(people))
    (root / "papers" / "bench.yaml").write_text(
        "title: Benchmark Paper\nsubtitle: Synthetic\npublisher: Bench\ndate: 2020-01-01\n"
        f"themes: [{', '.join(THEMES)}]\nbibliography: [references.bib]\ncsl: templates/csl/chicago-author-date.csl\n")
    per_theme = [chapters // len(THEMES) + (1 if i < chapters % len(THEMES) else 0) for i in range(len(THEMES))]
    n = 0
    for theme, count in zip(THEMES, per_theme):
        (root / theme).mkdir()
        names = []
        for _ in range(count):
            n += 1
            name = f"{n:03d}-chapter.md"
            names.append(name)
            (root / theme / name).write_text(chapter(rng, n, keys))
        (root / theme / "theme.yaml").write_text(
            f"title: {theme.replace('_', ' ').title()}\nlead: lead-a\nresearchers: "
            f"[{', '.join(f'res-{i}' for i in range(7))}]\n"
            f"reviewers: [rev-a]\nrequired_sections: [{', '.join(SECTIONS)}]\nchapters: [{', '.join(names)}]\n"
        )
    return root
