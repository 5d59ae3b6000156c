"""The figures of the programme, shared by every layer: which metrics there are, and a
unit-month's totals in exact integer units with the arithmetic on them.

Nothing here touches the database. Amounts move through the rollups as integers (fen for
yuan, micro-tce for energy) so that sums are exact on every database engine; they become
Decimals only at the edges. The apps below metrics (programme, enterprises) compute what
their writes change in these terms; `twintrack.metrics.rules` keeps the rates and schedule.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable, Mapping

from twintrack.display.labels import METRIC_LABELS

FEN_PER_YUAN = 100
MICRO_PER_TCE = 1_000_000
GRAMS_PER_TONNE = 1_000_000


@dataclass(frozen=True)
class Metric:
    key: str
    label_zh: str
    label_en: str
    unit_zh: str
    unit_en: str


def _metric(key: str) -> Metric:
    """The metric with its names and unit as twintrack.display.labels writes them (one table)."""
    label = METRIC_LABELS[key]
    return Metric(key, label.zh, label.en, label.unit_zh, label.unit_en)


METRICS: tuple[Metric, ...] = tuple(_metric(key) for key in (
    "projects", "investment_yuan", "energy_saved_tce", "co2_reduced_t"))
METRIC_KEYS = tuple(m.key for m in METRICS)
METRIC_BY_KEY = {m.key: m for m in METRICS}


def metric_from_label(text: str) -> str | None:
    """The metric key for a key or Chinese label, or None."""
    text = text.strip()
    for m in METRICS:
        if text in (m.key, m.label_zh):
            return m.key
    return None


# --- integer units -------------------------------------------------------------

def yuan_to_fen(value: Decimal | None) -> int:
    return 0 if value is None else int((Decimal(value) * FEN_PER_YUAN).to_integral_value())


def tce_to_micro(value: Decimal | None) -> int:
    return 0 if value is None else int((Decimal(value) * MICRO_PER_TCE).to_integral_value())


def fen_to_yuan(fen: int) -> Decimal:
    return Decimal(fen) / FEN_PER_YUAN


def micro_to_tce(micro: int) -> Decimal:
    return Decimal(micro) / MICRO_PER_TCE


@dataclass(frozen=True)
class Totals:
    """One unit-month's figures in integer units.

    energy_micro is all energy saved (from progress rows and from carrier lines);
    lines_micro is the part that came from carrier lines; co2_g is grams of CO2 reduced.
    """

    projects: int = 0
    investment_fen: int = 0
    energy_micro: int = 0
    lines_micro: int = 0
    co2_g: int = 0

    def _values(self) -> tuple[int, ...]:
        return (self.projects, self.investment_fen, self.energy_micro, self.lines_micro, self.co2_g)

    def __add__(self, other: "Totals") -> "Totals":
        return Totals(*(a + b for a, b in zip(self._values(), other._values())))

    def __sub__(self, other: "Totals") -> "Totals":
        return Totals(*(a - b for a, b in zip(self._values(), other._values())))

    def __bool__(self) -> bool:
        return any(self._values())

    def actuals(self) -> dict[str, Decimal | int]:
        return {
            "projects": self.projects,
            "investment_yuan": fen_to_yuan(self.investment_fen),
            "energy_saved_tce": micro_to_tce(self.energy_micro),
            "co2_reduced_t": Decimal(self.co2_g) / GRAMS_PER_TONNE,
        }

    def carrier_lines_share(self) -> float | None:
        """The share of energy saved that came from carrier lines (None when nothing was saved)."""
        return self.lines_micro / self.energy_micro if self.energy_micro else None


ROLLUP_FIELDS = ("projects", "investment_fen", "energy_micro", "lines_micro", "co2_g")


RollupKey = tuple[int, int, int]  # (org_id, year, month)


def merge(into: dict, key, value: Totals) -> None:
    into[key] = into.get(key, Totals()) + value


def expand_to_ancestors(deltas: Mapping[RollupKey, Totals],
                        ancestors: Mapping[int, Iterable[int]]) -> dict[RollupKey, Totals]:
    """A fact recorded at a unit counts for that unit and every unit above it.

    `ancestors[org_id]` lists the ids from the root down to org_id inclusive.
    Zero deltas are dropped so that an unchanged re-import writes nothing.
    """
    expanded: dict[RollupKey, Totals] = {}
    for (org_id, year, month), delta in deltas.items():
        if not delta:
            continue
        for ancestor_id in ancestors[org_id]:
            merge(expanded, (ancestor_id, year, month), delta)
    return {key: value for key, value in expanded.items() if value}


def diff_contributions(before: Mapping[RollupKey, Totals], after: Mapping[RollupKey, Totals]) -> dict:
    """What must be added to the rollups to go from `before` to `after`."""
    keys = set(before) | set(after)
    return {k: after.get(k, Totals()) - before.get(k, Totals()) for k in keys}
