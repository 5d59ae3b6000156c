"""The pages, as the people who use them: lists and filters inside their scope, detail pages,
forms that follow the import rules, deletion without deleting, history, exports."""
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jobhelp import confirm, post_upload, token_of
from twintrack.programme.models import Progress, Project

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


@pytest.fixture
def as_user(client, world):
    def login(viewer):
        client.force_login(world.users[viewer])
        return client
    return login


def text(response) -> str:
    return response.content.decode()


# --- lists ----------------------------------------------------------------------------------

def test_enterprises_are_found_by_name_or_credit_code_and_filtered(as_user, world):
    client = as_user("bureau")
    url = reverse("enterprise_list")
    assert world.enterprise.name_zh in text(client.get(url, {"q": "德威"}))
    assert world.other_enterprise.name_zh not in text(client.get(url, {"q": "德威"}))
    assert world.enterprise.name_zh in text(client.get(url, {"q": world.enterprise.uscc[:10].lower()}))
    by_unit = text(client.get(url, {"unit": "330482"}))
    assert world.other_enterprise.name_zh in by_unit and world.enterprise.name_zh not in by_unit
    assert world.enterprise.uscc not in text(client.get(url, {"division": "13"}))
    assert world.enterprise.uscc in text(client.get(url, {"division": "33", "size": "medium"}))


def test_a_district_lists_only_its_subtree_and_a_hidden_unit_filter_is_ignored(as_user, world):
    client = as_user("other_district")
    page = text(client.get(reverse("enterprise_list"), {"unit": "330402"}))
    assert world.other_enterprise.name_zh in page and world.enterprise.name_zh not in page
    assert "330402" not in page.split('name="unit"')[1].split("</select>")[0]  # no hidden unit in the choices


def test_projects_are_filtered_by_unit_kind_status_and_start_month(as_user, world):
    client = as_user("bureau")
    url = reverse("project_list")

    def codes(**query):
        page = text(client.get(url, query))
        return sorted(code for code in ("P0", "P1", "P2", "P3", "P4") if f">{code}</a>" in page)

    assert codes() == ["P0", "P1", "P2", "P3", "P4"]
    assert codes(unit="330402") == ["P0", "P1", "P2"]
    assert codes(status="cancelled") == ["P4"]
    assert codes(start="2023-05") == ["P3"]
    assert codes(start="2023") == ["P1", "P2", "P3", "P4"]
    assert codes(kind="digital") == []


def test_exports_hold_only_what_the_user_sees_and_neutralise_formulas(as_user, world):
    from twintrack.enterprises.models import Enterprise

    Enterprise.objects.filter(pk=world.other_enterprise.pk).update(name_zh="=HYPERLINK(\"http://x\")")
    client = as_user("other_district")
    response = client.get(reverse("enterprise_export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:2] == ("统一社会信用代码", "企业名称")
    assert [r[1] for r in rows[1:]] == ["=HYPERLINK(\"http://x\")"]  # the name as it is, written as text
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)
    projects = list(load_workbook(io.BytesIO(as_user("district").get(reverse("project_export")).content)).active.values)
    assert sorted(r[0] for r in projects[1:]) == ["P0", "P1", "P2"]


# --- templates ---------------------------------------------------------------------------------

def test_a_template_has_the_import_columns_in_chinese_and_drop_down_lists(as_user, world):
    from twintrack.web.import_kinds import IMPORT_KINDS as KINDS

    response = as_user("district").get(reverse("template_download", args=["projects"]))
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["projects"]
    header = [c.value for c in sheet[1]]
    expected = [c.label_zh + ("*" if c.required else "") for c in KINDS["projects"].columns
                if c.key != "planned_investment_10k_yuan"]
    assert header == expected
    lists = book["lists"]
    validations = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}
    kind_column = header.index("改造类型*") + 1
    letter = sheet.cell(row=1, column=kind_column).column_letter
    column, _ = validations[f"{letter}2"].split("!")[1].split(":")[0].strip("$").split("$")
    values = [lists[f"{column}{row}"].value for row in range(2, 5)]
    assert values == ["数字化", "绿色化", "数字化绿色化"]
    assert book["说明"]["A2"].value == "code"


def test_the_unit_codes_in_a_template_are_the_users_own(as_user, world):
    book = load_workbook(io.BytesIO(as_user("district").get(reverse("template_download", args=["enterprises"])).content))
    codes = [c.value for c in book["lists"]["A"][1:] if c.value]
    assert codes == ["330402", "NHGX"]


def test_a_template_then_filled_goes_through_the_importer(as_user, world, tmp_path):
    from twintrack.web.import_kinds import import_file

    content = as_user("district").get(reverse("template_download", args=["progress"])).content
    book = load_workbook(io.BytesIO(content))
    book["progress"].append(["P1", "2023-09", 1234, None, "x"])
    path = tmp_path / "filled.xlsx"
    book.save(path)
    assert import_file("progress", path, user=world.users["district"]).created == 1


# --- upload, preview, confirm ------------------------------------------------------------------

def upload(client, content: bytes, name="progress.csv", kind="progress"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return post_upload(client, {"kind": kind, "file": SimpleUploadedFile(name, content)})


def test_a_file_with_errors_shows_every_row_error_and_cannot_be_confirmed(as_user, world):
    client = as_user("district")
    response = upload(client, b"project_code,month,investment_yuan\nP1,2023-13,5\nP3,2023-08,5\nP1,2023-08,-1\n")
    preview = client.get(response["Location"])
    page = text(preview)
    assert preview.status_code == 200 and 'id="problems"' in page
    assert page.count('class="cell-bad"') == 3
    assert 'id="confirm-import"' not in page
    confirmed = confirm(client, token_of(response))
    assert confirmed.status_code == 200 and not Progress.objects.filter(month=8).exists()
    assert 'id="problems"' in text(confirmed) and 'id="confirm-import"' not in text(confirmed)


def test_a_good_file_is_previewed_without_writing_then_confirmed(as_user, world):
    client = as_user("district")
    response = upload(client, "项目编号,月份,完成投资（万元）\nP1,2023-08,500\n".encode("gb18030"))
    preview = text(client.get(response["Location"]))
    assert 'id="confirm-import"' in preview and not Progress.objects.filter(month=8).exists()
    assert confirm(client, token_of(response)).status_code == 302
    row = Progress.objects.get(project=world.project, month=8)
    assert row.investment_yuan == Decimal("5000000")
    assert row.history.latest().history_user == world.users["district"]
    assert client.get(response["Location"]).status_code == 404  # the upload is gone once imported


def test_only_the_uploader_sees_an_upload(client, world):
    client.force_login(world.users["district"])
    location = upload(client, b"project_code,month,investment_yuan\nP1,2023-08,5\n")["Location"]
    client.force_login(world.users["bureau"])
    assert client.get(location).status_code == 404


def test_an_unsupported_file_type_is_refused_with_a_message(as_user, world):
    client = as_user("district")
    response = upload(client, b"MZ\x90\x00", name="progress.exe")
    assert response.status_code == 302 and response["Location"] == reverse("monthly")
    assert "只能导入" in text(client.get(reverse("monthly")))


def test_an_upload_over_the_limit_is_refused_before_it_is_read(as_user, world, settings):
    settings.TWINTRACK_MAX_UPLOAD_BYTES = 100 * 1024
    client = as_user("district")
    response = upload(client, b"x" * (300 * 1024))
    assert response.status_code == 413
    assert "100 KB" not in text(response) and "MB" in text(response)


# --- forms follow the import rules -----------------------------------------------------------------

def test_the_progress_form_saves_a_month_with_history(as_user, world):
    client = as_user("district")
    url = reverse("progress_save", args=[world.project.pk])
    response = client.post(url, {"month": "2023-09", "investment_yuan": "1,500,000", "energy_saved_tce": "12.5",
                                 "note": "九月"})
    assert response.status_code == 302
    row = Progress.objects.get(project=world.project, month=9)
    assert (row.investment_yuan, row.energy_saved_tce, row.note) == (Decimal("1500000"), Decimal("12.5"), "九月")
    history = text(client.get(reverse("history", args=["progress", row.pk])))
    assert "nanhu" in history and "1500000" in history


def test_the_progress_form_shows_the_import_errors_beside_the_fields(as_user, world):
    client = as_user("district")
    response = client.post(reverse("progress_save", args=[world.project.pk]),
                           {"month": "2023-01", "investment_yuan": "abc"})
    page = text(response)
    assert response.status_code == 200
    assert "早于项目开工月份" in page or "before the project's start month" in page
    assert page.count('class="field-error"') >= 2


def test_a_locked_month_refuses_the_form(as_user, world):
    from twintrack.approvals.services import approve, submit

    for unit in (world.orgs["NHGX"], world.org):
        submit(unit, 2023, 7, world.users["bureau"])
        approve(unit, 2023, 7, world.users["bureau"])
    response = as_user("district").post(reverse("progress_save", args=[world.project.pk]),
                                        {"month": "2023-07", "investment_yuan": "1"})
    assert response.status_code == 200 and "已审核锁定" in text(response)
    assert Progress.objects.get(project=world.project, month=7).investment_yuan == Decimal("2500000")


def test_the_bureau_edits_targets_with_the_import_rules(as_user, world):
    from twintrack.programme.models import Target

    client = as_user("bureau")
    url = reverse("target_edit", args=[world.org.code, 2023])
    assert 'name="t-projects-12" value="4"' in text(client.get(url))
    refused = client.post(url, {"t-projects-12": "0", "t-investment_yuan-6": "abc"})
    assert refused.status_code == 400 and text(refused).count('class="field-error"') == 2
    assert client.post(url, {"t-projects-12": "6", "t-energy_saved_tce-3": "700"}).status_code == 302
    assert Target.objects.get(org=world.org, metric="projects", year=2023, through_month=12).value == 6
    target = Target.objects.get(org=world.org, metric="energy_saved_tce", year=2023, through_month=3)
    assert target.history.latest().history_user == world.users["bureau"]


# --- deleting without deleting ----------------------------------------------------------------------

def test_deleting_an_enterprise_hides_it_and_its_figures_and_the_bureau_restores_it(as_user, world):
    from twintrack.metrics.rollups import rollup_differences

    client = as_user("district")
    refused = client.post(reverse("enterprise_delete", args=[world.enterprise.pk]), {"reason": ""})
    assert refused.status_code == 302 and Project.objects.get(code="P1").is_active
    client.post(reverse("enterprise_delete", args=[world.enterprise.pk]), {"reason": "closed down"})
    assert world.enterprise.uscc not in text(client.get(reverse("enterprise_list")))
    assert world.enterprise.uscc in text(client.get(reverse("enterprise_list"), {"deleted": "1"}))
    assert not Project.objects.get(code="P1").is_active and rollup_differences() == []
    assert client.post(reverse("enterprise_restore", args=[world.enterprise.pk])).status_code == 403
    as_user("bureau").post(reverse("enterprise_restore", args=[world.enterprise.pk]), {"reason": "back"})
    assert Project.objects.get(code="P1").is_active and rollup_differences() == []
    history = text(client.get(reverse("history", args=["enterprise", world.enterprise.pk])))
    assert "closed down" in history and "back" in history


# --- roles --------------------------------------------------------------------------------------------

def test_an_enterprise_user_starts_at_their_enterprise_and_sees_only_it(as_user, world):
    client = as_user("enterprise")
    assert client.get(reverse("dashboard"))["Location"] == reverse("enterprise_detail", args=[world.enterprise.pk])
    page = text(client.get(reverse("project_list")))
    assert ">P1</a>" in page and ">P3</a>" not in page
    assert 'name="investment_yuan"' not in text(client.get(reverse("project_detail", args=[world.project.pk])))


def test_a_provider_sees_nothing_until_the_diagnosis_app_assigns_enterprises(as_user, world, monkeypatch):
    from twintrack.enterprises.models import Enterprise
    from twintrack.orgs import access

    client = as_user("provider")
    assert client.get(reverse("enterprise_list")).status_code == 403
    assign = lambda user: Enterprise.objects.filter(pk=world.other_enterprise.pk).values("pk")  # noqa: E731
    declared = access.assigned_enterprise_hooks
    monkeypatch.setattr(access, "assigned_enterprise_hooks", lambda: [*declared(), assign])
    page = text(client.get(reverse("enterprise_list")))
    assert world.other_enterprise.name_zh in page and world.enterprise.name_zh not in page
    assert client.get(reverse("enterprise_detail", args=[world.enterprise.pk])).status_code == 404


def test_the_menu_shows_each_role_its_pages(as_user, world):
    def menu(viewer):
        page = text(as_user(viewer).get(reverse("enterprise_list")))
        return page.split('class="mainnav-inner"')[1].split("</ul>")[0]

    assert 'href="/users/"' in menu("bureau") and 'href="/users/"' not in menu("district")
    assert 'href="/monthly/"' in menu("district") and 'href="/monthly/"' not in menu("supervisor")
    assert 'href="/units/"' not in menu("enterprise")


# --- the dashboard ------------------------------------------------------------------------------------

def test_the_dashboard_map_has_the_counties_and_lists_zones_beside_it(world, make_user):
    from twintrack.orgs.services import OrgValues, save_orgunits
    from twintrack.web.dashboard import dashboard_context

    save_orgunits([OrgValues("JXGQ", "嘉兴港区", "Jiaxing Port Area", "zone", "330400")])
    context = dashboard_context(world.orgs["330400"], 2023, 7, "zh-hans")
    regions = context["chart_data"]["map"]["regions"]
    assert [r["code"] for r in regions] == ["330402", "330482"]
    assert context["chart_data"]["map"]["rates"]["investment_yuan"]["330402"] == 95.0  # 38 of 40 million
    assert [z["code"] for z in context["zones"]] == ["JXGQ"]
    assert context["map_scripts"] == ["/static/web/vendor/geo/jiaxing.js"]
    nanhu = dashboard_context(world.org, 2023, 7, "zh-hans")
    assert nanhu["chart_data"]["map"]["mode"] == "focus" and [z["code"] for z in nanhu["zones"]] == ["NHGX"]


def test_the_dashboard_can_count_approved_months_only(as_user, world):
    from twintrack.approvals.services import approve, submit

    submit(world.other_org, 2023, 5, world.users["bureau"])
    approve(world.other_org, 2023, 5, world.users["bureau"])
    page = text(as_user("bureau").get(reverse("dashboard"), {"period": "2023-07", "approved": "1"}))
    assert "仅统计已审核的单位月份" in page
    assert "2000万元" in page  # Pinghu's May: P3's 20,000,000 yuan, nothing else


def test_the_project_list_shows_investment_progress_and_sorts(as_user, world):
    """Issue 15: no investment or progress columns and no sorting."""
    from twintrack.programme.models import Project

    Project.objects.filter(code="P1").update(planned_investment_yuan=Decimal("20000000"))
    client = as_user("district")
    page = text(client.get(reverse("project_list") + "?sort=-planned"))
    # P1 has 3,500,000 + 6,000,000 + 2,500,000 yuan of progress: 1,200 万元, 60% of its 2,000 万元 plan
    assert "2,000.00" in page and "1,200.00" in page and "60.0%" in page and "2023-07" in page
    codes = [p.code for p in client.get(reverse("project_list") + "?sort=code").context["rows"]]
    assert codes == sorted(codes)
    assert client.get(reverse("project_list") + "?sort=nonsense").status_code == 200


def test_the_confirmation_names_the_kind_in_words_and_counts_in_the_singular(as_user, world):
    """Issue 15: "progress：读取3行" with the raw key; "1 rows read" in English."""
    client = as_user("district")
    response = upload(client, "项目编号,月份,完成投资（万元）\nP1,2023-08,500\n".encode("gb18030"))
    page = text(confirm(client, token_of(response), follow=True))
    assert "月度进度：读取1行" in page and "progress：" not in page
    from django.utils import translation

    from twintrack.imports.importer import ImportResult

    with translation.override("en"):
        assert ImportResult("progress", "f.csv", 1, 1, 0, 0).summary().startswith("progress: 1 row read,")


def test_the_units_page_counts_each_units_enterprises_with_those_below_it(as_user, world):
    """Issue 15: the city row showed 0 enterprises with 300 below it."""
    rows = {r["unit"].code: r["enterprises"] for r in as_user("bureau").get(reverse("orgunit_list")).context["rows"]}
    assert rows == {"330400": 3, "330402": 2, "NHGX": 1, "330482": 1}


def test_investment_targets_are_typed_and_shown_in_ten_thousands_of_yuan(as_user, world):
    """Issue 15: amounts were typed in yuan without separators."""
    from twintrack.programme.models import Target

    client = as_user("bureau")
    url = reverse("target_edit", args=[world.org.code, 2023])
    page = text(client.get(url))
    assert 'name="t-investment_yuan-7" value="4000"' in page  # 40,000,000 yuan
    assert client.post(url, {"t-investment_yuan-12": "6,500.5"}).status_code == 302
    assert Target.objects.get(org=world.org, metric="investment_yuan", year=2023,
                              through_month=12).value == Decimal("65005000")
    assert client.post(url, {"t-investment_yuan-7": "4000"}).status_code == 302  # unchanged: nothing saved
    assert Target.objects.get(org=world.org, metric="investment_yuan", year=2023, through_month=7).value == 40_000_000


def test_every_page_opens_on_the_latest_month_with_figures(as_user, world):
    """Issue 15: units, unit pages, monthly and approvals opened on today's month ("—", "未上报")."""
    client = as_user("district")
    assert client.get(reverse("monthly")).context["period"] == "2023-07"
    assert client.get(reverse("approvals")).context["period"] == "2023-07"
    assert client.get(reverse("orgunit_detail", args=[world.org.code])).context["year"] == 2023
    assert as_user("bureau").get(reverse("orgunit_list")).context["year"] == 2023


def test_an_upload_returns_to_the_month_it_was_made_from(as_user, world):
    """Issue 15: confirming on /monthly/?period=2023-12 landed on the current month."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = as_user("district")
    response = post_upload(client, {"kind": "progress", "period": "2023-12", "file": SimpleUploadedFile(
        "p.csv", b"project_code,month,investment_yuan\nP1,2023-12,5\n")})
    preview = client.get(response["Location"])
    assert "?period=2023-12" in text(preview)
    confirmed = confirm(client, token_of(response))
    assert confirmed["Location"] == reverse("monthly") + "?period=2023-12"
    refused = client.post(reverse("upload"), {"kind": "progress", "period": "2023-12",
                                              "file": SimpleUploadedFile("p.exe", b"MZ")})
    assert refused["Location"] == reverse("monthly") + "?period=2023-12"


def test_an_upload_returns_to_the_unit_whose_month_page_it_came_from(as_user, world):
    """Uploading on a zone's month page (?org=NHGX) came back to the officer's own month page."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = as_user("district")
    zone_month = reverse("monthly") + "?org=NHGX&period=2023-12"
    response = post_upload(client, {"kind": "progress", "period": "2023-12", "org": "NHGX", "file": SimpleUploadedFile(
        "p.csv", b"project_code,month,investment_yuan\nP2,2023-12,5\n")})
    assert zone_month.replace("&", "&amp;") in text(client.get(response["Location"]))
    assert confirm(client, token_of(response))["Location"] == zone_month
    # a unit outside the officer's scope is not looked up: the upload goes back to their own page
    other = post_upload(client, {"kind": "progress", "period": "2023-12", "org": "330482", "file": SimpleUploadedFile(
        "p.csv", b"project_code,month,investment_yuan\nP2,2023-12,6\n")})
    assert confirm(client, token_of(other))["Location"] == reverse("monthly") + "?period=2023-12"
