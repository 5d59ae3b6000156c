"""A person's import answers about another unit's records exactly as about records that do not exist.

Pinghu's officer names Nanhu's project P1 (progress 2023-07 with 80 tce; started 2023-02) and
Nanhu's enterprise in files of every kind; each answer must equal the answer for a code that
does not exist, with the code swapped: no start month, no existing figure, no "outside your scope".
"""
from __future__ import annotations

import pytest
from django.utils import translation

from twintrack.imports.errors import ImportRejected
from twintrack.web.import_kinds import import_file


def uscc_for(seed: int, region: str) -> str:
    from stdnum.cn import uscc

    body = f"91{region}MA{seed:08d}"[:17]
    return body + uscc.calc_check_digit(body)

MISSING_PROJECT = "NOSUCH1"


def problems(tmp_path, kind: str, rows: list[str], user) -> list[str]:
    path = tmp_path / f"{kind}.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as rejected, translation.override("en"):
        import_file(kind, path, user=user)
    return rejected.value.messages


def as_if_missing(messages: list[str], code: str, missing: str) -> list[str]:
    return [m.replace(missing, code) for m in messages]


@pytest.fixture
def tables(db):
    from twintrack.energy.services import load_reference_data

    return load_reference_data()


def test_an_energy_row_for_another_units_project_reads_like_an_unknown_code(tmp_path, world, tables):
    user = world.users["other_district"]
    header = "project_code,month,carrier,quantity_saved"
    foreign = problems(tmp_path, "energy", [header, "P1,2023-07,electricity,1000"], user)
    missing = problems(tmp_path, "energy", [header, f"{MISSING_PROJECT},2023-07,electricity,1000"], user)
    assert foreign == as_if_missing(missing, "P1", MISSING_PROJECT)
    assert not any("80" in m or "tce" in m for m in foreign)


def test_a_progress_row_for_another_units_project_says_nothing_of_its_start_month(tmp_path, world):
    user = world.users["other_district"]
    header = "project_code,month,investment_yuan"
    foreign = problems(tmp_path, "progress", [header, "P1,2000-01,5"], user)
    missing = problems(tmp_path, "progress", [header, f"{MISSING_PROJECT},2000-01,5"], user)
    assert foreign == as_if_missing(missing, "P1", MISSING_PROJECT)
    assert not any("2023-02" in m for m in foreign)


def test_a_project_row_names_neither_another_units_progress_nor_its_scope(tmp_path, world):
    user = world.users["other_district"]
    pinghu_uscc, nanhu_uscc = world.other_enterprise.uscc, world.enterprise.uscc
    header = "code,uscc,title,kind,start_date,status"
    foreign = problems(tmp_path, "projects", [header, f"P1,{pinghu_uscc},改名,digital,2023-12-01,in_progress"], user)
    assert len(foreign) == 1 and "P1" in foreign[0]
    assert not any("progress" in m or "2023-" in m or "scope" in m for m in foreign)
    # another unit's enterprise reads like an unregistered (valid) credit code
    unknown_uscc = uscc_for(99, "330402")
    theirs = problems(tmp_path, "projects", [header, f"PX,{nanhu_uscc},新项目,digital,2023-12-01,in_progress"], user)
    unknown = problems(tmp_path, "projects", [header, f"PX,{unknown_uscc},新项目,digital,2023-12-01,in_progress"],
                       user)
    assert theirs == as_if_missing(unknown, nanhu_uscc, unknown_uscc)


def test_an_enterprise_row_with_another_units_credit_code_names_no_unit_or_scope(tmp_path, world):
    user = world.users["other_district"]
    header = "uscc,name_zh,org_code,industry_code"
    foreign = problems(tmp_path, "enterprises", [header, f"{world.enterprise.uscc},改名企业,330482,3311"], user)
    assert len(foreign) == 1
    said = foreign[0].replace(world.enterprise.uscc, "")
    assert "scope" not in said and "南湖" not in said and "330402" not in said
    # the unit column: another district's unit reads like one that does not exist
    theirs = problems(tmp_path, "enterprises", [header, f"{uscc_for(98, '330482')},新企业,330402,3311"], user)
    unknown = problems(tmp_path, "enterprises", [header, f"{uscc_for(98, '330482')},新企业,999999,3311"], user)
    assert theirs == as_if_missing(unknown, "330402", "999999")


def test_the_command_line_still_sees_every_unit(tmp_path, world):
    path = tmp_path / "progress.csv"
    path.write_text("project_code,month,investment_yuan\nP1,2023-08,5\nP3,2023-08,7\n", encoding="utf-8")
    assert import_file("progress", path).created == 2
