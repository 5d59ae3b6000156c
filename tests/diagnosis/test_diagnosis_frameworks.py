"""Frameworks are data: loaded from a file (command, bureau page, `twintrack init`), versioned,
and a new version never rewrites an old assessment's scores."""
import copy
import io
import json
from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command

from diagnosis_helpers import BENCH, FRAMEWORK_DIR, miit_data, uniform_answers

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

# A framework written from the EU's Digital Maturity Assessment for SMEs: six dimensions scored
# 0-100% and averaged, green digitalisation among them. (The level bands are an example.)
EU_DMA = {
    "format": "twintrack-framework/1", "key": "eu_dma_sme", "version": "2023-test",
    "name": {"zh": "欧盟中小企业数字成熟度评估（示例）", "en": "EU Digital Maturity Assessment for SMEs (example)"},
    "source": "European Digital Innovation Hubs DMA, module 1 (structure only; questions are examples)",
    "scoring": {"method": "weighted_mean", "scale_max": 100, "decimals": 1},
    "levels": {"boundary": "upper_inclusive",
               "below": {"code": "none", "name": {"zh": "未评级", "en": "Not rated"}},
               "bands": [{"level": n, "code": c, "name": {"zh": zh, "en": en}, "min": lo, "max": hi}
                         for n, c, zh, en, lo, hi in ((1, "basic", "基础", "Basic", None, 25),
                                                      (2, "average", "一般", "Average", 25, 50),
                                                      (3, "moderate", "较先进", "Moderately advanced", 50, 75),
                                                      (4, "advanced", "先进", "Advanced", 75, 100))]},
    "dimensions": [
        {"code": code, "name": {"zh": zh, "en": en}, "weight": 1, "questions": [
            {"code": f"{code}1", "text": {"zh": f"{zh}？", "en": f"{en}?"},
             "options": [{"code": o, "text": {"zh": o, "en": o}, "score": s}
                         for o, s in (("no", 0), ("some", 40), ("most", 70), ("all", 100))]}]}
        for code, zh, en in (("strategy", "数字化战略", "Digital business strategy"),
                             ("readiness", "数字化准备度", "Digital readiness"),
                             ("human", "以人为本的数字化", "Human-centric digitalisation"),
                             ("data", "数据管理", "Data management"),
                             ("automation", "自动化与人工智能", "Automation and AI"),
                             ("green", "绿色数字化", "Green digitalisation"))
    ],
}


def write(tmp_path, data, name="framework.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return path


def test_a_new_framework_is_loaded_from_a_file_with_the_command(db, tmp_path, make_enterprise, assess):
    from twintrack.diagnosis.models import Framework

    out = io.StringIO()
    call_command("load_framework", str(write(tmp_path, EU_DMA)), stdout=out)
    assert "eu_dma_sme version 2023-test (current): loaded; 6 dimensions, 6 questions, 4 levels" in out.getvalue()
    framework = Framework.objects.get(key="eu_dma_sme")
    assert [d.code for d in framework.dimensions.order_by("order")] == [
        "strategy", "readiness", "human", "data", "automation", "green"]
    assert framework.dimensions.get(code="green").name_en == "Green digitalisation"
    # scored by its own rules: the mean of six dimensions, one decimal, a boundary to the lower level
    answers = {"strategy1": "all", "readiness1": "most", "human1": "some", "data1": "some", "automation1": "no",
               "green1": "most"}
    assessment = assess(make_enterprise(), framework, answers)
    assert assessment.overall_score == D("53.3")  # (100 + 70 + 40 + 40 + 0 + 70) / 6 = 53.33
    assert assessment.level == 3 and assessment.level_code == "moderate"
    exactly_50 = {"strategy1": "all", "readiness1": "no", "human1": "some", "data1": "some", "automation1": "no",
                  "green1": "all"}  # 300 / 6 = 50.0: the boundary belongs to the lower level here
    assert assess(make_enterprise(), framework, exactly_50).level_code == "average"


def test_loading_the_same_file_again_changes_nothing(db, tmp_path):
    from twintrack.diagnosis.models import Framework, Question

    path = write(tmp_path, EU_DMA)
    call_command("load_framework", str(path), stdout=io.StringIO())
    out = io.StringIO()
    call_command("load_framework", str(path), stdout=out)
    assert "already loaded, unchanged" in out.getvalue()
    assert Framework.objects.filter(key="eu_dma_sme").count() == 1
    assert Question.objects.filter(dimension__framework__key="eu_dma_sme").count() == 6


def test_changed_content_under_a_loaded_version_is_refused(db, tmp_path):
    call_command("load_framework", str(write(tmp_path, EU_DMA)), stdout=io.StringIO())
    changed = copy.deepcopy(EU_DMA)
    changed["dimensions"][0]["weight"] = 2
    with pytest.raises(CommandError) as error:
        call_command("load_framework", str(write(tmp_path, changed, "changed.json")), stdout=io.StringIO())
    assert "already loaded with different content: give the changed file a new version" in str(error.value)
    assert error.value.returncode == 2


def test_a_broken_file_is_refused_with_its_problems(db, tmp_path):
    broken = copy.deepcopy(EU_DMA)
    broken["levels"]["boundary"] = "whichever"
    del broken["dimensions"][2]["questions"][0]["options"][1]["score"]
    with pytest.raises(CommandError) as error:
        call_command("load_framework", str(write(tmp_path, broken)), stdout=io.StringIO())
    text = str(error.value)
    assert "levels.boundary: must be one of lower_inclusive, upper_inclusive" in text
    assert "dimensions[2].questions[0].options[1].score: a number is required" in text
    (tmp_path / "not.json").write_text("{ nope", "utf-8")
    with pytest.raises(CommandError, match="not valid JSON: line 1"):
        call_command("load_framework", str(tmp_path / "not.json"), stdout=io.StringIO())
    with pytest.raises(CommandError, match="no such file"):
        call_command("load_framework", str(tmp_path / "missing.json"), stdout=io.StringIO())


def test_a_new_version_never_rewrites_old_assessments(db, tmp_path, make_enterprise, assess, miit):
    from twintrack.diagnosis.frameworks import load_framework
    from twintrack.diagnosis.models import Assessment, Framework

    firm = make_enterprise()
    old = assess(firm, miit, uniform_answers(miit, 2))  # every option scores 50
    assert old.overall_score == D("50.00") and old.level == 2

    newer = miit_data()
    newer["version"] = "2022.2"
    for dimension in newer["dimensions"]:  # the new version scores the middle option 60
        for question in dimension["questions"]:
            question["options"][2]["score"] = 60
    framework, created = load_framework(newer)
    assert created and framework.is_current
    assert not Framework.objects.get(key=miit.key, version="2022.1").is_current

    fresh = assess(firm, framework, uniform_answers(framework, 2))
    assert fresh.overall_score == D("60.00") and fresh.level == 3 and fresh.framework.version == "2022.2"
    old = Assessment.objects.get(pk=old.pk)
    assert old.overall_score == D("50.00") and old.level == 2 and old.framework.version == "2022.1"
    assert sorted(old.dimension_scores.values_list("score", flat=True)) == [D(50)] * 4
    # both versions share the key: the later assessment is the enterprise's latest
    assert Assessment.objects.get(is_latest=True, enterprise=firm) == fresh


def test_the_shipped_frameworks_load_once_and_a_bureau_version_stays_current(db):
    from twintrack.diagnosis.frameworks import load_framework, load_shipped_frameworks
    from twintrack.diagnosis.models import Framework

    first = load_shipped_frameworks()
    assert [created for _, created in first] == [True, True]
    assert sorted(Framework.objects.filter(is_current=True).values_list("key", "version")) == [
        ("gbt39116_2020", "2020.1"), ("miit_sme_digital_2022", "2022.1")]
    newer = miit_data()
    newer["version"] = "2022.local"
    load_framework(newer)
    again = load_shipped_frameworks()  # `twintrack init` run again after an upgrade
    assert [created for _, created in again] == [False, False]
    assert Framework.objects.get(key="miit_sme_digital_2022", is_current=True).version == "2022.local"
    assert Framework.objects.count() == 3


def test_init_loads_the_frameworks():
    from twintrack.web.management.commands import init

    source = open(init.__file__, encoding="utf-8").read()
    assert "load_shipped_frameworks()" in source


def test_the_bureau_uploads_a_framework_on_its_page(db, zhejiang, make_user, client, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from twintrack.diagnosis.models import Framework

    client.force_login(make_user("bureau", "bureau"))
    upload = SimpleUploadedFile("eu.json", json.dumps(EU_DMA).encode("utf-8"), content_type="application/json")
    response = client.post(reverse("diagnosis:frameworks"), {"file": upload, "make_current": "on"})
    framework = Framework.objects.get(key="eu_dma_sme")
    assert response.status_code == 302 and response["Location"] == reverse("diagnosis:framework", args=[framework.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Green digitalisation" in page or "绿色数字化" in page

    broken = copy.deepcopy(BENCH)
    broken["scoring"]["method"] = "median"
    upload = SimpleUploadedFile("bad.json", json.dumps(broken).encode("utf-8"), content_type="application/json")
    response = client.post(reverse("diagnosis:frameworks"), {"file": upload})
    assert response.status_code == 200
    assert "scoring.method: must be one of weighted_mean, points" in response.content.decode()
    assert not Framework.objects.filter(key="bench").exists()


def test_a_district_officer_cannot_upload_a_framework(db, zhejiang, make_user, client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(make_user("nanhu", "district", zhejiang["330402"]))
    upload = SimpleUploadedFile("eu.json", json.dumps(EU_DMA).encode("utf-8"))
    assert client.post(reverse("diagnosis:frameworks"), {"file": upload}).status_code == 403


def test_the_shipped_files_are_valid_and_bilingual():
    from twintrack.diagnosis.scoring import parse_framework

    for path in sorted(FRAMEWORK_DIR.glob("*.json")):
        spec = parse_framework(json.loads(path.read_text("utf-8")))
        for question in spec.questions():
            assert question.text.zh and question.text.en
            assert all(o.text.zh and o.text.en for o in question.options)
        assert all(d.name.zh and d.name.en for d in spec.dimensions)
