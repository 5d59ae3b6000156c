"""What an import reports when it refuses a file."""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_PROBLEMS = 1000


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one cell: `row N, column KEY: reason` (N as Excel shows it)."""

    row: int
    position: int  # the column's place in the file, to list a row's problems left to right
    column: str
    reason: str

    def __str__(self) -> str:
        return _("row %(row)d, column %(column)s: %(reason)s") % {
            "row": self.row, "column": self.column, "reason": self.reason,
        }


class ImportRejected(Exception):
    """The file was refused and nothing was written. `messages` are whole translated lines."""

    def __init__(self, messages: list[str], problems: list[Problem] | None = None, total: int | None = None):
        self.messages = list(messages)
        self.problems = list(problems or [])
        self.total = len(self.messages) if total is None else total
        self.notes: list[str] = []  # how the file was read (its sheet, its header row), shown with the problems
        super().__init__("\n".join(self.messages))

    @classmethod
    def from_problems(cls, problems: list[Problem], total: int) -> "ImportRejected":
        messages = [str(p) for p in problems]
        if total > len(problems):
            messages.append(_("... and %(more)d more problems (only the first %(limit)d are listed)")
                            % {"more": total - len(problems), "limit": len(problems)})
        return cls(messages, problems, total)


class FileRejected(ImportRejected):
    """The file as a whole cannot be imported (missing, wrong type, unreadable, empty)."""

    def __init__(self, message: str):
        super().__init__([message])
        self.message = message


class Problems:
    """Collects problems, keeping the first MAX_PROBLEMS by row and column but counting all."""

    def __init__(self, limit: int = MAX_PROBLEMS):
        self.limit = limit
        self.total = 0
        self._items: list[Problem] = []
        self.silenced: set[tuple[int, str]] = set()  # cells already explained: no second problem

    def silence(self, row: int, column: str) -> None:
        self.silenced.add((row, column))

    def add(self, row: int, column: str, reason: str, position: int = 0) -> None:
        if self.silenced and (row, column) in self.silenced:
            return
        self.total += 1
        self._items.append(Problem(row, position, column, reason))
        if len(self._items) > 2 * self.limit:
            self._items = sorted(self._items)[:self.limit]

    def __bool__(self) -> bool:
        return self.total > 0

    def listed(self) -> list[Problem]:
        return sorted(self._items)[:self.limit]

    def rejection(self) -> ImportRejected:
        return ImportRejected.from_problems(self.listed(), self.total)
