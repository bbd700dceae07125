"""Deadlines of actions: what they allow, and how a reader reads them."""

from __future__ import annotations

import datetime as dt

import pytest

from nsp.actions import due_date, shown_deadline


@pytest.mark.parametrize(("written", "due", "shown"), [
    ("2021", dt.date(2021, 12, 31), "2021"),
    ("2020-12", dt.date(2020, 12, 31), "December 2020"),
    ("2020-2", dt.date(2020, 2, 29), "February 2020"),  # a leap year's last day
    ("2021-06-30", dt.date(2021, 6, 30), "30 June 2021"),
    ("2021-13", None, "2021-13"),  # no such month: shown as written, and S119 says it is no date
    ("soon", None, "soon"),
])
def test_deadlines(written: str, due: dt.date | None, shown: str) -> None:
    assert (due_date(written), shown_deadline(written)) == (due, shown)
