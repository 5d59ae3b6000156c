"""The findings of the security probe (issue 12), one test each, so none can come back."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from jobhelp import post_upload

from twintrack.orgs.access import scope_root

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


def account_form(username: str, role: str, org: str = "", **extra) -> dict:
    return {"username": username, "full_name": "", "role": role, "org": org, "enterprise": "", "is_active": "on",
            "password1": "Qz8!long-enough-pass", "password2": "Qz8!long-enough-pass", **extra}


@pytest.fixture
def pinghu_bureau(world, make_user):
    """A bureau account tied to Pinghu (330482): it sees Pinghu only."""
    return make_user("pinghu-bureau", "bureau", world.other_org)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- 1. a bureau account limited to one unit cannot widen anybody's scope, its own included ----

def test_a_unit_bureau_cannot_create_a_city_wide_bureau_account(world, pinghu_bureau):
    response = logged_in(pinghu_bureau).post(reverse("user_create"), account_form("wider", "bureau"))
    assert response.status_code == 400
    assert not get_user_model().objects.filter(username="wider").exists()


def test_a_unit_bureau_cannot_create_an_account_for_a_unit_outside_its_own(world, pinghu_bureau):
    response = logged_in(pinghu_bureau).post(reverse("user_create"), account_form("nanhu2", "district", "330402"))
    assert response.status_code == 400
    assert not get_user_model().objects.filter(username="nanhu2").exists()


def test_a_unit_bureau_can_create_accounts_inside_its_unit(world, pinghu_bureau):
    response = logged_in(pinghu_bureau).post(reverse("user_create"), account_form("pinghu2", "district", "330482"))
    assert response.status_code == 302
    assert scope_root(get_user_model().objects.get(username="pinghu2")) == world.other_org


def test_a_unit_bureau_cannot_widen_its_own_account(world, pinghu_bureau):
    form = account_form("pinghu-bureau", "bureau")
    response = logged_in(pinghu_bureau).post(reverse("user_edit", args=[pinghu_bureau.pk]), form)
    assert response.status_code == 400
    pinghu_bureau = get_user_model().objects.get(pk=pinghu_bureau.pk)
    assert scope_root(pinghu_bureau) == world.other_org
    assert logged_in(pinghu_bureau).get(reverse("dashboard") + "?org=330402").status_code == 404


def test_a_bureau_cannot_change_the_unit_of_its_own_account_even_downwards(world):
    bureau = world.users["bureau"]
    form = account_form("bureau", "bureau", "330402")
    response = logged_in(bureau).post(reverse("user_edit", args=[bureau.pk]), form)
    assert response.status_code == 400
    assert scope_root(get_user_model().objects.get(pk=bureau.pk)) == world.orgs["330400"]


def test_a_unit_bureau_cannot_widen_another_account_it_manages(world, pinghu_bureau, make_user):
    officer = make_user("pinghu-officer", "district", world.other_org)
    form = account_form("pinghu-officer", "bureau")
    response = logged_in(pinghu_bureau).post(reverse("user_edit", args=[officer.pk]), form)
    assert response.status_code == 400
    assert scope_root(get_user_model().objects.get(pk=officer.pk)) == world.other_org


def test_the_city_bureau_may_still_create_a_city_wide_bureau_account(world):
    response = logged_in(world.users["bureau"]).post(reverse("user_create"), account_form("deputy", "bureau"))
    assert response.status_code == 302
    assert scope_root(get_user_model().objects.get(username="deputy")) == world.orgs["330400"]


# --- 4. behind a proxy, the lockout counts each client, not the proxy ----------------------

@pytest.mark.parametrize("proxies, forwarded, expected", [
    (0, "198.51.100.7", "10.0.0.1"),                      # no proxy: the header is the client's word only
    (1, "198.51.100.7", "198.51.100.7"),                  # one proxy: the address it saw
    (1, "6.6.6.6, 198.51.100.7", "198.51.100.7"),         # a forged entry on the left is ignored
    (2, "6.6.6.6, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
    (2, "198.51.100.7", "10.0.0.1"),                      # shorter than the proxy chain: the peer
    (1, "not-an-address", "10.0.0.1"),
])
def test_the_client_address_comes_from_the_configured_proxy_depth(settings, rf, proxies, forwarded, expected):
    from twintrack.web.security import client_address

    settings.TWINTRACK_PROXY_COUNT = proxies
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.1")
    assert client_address(request) == expected


def test_behind_a_proxy_one_clients_wrong_passwords_do_not_lock_another_client(settings, world, password):
    settings.TWINTRACK_PROXY_COUNT = 1
    attacker, officer = Client(REMOTE_ADDR="127.0.0.1"), Client(REMOTE_ADDR="127.0.0.1")
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        attacker.post(reverse("login"), {"username": "bureau", "password": "wrong-password"},
                      HTTP_X_FORWARDED_FOR="203.0.113.66")
    locked = attacker.post(reverse("login"), {"username": "bureau", "password": password},
                           HTTP_X_FORWARDED_FOR="203.0.113.66")
    assert locked.status_code == 429
    response = officer.post(reverse("login"), {"username": "bureau", "password": password},
                            HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 302


# --- 3. a small workbook that unpacks to something huge never reaches a parser -------------------

def packed(parts: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return buffer.getvalue()


def workbook_parts(shared_strings: bytes = b"<sst/>", sheet_prolog: bytes = b"") -> dict[str, bytes]:
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["project_code", "month", "investment_yuan"])
    book.active.append(["P1", "2023-08", 5])
    buffer = io.BytesIO()
    book.save(buffer)
    import zipfile

    with zipfile.ZipFile(buffer) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    parts["xl/sharedStrings.xml"] = shared_strings
    parts["xl/worksheets/sheet1.xml"] = sheet_prolog + parts["xl/worksheets/sheet1.xml"]
    return parts


def upload_as_district(world, content: bytes, name: str = "progress.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = logged_in(world.users["district"])
    response = post_upload(client, {"kind": "progress", "file": SimpleUploadedFile(name, content)})
    return client, response


def test_a_workbook_packed_far_beyond_any_real_one_is_refused_before_parsing(world, monkeypatch):
    import openpyxl

    bomb = packed(workbook_parts(shared_strings=b"<sst><si><t>" + b"A" * (40 * 1024 * 1024) + b"</t></si></sst>"))
    assert len(bomb) < 200 * 1024
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("a parser opened the bomb"))
    client, response = upload_as_district(world, bomb)
    assert response.status_code == 302 and response["Location"] == reverse("monthly")
    assert "打包方式" in client.get(reverse("monthly")).content.decode()  # the page says why, in Chinese


def test_a_workbook_declaring_xml_entities_is_refused(world):
    prolog = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
    client, response = upload_as_district(world, packed(workbook_parts(sheet_prolog=prolog)))
    assert response["Location"] == reverse("monthly")


def test_the_total_unpacked_size_is_bounded(world, settings):
    settings.TWINTRACK_MAX_UNCOMPRESSED_BYTES = 64 * 1024
    notes = b"<sst>" + b"".join(b"<si><t>%d</t></si>" % n for n in range(20000)) + b"</sst>"
    client, response = upload_as_district(world, packed(workbook_parts(shared_strings=notes)))
    assert response["Location"] == reverse("monthly")


def test_the_command_line_reader_applies_the_same_bounds(tmp_path):
    from twintrack.imports.errors import FileRejected
    from twintrack.imports.reading import open_table

    path = tmp_path / "bomb.xlsx"
    path.write_bytes(packed(workbook_parts(shared_strings=b"<sst><si><t>" + b"A" * (40 * 1024 * 1024) +
                                                          b"</t></si></sst>")))
    with pytest.raises(FileRejected):
        with open_table(path, "progress", "bomb.xlsx"):
            pass


def test_an_ordinary_workbook_passes_the_bounds(world):
    client, response = upload_as_district(world, packed(workbook_parts()))
    assert response["Location"] != reverse("monthly")  # on to its preview


def test_an_excel_workbook_named_csv_is_told_to_be_renamed(world):
    client, response = upload_as_district(world, packed(workbook_parts()), name="progress.csv")
    page = client.get(reverse("monthly")).content.decode()
    assert response["Location"] == reverse("monthly") and ".xlsx" in page


# --- 8. a damaged workbook's message names neither a server path nor the parser's internals ------

def test_a_damaged_workbook_says_what_to_do_and_nothing_about_the_server(world, settings):
    parts = workbook_parts()
    parts["xl/worksheets/sheet1.xml"] = b"<worksheet"
    client, response = upload_as_district(world, packed(parts))
    page = client.get(response["Location"], follow=True).content.decode()
    assert str(settings.VAR_DIR) not in page and "uploads/" not in page
    assert "unclosed token" not in page and "line 1" not in page
