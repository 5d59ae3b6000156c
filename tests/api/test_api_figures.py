"""Reports and quality through the API are the command line's JSON; bulletins serve the bytes
stored when they were published."""
import hashlib
import io
import json

import pytest
from django.core.management import call_command


def cli_json(command: str, *args) -> dict:
    out = io.StringIO()
    call_command(command, *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_the_report_of_every_demo_unit_equals_twintrack_report_json(api):
    from twintrack.orgs.models import OrgUnit

    bureau = api("bureau")
    codes = list(OrgUnit.objects.order_by("code").values_list("code", flat=True))
    assert len(codes) == 10
    for code in codes:
        response = bureau.get(f"/reports/{code}/2023-07")
        assert response.status_code == 200 and response["Content-Type"] == "application/json"
        assert json.loads(response.content) == cli_json("report", "--period", "2023-07", "--org", code), code
    approved = bureau.get("/reports/330400/2023-07", {"approved_only": "true"})
    assert json.loads(approved.content) == cli_json("report", "--period", "2023-07", "--org", "330400",
                                                    "--approved-only")
    assert json.loads(approved.content) != json.loads(bureau.get("/reports/330400/2023-07").content)


def test_a_report_asked_again_comes_from_the_cache(api, django_assert_max_num_queries):
    bureau = api("bureau")
    bureau.get("/reports/330400/2023-03")  # the worker learns that the view's answers may be kept
    first = bureau.get("/reports/330402/2023-03").content
    with django_assert_max_num_queries(1):  # the token's state with the data versions (web.pagecache)
        again = bureau.get("/reports/330402/2023-03")
    assert again.content == first and again["X-Page-Cache"] == "hit"


def test_a_district_reads_its_own_report_as_the_cli_prints_it(api):
    nanhu = api("district")
    assert json.loads(nanhu.get("/reports/330402/2023-07").content) == cli_json(
        "report", "--period", "2023-07", "--org", "330402")


@pytest.mark.parametrize("code", ["330400", "330402"])
def test_quality_equals_twintrack_quality_json(api, code):
    response = api("bureau").get(f"/quality/{code}/2023-07")
    assert response.status_code == 200
    assert json.loads(response.content) == cli_json("quality", "--period", "2023-07", "--org", code)


def test_bulletins_list_the_published_versions_and_serve_their_stored_bytes(api):
    from django.contrib.auth import get_user_model

    from twintrack.orgs.models import OrgUnit
    from twintrack.reports.models import BulletinFile
    from twintrack.jobs.worker import run_pending
    from twintrack.reports.publishing import publish_bulletin

    bureau_user = get_user_model().objects.get(username="bureau")
    nanhu = OrgUnit.objects.get(code="330402")
    bulletin = publish_bulletin(nanhu, 2023, 7, bureau_user, lang="zh", reason="")
    run_pending()  # the worker renders the files
    district = api("district")
    listing = json.loads(district.get("/bulletins/330402/2023-07").content)
    assert listing["count"] == 1
    version = listing["results"][0]
    assert (version["version"], version["lang"], version["org"], version["period"]) == (1, "zh", "330402", "2023-07")
    assert {f["format"] for f in version["files"]} == {"xlsx", "docx", "pdf"}
    for entry in version["files"]:
        stored = BulletinFile.objects.get(bulletin=bulletin, format=entry["format"])
        response = district.client.get(entry["url"], **district.headers())
        assert response.status_code == 200 and response.content == bytes(stored.content)
        assert hashlib.sha256(response.content).hexdigest() == entry["sha256"] == response["X-Bulletin-SHA256"]
        assert response["Content-Type"] == stored.content_type
    assert json.loads(district.get("/bulletins/330402/2023-07", {"lang": "en"}).content)["count"] == 0
    for missing in ("/bulletins/330402/2023-07/2/pdf", "/bulletins/330402/2023-07/1/pdf?lang=en"):
        assert district.get(missing).status_code == 404
    assert api("other_district").get("/bulletins/330402/2023-07/1/pdf").status_code == 404
    assert district.get("/bulletins/330402/2023-07/1/odt").status_code == 422
