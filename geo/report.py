"""The validation report every reader returns: what it read, what it rejected and why, what it warns about.

Rows in = accepted + rejected, always: a row is never dropped without a Rejection that names its file,
row, column, value and reason.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Rejection:
    """One unusable input row. `row` is the 1-based row or feature number in the source file."""

    file: str
    row: int
    column: str
    value: str
    reason: str


@dataclass
class Report:
    """What one reader did with one source file."""

    file: str
    rows_in: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def accepted(self) -> int:
        return self.rows_in - len(self.rejected)

    def reject(self, row: int, column: str, value: object, reason: str) -> None:
        self.rejected.append(Rejection(self.file, int(row), column, "" if value is None else str(value), reason))

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def summary(self) -> dict:
        """The manifest entry for this file (rejected rows go to rejected.csv, not here)."""
        return {
            "file": self.file,
            "rows_in": self.rows_in,
            "accepted": self.accepted,
            "rejected": len(self.rejected),
            "warnings": list(self.warnings),
        }

    def rejected_records(self) -> list[dict]:
        return [asdict(r) for r in self.rejected]
