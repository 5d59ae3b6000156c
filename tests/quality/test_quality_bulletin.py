"""A bulletin's notes state the month's completeness and how many findings were still open."""
import pytest

pytestmark = pytest.mark.django_db


def notes(org_code="330400", lang="zh"):
    from twintrack.orgs.models import OrgUnit
    from twintrack.reports.bulletin import bulletin_data
    from twintrack.reports.content import Paragraph, build_document

    data = bulletin_data(OrgUnit.objects.get(code=org_code), 2023, 7)
    doc = build_document(data, lang, charts=False)
    return data["quality"], [b.text for b in doc.blocks if isinstance(b, Paragraph)]


def test_the_notes_state_completeness_and_open_findings(make_project, put):
    p1 = make_project("P1")
    make_project("P2")
    for period, amount in (("2023-04", 10), ("2023-05", 20), ("2023-06", 30), ("2023-07", 5000)):
        put(p1, period, amount)
    quality, zh = notes()
    assert quality == {"expected": 2, "reported": 1, "rate": 0.5, "open_findings": 1}
    assert any("报送完整率50%" in text and "1条数据质量疑点待核实" in text for text in zh)
    _quality, en = notes(lang="en")
    assert any("1 of 2 projects in progress" in t and "1 data-quality finding remained open" in t for t in en)


def test_no_open_findings_no_open_sentence(make_project, put):
    put(make_project("P1"), "2023-07", 10)
    _quality, zh = notes()
    assert any("报送完整率100%" in text and "疑点" not in text for text in zh)


def test_a_bulletin_frozen_before_data_quality_gets_no_such_note(make_project):
    from twintrack.orgs.models import OrgUnit
    from twintrack.reports.bulletin import bulletin_data
    from twintrack.reports.content import Paragraph, build_document

    data = bulletin_data(OrgUnit.objects.get(code="330400"), 2023, 7)
    del data["quality"]
    texts = [b.text for b in build_document(data, "zh", charts=False).blocks if isinstance(b, Paragraph)]
    assert not any("报送完整率" in text for text in texts)
