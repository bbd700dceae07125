"""Who may be named in public: the one place the site, the newsletter and public annexes ask.

A person is named only with their consent (`public:` in papers/people.yaml; see Person.public).
Pages made from data take their names from here, so nobody who has not agreed can reach them
through an event's attendance or an organization's members. Text people wrote (a newsletter, a
paper's own page) cannot be filtered without changing what they said: P406 finds the names in it
instead, and the page is refused until the text changes or the person agrees.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from nsp.model import Event, Organization, Person, Project


@dataclass(frozen=True)
class Attendance:
    """Who took part in an event, as a public page may show it."""

    people: tuple[Person, ...]  # those who agreed to be named, by name
    organizations: tuple[Organization, ...]
    unnamed: int  # people who took part but are not named


def public_people(project: Project) -> list[Person]:
    return sorted((p for p in project.people.values() if p.public), key=lambda p: p.name)


def named(project: Project, pid: str) -> str:
    """The person's name when they agreed to be named, else "" (an id unknown to people.yaml is no name)."""
    person = project.people.get(pid)
    return person.name if person is not None and person.public else ""


def attendance(project: Project, event: Event) -> Attendance:
    people = [project.people[i] for i in event.attendance if i in project.people]
    orgs = tuple(project.organizations[i] for i in event.attendance if i in project.organizations)
    shown = tuple(sorted((p for p in people if p.public), key=lambda p: p.name))
    return Attendance(shown, tuple(sorted(orgs, key=lambda o: o.name)), len(people) - len(shown))


def members(project: Project, org: Organization) -> list[Person]:
    """An organization's people who agreed to be named."""
    return sorted((project.people[i] for i in org.people if i in project.people and project.people[i].public),
                  key=lambda p: p.name)


def events_of(project: Project, pid: str) -> list[Event]:
    """The events a person or organization took part in (or, for a person, chaired)."""
    return [e for e in project.events if pid in e.attendance or e.chair == pid]


def themes_of(project: Project, pid: str) -> list[str]:
    """Theme ids a person works on (lead, researcher, reviewer) or that their events served."""
    found = [t.id for t in project.themes if pid == t.lead or pid in t.researchers or pid in t.reviewers]
    found += [t for e in events_of(project, pid) for t in e.themes]
    return list(dict.fromkeys(t for t in found if any(th.id == t for th in project.themes)))


def withheld(people: Iterable[Person]) -> list[Person]:
    """Those a public page may not name."""
    return [p for p in people if not p.public]


# What a name may hide behind and still read as the name: invisible characters inside it, hyphens or dots
# between its words, letters from other scripts that look the same (Cyrillic "а" for "a").
_INVISIBLE = "\u00ad\u200b-\u200f\u2060\ufeff"
_BETWEEN = f"[\\s\\-\u2010-\u2015_.\u00b7{_INVISIBLE}]+"
_LOOKALIKES = {"a": "аα", "b": "ьв", "c": "сϲ", "e": "еε", "h": "һн", "i": "іι", "j": "ј", "k": "кκ", "m": "м",
               "n": "п", "o": "оο", "p": "рρ", "s": "ѕ", "t": "т", "u": "υ", "x": "хχ", "y": "уγ"}


def _word(word: str) -> str:
    """A word as a pattern: each letter in either case or a look-alike, invisible characters allowed between."""
    letters = [f"[{re.escape(c.lower() + c.upper() + _LOOKALIKES.get(c.lower(), ''))}]" for c in word]
    return f"[{_INVISIBLE}]*".join(letters)


@functools.lru_cache(maxsize=1024)
def _name_pattern(name: str) -> re.Pattern[str]:
    """The name as written ("Zubair Hashmi"), surname first ("Hashmi, Zubair") and with initials
    ("Z. Hashmi")."""
    words = name.split()
    forms = [_BETWEEN.join(map(_word, words))]
    if len(words) > 1:
        given, surname = words[:-1], words[-1]
        forms.append(_word(surname) + r"\s*,\s*" + _BETWEEN.join(map(_word, given)))
        forms.append(_BETWEEN.join(_word(g[0]) for g in given) + r"\.?" + _BETWEEN + _word(surname))
    return re.compile(r"(?<!\w)(?:" + "|".join(forms) + r")(?!\w)")


def mentions(text: str, people: Iterable[Person]) -> list[tuple[int, Person]]:
    """(line within `text`, person) for each place naming someone who has not agreed to be named.

    A name matches whatever the spacing, line breaks, case, invisible characters or look-alike letters
    inside it, written surname first or with initials; the line is the one the name starts on. The text is
    compared in NFKC form (full-width letters as letters), which keeps its lines where they are.
    """
    text = unicodedata.normalize("NFKC", text)
    found = []
    for person in withheld(people):
        if person.name.split():
            found += [(text.count("\n", 0, m.start()) + 1, person) for m in _name_pattern(person.name).finditer(text)]
    return sorted(found, key=lambda f: (f[0], f[1].id))
