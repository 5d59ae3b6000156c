"""The dashboard page: login, figures, drill-down, access, language and period."""
import json
import re
from html import unescape

import pytest
from django.urls import reverse

from twintrack.display.amounts import percent, tce_zh, yuan_en, yuan_zh
from twintrack.metrics.rules import METRIC_KEYS
from twintrack.reports.build import build_report

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")  # STATIC_ROOT before collectstatic

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9"}


def page(response) -> str:
    return unescape(response.content.decode())


def chart_data(response) -> dict:
    html = response.content.decode()
    start = html.index('<script id="chart-data" type="application/json">') + len(
        '<script id="chart-data" type="application/json">')
    return json.loads(html[start:html.index("</script>", start)])


# --- login ---------------------------------------------------------------------------------

def test_the_dashboard_requires_login(client, jiaxing):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=/"


def test_a_user_logs_in_with_the_form_and_lands_on_the_dashboard(client, bureau_user, password):
    assert client.get(reverse("login")).status_code == 200
    response = client.post(reverse("login"), {"username": "bureau", "password": password})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert client.get("/").status_code == 200


def test_a_wrong_password_shows_the_form_again_with_an_error(client, bureau_user):
    response = client.post(reverse("login"), {"username": "bureau", "password": "wrong"}, **ZH)
    assert response.status_code == 200
    assert "alert-error" in page(response)


def test_logout_is_a_post(bureau_client):
    assert bureau_client.get(reverse("logout")).status_code == 405
    response = bureau_client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert bureau_client.get("/").status_code == 302


# --- figures ---------------------------------------------------------------------------------

def test_the_bureau_sees_the_city_for_the_latest_month_with_data(bureau_client, jiaxing):
    response = bureau_client.get("/", **ZH)
    assert response.status_code == 200
    assert response.context["org"] == jiaxing["330400"]
    assert response.context["period"] == "2023-07"


def test_the_figures_are_build_reports(bureau_client, jiaxing):
    response = bureau_client.get("/?period=2023-07", **ZH)
    expected = build_report(jiaxing["330400"], 2023, 7)
    assert response.context["report"] == expected
    html = page(response)
    assert expected["narrative"]["zh"] in html
    metrics = expected["metrics"]
    assert metrics["projects"]["actual"] == 3  # P1, P2, P3 launched in 2023; P4 cancelled; P0 is 2022's
    assert ">3<" in html.replace(" ", "")
    invest = yuan_zh(metrics["investment_yuan"]["actual"])  # 1.03亿元
    assert invest == "1.03亿元"
    assert "1.03" in html and "亿元" in html
    assert tce_zh(metrics["energy_saved_tce"]["actual"]) == "4925.75吨标准煤"
    for metric in metrics.values():
        if metric["completion_rate"] is not None:
            assert percent(metric["completion_rate"]) in html


def test_the_cards_say_ahead_or_behind_schedule(bureau_client, jiaxing):
    cards = {c["key"]: c for c in bureau_client.get("/?period=2023-07", **ZH).context["cards"]}
    report = build_report(jiaxing["330400"], 2023, 7)["metrics"]
    assert list(cards) == ["projects", "investment_yuan", "energy_saved_tce"]  # no CO2 figures: no CO2 card
    for key, card in cards.items():
        annual_rate = report[key]["annual_rate"]
        assert card["ahead"] == (None if annual_rate is None else annual_rate >= 7 / 12)
        assert card["completion"] == percent(report[key]["completion_rate"])


def test_a_later_metric_shows_once_it_has_a_target(bureau_client, jiaxing):
    from decimal import Decimal

    from twintrack.programme.services import TargetValues, save_targets

    assert "co2_reduced_t" in METRIC_KEYS
    save_targets([TargetValues(jiaxing["330400"].id, "co2_reduced_t", 2023, 12, Decimal(5000))])
    response = bureau_client.get("/?period=2023-07", HTTP_ACCEPT_LANGUAGE="en")
    assert [c["key"] for c in response.context["cards"]][-1] == "co2_reduced_t"
    assert "CO2 reduced" in page(response)
    assert "co2_reduced_t" in chart_data(response)["cumulative"]


def test_the_children_table_lists_direct_children_with_drill_down_links(bureau_client, jiaxing):
    response = bureau_client.get("/?period=2023-07", **ZH)
    rows = response.context["children"]
    assert [r["code"] for r in rows] == ["330402", "330482"]
    assert rows[0]["url"] == "/?org=330402&period=2023-07"
    html = page(response)
    assert 'href="/?org=330402&period=2023-07"' in html
    assert "南湖区" in html and "平湖市" in html


def test_drilling_down_to_a_district(bureau_client, jiaxing):
    response = bureau_client.get("/?org=330402&period=2023-07", **ZH)
    assert response.status_code == 200
    assert response.context["report"] == build_report(jiaxing["330402"], 2023, 7)
    assert [c["name"] for c in response.context["breadcrumb"]] == ["嘉兴市", "南湖区"]
    assert [r["code"] for r in response.context["children"]] == ["NHGX"]
    assert "南湖高新区" in page(response)


def test_the_charts_get_cumulative_series_and_a_ranking(bureau_client, jiaxing):
    data = chart_data(bureau_client.get("/?period=2023-07", HTTP_ACCEPT_LANGUAGE="en"))
    assert len(data["months"]) == 7
    projects = data["cumulative"]["projects"]
    assert projects["actual"] == [0, 1, 2, 2, 3, 3, 3]  # cumulative, by start month
    assert projects["target"] == [1, 2, 3, 4, 5, 6, 7]  # the city's own cumulative targets
    invest = data["cumulative"]["investment_yuan"]
    assert invest["unit"] == "million yuan"
    assert invest["actual"][-1] == 103.0 and invest["target"][-1] == 84.0
    ranking = data["ranking"]["investment_yuan"]
    report = build_report(jiaxing["330400"], 2023, 7)
    rates = {c["org"]["code"]: c["metrics"]["investment_yuan"]["completion_rate"] for c in report["children"]}
    assert [r["code"] for r in ranking] == sorted(rates, key=lambda code: -rates[code])
    assert ranking[0]["value"] == round(max(rates.values()) * 100, 2)
    assert [r["code"] for r in data["ranking"]["projects"]] == ["330402"]  # Pinghu has no projects target


def test_a_month_without_data_shows_zeros_not_an_error(bureau_client, jiaxing):
    response = bureau_client.get("/?period=2021-03", **ZH)
    assert response.status_code == 200
    assert response.context["report"]["metrics"]["projects"]["actual"] == 0


# --- access ------------------------------------------------------------------------------------

def test_a_district_officer_sees_their_own_unit_by_default(nanhu_client, jiaxing):
    response = nanhu_client.get("/", **ZH)
    assert response.status_code == 200
    assert response.context["org"] == jiaxing["330402"]
    assert [c["name"] for c in response.context["breadcrumb"]] == ["南湖区"]
    html = page(response)
    assert "嘉兴市" not in html and "平湖市" not in html


def test_a_district_officer_may_drill_down_inside_their_subtree(nanhu_client, jiaxing):
    response = nanhu_client.get("/?org=NHGX&period=2023-07", **ZH)
    assert response.status_code == 200
    assert [c["name"] for c in response.context["breadcrumb"]] == ["南湖区", "南湖高新区"]


@pytest.mark.parametrize("code", ["330482", "330400", "NOSUCHUNIT"])
def test_a_district_officer_gets_not_found_outside_their_subtree(nanhu_client, jiaxing, code):
    response = nanhu_client.get(f"/?org={code}&period=2023-07", **ZH)
    assert response.status_code == 404
    assert "平湖" not in page(response)


def test_a_hidden_unit_and_a_missing_one_look_the_same(nanhu_client, jiaxing):
    hidden = nanhu_client.get("/?org=330482", **ZH)
    missing = nanhu_client.get("/?org=NOSUCHUNIT", **ZH)
    assert hidden.status_code == missing.status_code == 404

    def normalised(response, code):
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
        return html.replace(code, "CODE")

    assert normalised(hidden, "330482") == normalised(missing, "NOSUCHUNIT")


def test_an_account_without_a_unit_gets_a_plain_message(client, jiaxing, make_user):
    client.force_login(make_user("enterprise-user", "enterprise"))
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "not attached to an org unit" in page(response)


# --- language -----------------------------------------------------------------------------------

def test_the_page_is_chinese_by_default(bureau_client, jiaxing):
    html = page(bureau_client.get("/?period=2023-07"))
    assert '<html lang="zh-Hans">' in html
    assert "技改投资" in html and "超序时进度" in html
    assert build_report(jiaxing["330400"], 2023, 7)["narrative"]["zh"] in html
    assert "Technological-transformation investment" not in html


def test_switching_to_english_sticks(bureau_client, jiaxing):
    response = bureau_client.post("/i18n/setlang/", {"language": "en", "next": "/?period=2023-07"})
    assert response.status_code == 302 and response["Location"] == "/?period=2023-07"
    for _ in range(2):  # and stays English on the next page too
        html = page(bureau_client.get("/?period=2023-07"))
        assert '<html lang="en">' in html
        assert "Technological-transformation investment" in html and "Ahead of schedule" in html
        assert build_report(jiaxing["330400"], 2023, 7)["narrative"]["en"] in html
        assert "技改投资" not in html
        assert yuan_en(build_report(jiaxing["330400"], 2023, 7)["metrics"]["investment_yuan"]["actual"]) \
            == "103 million yuan"
        assert "103" in html and "million yuan" in html
    bureau_client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "技改投资" in page(bureau_client.get("/?period=2023-07"))


def test_english_unit_names_are_used_in_english(bureau_client, jiaxing):
    bureau_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = bureau_client.get("/?period=2023-07")
    assert [r["name"] for r in response.context["children"]] == ["Nanhu District", "Pinghu City"]


def test_the_login_page_is_translated(client, jiaxing):
    assert "登录" in page(client.get(reverse("login"), **ZH))
    client.post("/i18n/setlang/", {"language": "en", "next": reverse("login")})
    assert "Log in" in page(client.get(reverse("login")))


# --- period -------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["abc", "2023-13", "2023-00", "1999-12", "2023-7-1", "2023/07", "９９９９-01",
                                   "2023-07' OR 1=1", "x" * 5000])
def test_a_bad_period_gets_a_friendly_400(bureau_client, jiaxing, value):
    response = bureau_client.get("/", {"period": value}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "is not a valid period" in page(response)


def test_a_bad_period_is_explained_in_chinese_too(bureau_client, jiaxing):
    response = bureau_client.get("/", {"period": "2023-13"}, **ZH)
    assert response.status_code == 400
    assert "不是有效的" in page(response)


def test_a_one_digit_month_is_accepted(bureau_client, jiaxing):
    response = bureau_client.get("/", {"period": "2023-7"})
    assert response.status_code == 200 and response.context["period"] == "2023-07"


def test_the_period_picker_links_to_the_neighbouring_months(bureau_client, jiaxing):
    context = bureau_client.get("/?org=330402&period=2023-01").context
    assert context["prev_url"] == "/?org=330402&period=2022-12"
    assert context["next_url"] == "/?org=330402&period=2023-02"
