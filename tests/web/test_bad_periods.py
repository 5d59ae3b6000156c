"""One failure behaviour for a malformed period, everywhere: 400 with a translated page that
names the value (never a 500, never the default month in silence, never a 404)."""
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}

QUERY_PAGES = [  # pages that read ?period=YYYY-MM
    lambda: reverse("dashboard"),
    lambda: reverse("reports:bulletins"),
    lambda: reverse("monthly"),
    lambda: reverse("approvals"),
    lambda: reverse("quality"),
    lambda: reverse("quality_export"),
]
YEAR_PAGES = [  # pages that read ?year=YYYY
    lambda: reverse("orgunit_list"),
    lambda: reverse("orgunit_detail", args=["330402"]),
    lambda: reverse("energy:projects"),
    lambda: reverse("energy:year_basis"),
]
BAD_PATH = "2023-13"
PATH_GETS = [
    lambda: f"/bulletins/330402/{BAD_PATH}/zh/v1.docx",
    lambda: f"/bulletins/330402/{BAD_PATH}/zh/draft.pdf",
]
PATH_POSTS = [
    lambda: f"/bulletins/330402/{BAD_PATH}/publish/",
    lambda: f"/approvals/330402/{BAD_PATH}/submit/",
    lambda: f"/approvals/330402/{BAD_PATH}/approve/",
    lambda: f"/approvals/330402/{BAD_PATH}/reopen/",
]


def text(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("url", QUERY_PAGES)
def test_a_bad_period_in_the_query_is_a_400(bureau_client, jiaxing, url):
    response = bureau_client.get(url(), {"period": "2023-13"}, **EN)
    assert response.status_code == 400
    assert "“2023-13” is not a valid period" in text(response)


@pytest.mark.parametrize("url", QUERY_PAGES)
def test_a_good_period_in_the_query_is_not_refused(bureau_client, jiaxing, url):
    assert bureau_client.get(url(), {"period": "2023-07"}, **EN).status_code == 200


@pytest.mark.parametrize("url", YEAR_PAGES)
def test_a_bad_year_in_the_query_is_a_400(bureau_client, jiaxing, url):
    response = bureau_client.get(url(), {"year": "20x3"}, **EN)
    assert response.status_code == 400
    assert "“20x3” is not a valid period" in text(response)


@pytest.mark.parametrize("url", PATH_GETS)
def test_a_bad_period_in_the_path_is_a_400(bureau_client, jiaxing, url):
    response = bureau_client.get(url(), **EN)
    assert response.status_code == 400
    assert "is not a valid period" in text(response)


@pytest.mark.parametrize("url", PATH_POSTS)
def test_a_bad_period_in_a_posted_path_is_a_400(bureau_client, jiaxing, url):
    response = bureau_client.post(url(), {"lang": "zh", "reason": "x"}, **EN)
    assert response.status_code == 400
    assert "is not a valid period" in text(response)


def test_a_bad_period_in_the_upload_form_is_a_400(bureau_client, jiaxing):
    response = bureau_client.post(reverse("upload"), {"period": "2023-13", "kind": "progress"}, **EN)
    assert response.status_code == 400


def test_the_400_page_is_chinese_in_chinese(bureau_client, jiaxing):
    response = bureau_client.get(reverse("reports:bulletins"), {"period": "2023-13"}, **ZH)
    assert response.status_code == 400
    assert "统计期无效" in text(response) and "Invalid period" not in text(response)


def test_the_400_page_links_back_without_the_bad_period(bureau_client, jiaxing):
    response = bureau_client.get(reverse("quality"), {"org": "330402", "period": "2023-13"}, **EN)
    assert 'href="/quality/?org=330402"' in text(response)


@pytest.mark.parametrize("year", ["1999", "20x3"])
def test_a_bad_year_in_the_path_is_a_400(bureau_client, jiaxing, year):
    response = bureau_client.get(f"/units/330402/targets/{year}/", **EN)
    assert response.status_code == 400
    assert f"“{year}” is not a valid period" in text(response)


def test_the_400_page_also_serves_a_request_with_a_bad_host(client, settings):
    """handler400 answers every SuspiciousOperation too: it must not fail on a DisallowedHost."""
    settings.ALLOWED_HOSTS = ["testserver"]
    response = client.get("/", HTTP_HOST="evil.example", **EN)
    assert response.status_code == 400
