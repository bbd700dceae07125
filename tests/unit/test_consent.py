"""Who may be named: the forms a withheld name takes in text (nsp.network.mentions) and who is withheld."""

from __future__ import annotations

import pytest

from nsp.model import Person
from nsp.network import mentions

ZUBAIR = Person("zubair-hashmi", "Zubair Hashmi", "Official", "FIA", "stakeholder", 1, consent=False)
AYESHA = Person("ayesha", "Ayesha Khan", "Programme officer", "UNODC", "stakeholder", 2, consent=True)
UMER = Person("umer-riaz", "Umer Riaz", "Researcher", "PIPS", "researcher", 3)


@pytest.mark.parametrize("text", [
    "Zubair Hashmi said so.", "ZUBAIR HASHMI", "zubair\n   hashmi", "We thank Hashmi, Zubair.", "Z. Hashmi",
    "Z Hashmi", "Zuba\u00adir Hashmi", "Zub\u0430ir Hashmi", "Zubair\u200bHashmi", "Zubair-Hashmi",
    "\uff3a\uff55\uff42\uff41\uff49\uff52 Hashmi", "[Zubair Hashmi](https://example.org)",
])
def test_a_withheld_name_is_found_in_every_form_it_reads_as(text: str) -> None:
    assert [(line, p.id) for line, p in mentions(text, [ZUBAIR, AYESHA])] == [(1, "zubair-hashmi")]


@pytest.mark.parametrize("text", ["Hashmi alone", "Zubairs Hashmi", "Zubair Hashmis", "Ayesha Khan spoke"])
def test_other_words_and_people_who_agreed_are_not(text: str) -> None:
    assert mentions(text, [ZUBAIR, AYESHA]) == []


def test_the_line_is_where_the_name_starts() -> None:
    assert [(line, p.id) for line, p in mentions("One.\nTwo, with Zubair\nHashmi.\n", [ZUBAIR])] == [
        (2, "zubair-hashmi")]


def test_roles_name_people_unless_they_said_no() -> None:
    assert UMER.public and not ZUBAIR.public and AYESHA.public
    assert not Person("x", "X", "", "", "stakeholder", 1).public  # a stakeholder must say public: true
    assert not Person("y", "Y", "", "", "researcher", 1, consent=False).public
