"""rich's live display for nsp.infra.progress, in a module of its own: only a run on a terminal imports rich."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TextIO

from rich.console import Console
from rich.progress import Progress as RichProgress
from rich.progress import ProgressColumn, SpinnerColumn, Task, TextColumn
from rich.text import Text

from nsp.infra.progress import Progress, Tick, count_text


class LiveProgress(Progress):
    """A line per stage, its count moving and its time running; the lines stay as the run's summary."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__(stream)
        self._rich: RichProgress | None = None

    def _display(self) -> RichProgress:
        if self._rich is None:  # started with the first stage: a build that is up to date shows nothing
            # stdout is left alone: the "wrote" lines, and whatever a script reads from nsp, stay where they were.
            console = Console(file=self.out, force_terminal=True, highlight=False)  # type: ignore[arg-type]
            self._rich = RichProgress(
                _State(), TextColumn("{task.description}"), _Count(), _Seconds(),
                console=console, transient=False, redirect_stdout=False, refresh_per_second=8)
            self._rich.start()
        return self._rich

    @contextlib.contextmanager
    def stage(self, label: str, total: int | None = None, unit: str = "") -> Iterator[Tick]:
        display = self._display()
        task = display.add_task(label, total=total, unit=unit, state="")

        def tick(n: int) -> None:
            display.advance(task, n)

        state = "failed"
        try:
            yield tick
            state = "done"
        finally:
            display.stop_task(task)  # freezes its time
            display.update(task, state=state)

    def note(self, text: str) -> None:
        if self._rich is None:
            super().note(text)
        else:  # through rich, which prints it above the lines it redraws (a plain write would be drawn over)
            with contextlib.suppress(OSError, ValueError):
                self._rich.console.print(text, markup=False, highlight=False, soft_wrap=True)

    def close(self) -> None:
        if self._rich is not None:
            with contextlib.suppress(OSError, ValueError):
                self._rich.stop()
            self._rich = None


class _State(ProgressColumn):
    """A spinner while the stage runs (its count may be full while it still checks), then ✓, or ✗ if it failed."""

    def __init__(self) -> None:
        super().__init__()
        self.spinner = SpinnerColumn()

    def render(self, task: Task) -> Text:
        state = task.fields.get("state")
        if state == "done":
            return Text("✓", style="green")
        if state == "failed":
            return Text("✗", style="red")
        # Not SpinnerColumn.render: it shows a blank once the count is full, and a stage may go on after that.
        frame = self.spinner.spinner.render(task.get_time())
        return frame if isinstance(frame, Text) else Text("…")


class _Count(ProgressColumn):
    """'12/33 files'; nothing for a stage without a count."""

    def render(self, task: Task) -> Text:
        total = int(task.total) if task.total else None
        return Text(count_text(int(task.completed), total, str(task.fields.get("unit", "")), live=True).strip())


class _Seconds(ProgressColumn):
    """'1.2 s', as the plain lines say it (rich's own column says 0:00:01)."""

    def render(self, task: Task) -> Text:
        return Text(f"{task.elapsed or 0.0:.1f} s", style="dim")
