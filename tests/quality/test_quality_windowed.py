"""`findings_of_table` (every month of a file in one windowed pass) finds exactly what
`findings_of_rows` finds month by month: on histories with gaps, runs, spikes, plans exceeded
and completed projects, with the rules' thresholds changed too."""
import random
from datetime import date
from decimal import Decimal

import pytest

pytestmark = pytest.mark.django_db

TABLE = "tt_windowed_rows"


@pytest.fixture
def histories(make_project):
    """40 projects with random monthly investment over 2022-2023 (months left out at random),
    drawn from a few amounts so that runs repeat, with a spike now and then."""
    from twintrack.programme.services import ProgressValues, save_progress

    rng = random.Random(7)
    rows = []
    for n in range(40):
        status = "completed" if n % 5 == 0 else "in_progress"
        project = make_project(f"W{n:03d}", org="330402" if n % 2 else "330482", status=status,
                               planned=rng.choice([None, 50, 200, 1000]),
                               end=date(2022, rng.randint(1, 12), 28) if status == "completed" else None)
        for year in (2022, 2023):
            for month in range(1, 13):
                if rng.random() < 0.2:
                    continue  # a gap breaks runs and leaves the 12 months before with fewer rows
                amount = rng.choice([0, 5, 5, 8, 10, 12]) * (30 if rng.random() < 0.08 else 1)
                rows.append(ProgressValues(project.id, project.enterprise.org_id, year, month, Decimal(amount), None, ""))
    save_progress(rows)


def listed(months):
    """A table of the stored rows of these (year, month)s, as an import lists what it wrote."""
    from django.db import connection

    from twintrack.programme.models import Progress

    rows = [row for row in Progress.objects.values_list("project_id", "year", "month") if row[1:] in months]
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {TABLE} (project_id BIGINT, year INTEGER, month INTEGER)")
        cursor.executemany(f"INSERT INTO {TABLE} VALUES (%s, %s, %s)", rows)
    return months


def key(finding):
    return (finding.year, finding.month, finding.rule, finding.project, finding.value, finding.threshold)


@pytest.mark.parametrize("thresholds", [{}, {"spike": Decimal("2"), "repeated": Decimal("2"),
                                             "over_plan": Decimal("0.5"), "after_completion": Decimal("1")}],
                         ids=["defaults", "tight"])
def test_one_pass_over_many_months_finds_what_each_month_finds(histories, thresholds):
    from twintrack.quality.evaluate import findings_of_rows, findings_of_table, rules_in_force

    rules = rules_in_force() | thresholds
    months = listed({(2023, month) for month in range(1, 13)} | {(2022, 11), (2022, 12)})
    by_month = [key(f) for year, month in sorted(months) for f in findings_of_rows(TABLE, year, month, rules)]
    assert [key(f) for f in findings_of_table(TABLE, rules)] == by_month
    assert {f[2] for f in by_month} == {"over_plan", "spike", "repeated", "after_completion"}


def test_candidates_decided_in_small_chunks_give_the_same_findings(histories, monkeypatch):
    """A year's load is decided a chunk at a time (its candidates would not fit in memory at
    once); a chunk may end in the middle of a month and hold several months."""
    from twintrack.quality import evaluate

    rules = evaluate.rules_in_force() | {"spike": Decimal("2"), "over_plan": Decimal("0.5")}
    listed({(2023, month) for month in range(1, 13)})
    whole = [key(f) for f in evaluate.findings_of_table(TABLE, rules)]
    monkeypatch.setattr(evaluate, "WINDOWED_CHUNK", 7)
    chunks = [len(chunk) for chunk in evaluate._windowed_candidates(TABLE, rules)]
    assert len(chunks) > 3 and max(chunks) == 7
    assert [key(f) for f in evaluate.findings_of_table(TABLE, rules)] == whole and whole


def test_a_part_of_the_months_is_evaluated_on_its_own_rows_only(histories):
    from twintrack.quality.evaluate import findings_of_rows, findings_of_table

    months = listed({(2023, 3), (2023, 9)})
    by_month = [key(f) for year, month in sorted(months) for f in findings_of_rows(TABLE, year, month)]
    found = [key(f) for f in findings_of_table(TABLE)]
    assert found == by_month and found
    assert {f[:2] for f in found} <= months


@pytest.mark.parametrize("windowed", [True, False], ids=["windowed", "month"])
def test_history_is_read_only_for_candidates_a_history_rule_may_flag(histories, monkeypatch, windowed):
    """A candidate that only over_plan or after_completion may flag is decided without its
    earlier months: the findings are the same as when every candidate's history is read."""
    from twintrack.quality import evaluate

    rules = evaluate.rules_in_force() | {"over_plan": Decimal("0.5"), "after_completion": Decimal("1")}
    months = listed({(2023, month) for month in range(1, 13)})
    asked = []
    real = evaluate._history

    def history(ids, first, last):
        ids = list(ids)
        asked.extend(ids)
        return real(ids, first, last)

    def found():
        asked.clear()
        if windowed:
            return [key(f) for f in evaluate.findings_of_table(TABLE, rules)], len(asked)
        return [key(f) for y, m in sorted(months) for f in evaluate.findings_of_rows(TABLE, y, m, rules)], len(asked)

    monkeypatch.setattr(evaluate, "_history", history)
    fewer, fewer_asked = found()
    monkeypatch.setattr(evaluate, "_with_history_flag", lambda conditions, rules: ("1", []))
    every, every_asked = found()
    assert fewer == every and {f[2] for f in fewer} >= {"over_plan", "spike", "repeated"}
    assert fewer_asked < every_asked / 2
