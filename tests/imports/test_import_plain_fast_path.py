"""The progress importer's plain fast path reads every row exactly as the general path does,
and hands everything else (with its error) to the general path."""
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from twintrack.imports.columns import match_header
from twintrack.imports.errors import Problems
from twintrack.imports.kinds import Context, Record
from twintrack.programme.importing import ProgressKind

HEADER = ["project_code", "month", "investment_yuan", "energy_saved_tce", "note"]


def parsed(cells: dict, plain: bool):
    kind = ProgressKind()
    kind.current = (2026, 11)
    if not plain:
        kind._parse_plain = lambda record, ctx: False
    problems = Problems()
    ctx = Context(problems, match_header(HEADER, kind.columns, kind.alternatives, 1, problems))
    record = Record(2, cells)
    kind.parse(record, ctx)
    return record.values, record.bad, [str(m) for m in problems.rejection().messages] if problems else []


decimals = st.one_of(
    st.decimals(min_value=0, max_value=10**19, places=4, allow_nan=False, allow_infinity=False).map(str),
    st.decimals(min_value=0, max_value=10**15, places=8, allow_nan=False, allow_infinity=False).map(str),
    st.sampled_from(["", "0", "0.005", "0.015", "1,234.5", " 12 ", "-1", "１２", "1e3", "abc", "12.", ".5",
                     "99999999999999999999", "123456789012345678.994", "0.0000005", "100000000000000"]),
)
months = st.one_of(st.sampled_from(["2023-07", "2026-11", "2026-12", "2023-13", "1999-01", "2023/07", "2023年7月",
                                    "202307", "", " 2023-07", "2023-7"]),
                   st.builds(lambda y, m: f"{y:04d}-{m:02d}", st.integers(1990, 2110), st.integers(0, 13)))
codes = st.one_of(st.sampled_from(["P00000001", "", " P1", "项目1", "P-1/2.a", "P\u200b1"]),
                  st.text(min_size=0, max_size=12))
notes = st.one_of(st.sampled_from(["", "ok", "note with spaces", "备注", "x" * 501, "a/b"]), st.text(max_size=20))


@settings(max_examples=400, deadline=None)
@given(codes, months, decimals, decimals, notes)
def test_the_fast_path_agrees_with_the_general_path(code, month, invest, tce, note):
    cells = {"project_code": code, "month": month, "investment_yuan": invest, "energy_saved_tce": tce, "note": note}
    assert parsed(cells, plain=True) == parsed(cells, plain=False)


def test_a_plain_row_takes_the_fast_path():
    kind = ProgressKind()
    kind.current = (2026, 11)
    problems = Problems()
    ctx = Context(problems, match_header(HEADER, kind.columns, kind.alternatives, 1, problems))
    record = Record(2, {"project_code": "P1", "month": "2023-07", "investment_yuan": "43157.925",
                        "energy_saved_tce": "", "note": ""})
    assert kind._parse_plain(record, ctx)
    assert record.values["investment_yuan"] == Decimal("43157.93")
    assert record.values["energy_saved_tce"] is None and record.values["month"] == (2023, 7)
