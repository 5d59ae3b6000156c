"""Assessments: scored on save with the framework's rules, stages, the latest flag, soft
deletion, history, findings and reports."""
from datetime import date
from decimal import Decimal as D

import pytest

from diagnosis_helpers import uniform_answers


def test_a_self_assessment_is_scored_and_stored_with_its_answers(make_enterprise, miit, assess):
    firm = make_enterprise()
    answers = uniform_answers(miit, 1)  # 25 everywhere ...
    answers.update({"O1": "e", "O2": "e", "O3": "e", "O4": "e", "O5": "e"})  # ... but operation at 100
    assessment = assess(firm, miit, answers)
    # dimensions: foundation 25, operation 100, management 25, results 25;
    # overall (25 x 25 + 30 x 100 + 25 x 25 + 20 x 25) / 100 = 47.5 -> level 2
    scores = dict(assessment.dimension_scores.values_list("code", "score"))
    assert scores == {"foundation": D(25), "operation": D(100), "management": D(25), "results": D(25)}
    assert assessment.overall_score == D("47.50") and assessment.level == 2 and assessment.level_code == "L2"
    assert assessment.answers.count() == 17
    assert assessment.answers.get(question__code="O3").option.code == "e"
    assert assessment.stage == "baseline" and assessment.is_latest and assessment.framework_key == miit.key


def test_an_incomplete_questionnaire_is_refused_and_nothing_is_stored(make_enterprise, miit):
    from twintrack.diagnosis.models import Assessment
    from twintrack.diagnosis.scoring import AnswerError
    from twintrack.diagnosis.services import record_assessment

    answers = uniform_answers(miit, 2)
    del answers["M4"]
    with pytest.raises(AnswerError, match="'M4' is not answered"):
        record_assessment(make_enterprise(), miit, answers, kind="self")
    assert not Assessment.objects.exists()


def test_an_offline_diagnosis_needs_its_provider_and_keeps_findings_and_report(make_enterprise, miit,
                                                                               provider_firm):
    from twintrack.diagnosis.services import ReportFile, record_assessment

    firm = make_enterprise()
    with pytest.raises(ValueError):
        record_assessment(firm, miit, uniform_answers(miit, 2), kind="offline")
    assessment = record_assessment(
        firm, miit, uniform_answers(miit, 2), kind="offline", provider=provider_firm, assessed_on=date(2023, 4, 2),
        pain_points="设备未联网\n排产靠经验", recommendations="上线轻量化MES",
        reports=[ReportFile("诊断报告.PDF", b"%PDF-1.4 report")])
    report = assessment.reports.get()
    assert (report.filename, report.content_type, report.size) == ("诊断报告.PDF", "application/pdf", 15)
    assert bytes(report.content) == b"%PDF-1.4 report"
    assert assessment.provider == provider_firm and assessment.pain_points.splitlines() == ["设备未联网", "排产靠经验"]


def test_the_first_assessment_is_before_support_and_later_ones_after(make_enterprise, miit, assess):
    firm = make_enterprise()
    first = assess(firm, miit, uniform_answers(miit, 1), on=date(2023, 3, 1))
    second = assess(firm, miit, uniform_answers(miit, 3), on=date(2023, 10, 1))
    assert (first.stage, second.stage) == ("baseline", "follow_up")
    first.refresh_from_db()
    assert not first.is_latest and second.is_latest


def test_a_late_entry_of_an_earlier_assessment_does_not_become_the_latest(make_enterprise, miit, assess):
    firm = make_enterprise()
    later = assess(firm, miit, uniform_answers(miit, 3), on=date(2023, 10, 1))
    earlier = assess(firm, miit, uniform_answers(miit, 1), on=date(2023, 3, 1))  # entered afterwards
    later.refresh_from_db()
    assert later.is_latest and not earlier.is_latest
    assert earlier.stage == "baseline"


def test_deleting_an_assessment_hides_it_and_the_previous_one_is_latest_again(make_enterprise, miit, assess,
                                                                              make_user):
    from twintrack.diagnosis.models import Assessment
    from twintrack.diagnosis.services import delete_assessment

    firm = make_enterprise()
    first = assess(firm, miit, uniform_answers(miit, 1), on=date(2023, 3, 1))
    second = assess(firm, miit, uniform_answers(miit, 3), on=date(2023, 10, 1))
    user = make_user("bureau", "bureau")
    delete_assessment(second, user, "entered twice")
    second.refresh_from_db()
    first.refresh_from_db()
    assert not second.is_active and second.deleted_at is not None and not second.is_latest
    assert first.is_latest
    history = list(Assessment.history.filter(id=second.id).order_by("history_date"))
    assert [h.history_change_reason for h in history] == ["self-assessment", "entered twice"]
    assert history[-1].history_user == user


def test_the_change_from_one_assessment_to_the_next(make_enterprise, miit, assess):
    from twintrack.diagnosis.pages import assessment_detail

    firm = make_enterprise()
    assess(firm, miit, uniform_answers(miit, 1), on=date(2023, 3, 1))
    second = assess(firm, miit, uniform_answers(miit, 3), on=date(2023, 10, 1))
    detail = assessment_detail(second, "en")
    assert detail["overall"] == "75.00" and detail["overall_change"] == "+50.00"
    assert [d["change"] for d in detail["dimensions"]] == ["+50.00"] * 4
    assert detail["next_level_name"] == "Level 4" and detail["to_next"] == "5.00"


def test_assessments_of_two_frameworks_keep_separate_latest_flags(make_enterprise, frameworks, assess):
    from twintrack.diagnosis.models import Assessment

    firm = make_enterprise()
    assess(firm, frameworks["miit_sme_digital_2022"], uniform_answers(frameworks["miit_sme_digital_2022"], 2))
    gbt = assess(firm, frameworks["gbt39116_2020"], uniform_answers(frameworks["gbt39116_2020"], 3))
    assert gbt.overall_score == D("3.00") and gbt.level == 3  # every question at level 3 -> Integrated
    assert Assessment.objects.filter(enterprise=firm, is_latest=True).count() == 2
