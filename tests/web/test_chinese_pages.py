"""Chinese pages speak Chinese (issue 15): every page of the URL access tables, opened by the
bureau in 简体中文 on the demo city, shows no English word, internal key (snake_case,
dotted or file paths) or raw identifier in its visible text, outside the allow-list below.

The pages are the GET cases of tests/access_tables/ that the bureau opens (200), with their
objects taken from the demo (a Nanhu enterprise and its project with monthly figures and
energy carrier lines), so lists, tables and charts have rows. Visible text is what a reader
sees: text nodes outside script/style/template, and the placeholder, title and alt texts.
"""
from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from access_tables.url_access import cases_of

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

# Latin words a Chinese page may show, each for a reason:
ALLOWED = {
    # units and quantities, as the standards and the bulletins write them
    "tce", "kgce", "gce", "kWh", "MWh", "kg", "t", "m", "MJ", "GJ", "kJ", "TJ", "tC", "kcal", "CO", "yuan",
    # file formats and the programs people open them in
    "XLSX", "CSV", "PDF", "DOCX", "JSON", "Excel", "WPS", "xlsx", "csv", "pdf", "docx", "json", "jpg", "png", "doc",
    # standards, institutions and methods cited by their own names
    "GB", "T", "GB/T", "MEE", "NBS", "MIIT", "IPMVP", "IPCC", "SaaS", "USCC", "PUE",
    # products and services named as their makers name them
    "twintrack", "DingTalk", "WeCom", "SMTP", "HMAC", "SHA", "Webhook", "webhook", "https", "http", "www",
    # the HTTP API, as Chinese developer documentation names it (数据接口 API, OpenAPI)
    "API", "HTTP", "OpenAPI",
    # the language switch names English in English
    "English",
    # sizes of files, as upload limits state them
    "MB", "KB", "JPEG", "PNG",
    # the systems of a factory, as Chinese manufacturers name them (MES 制造执行系统, ...)
    "MES", "ERP", "CRM", "APS", "CAD", "PDM", "PLM", "EMS", "SMT", "SCADA", "PLC", "WMS", "QMS", "AGV", "IoT",
    # a name the access tables' own cases give the records they create
    "ACCESS-TABLE",
    # months in ISO form (YYYY-MM) and the period picker's example
    "YYYY", "MM", "DD",
}
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_./\-]*[A-Za-z0-9_]|[A-Za-z]")
URL = re.compile(r"https?://\S+|www\.\S+|[a-z0-9.-]+\.(?:gov\.cn|com|cn|org)(?:/\S*)?")
EMAIL = re.compile(r"\S+@\S+")
DATE_HINT = re.compile(r"YYYY(-MM(-DD)?)?")
FILE_TYPES = ("xlsx", "csv", "pdf", "docx", "json", "png", "jpg")


class VisibleText(HTMLParser):
    HIDDEN = {"script", "style", "template", "noscript"}
    SHOWN_ATTRIBUTES = ("placeholder", "title", "alt")

    def __init__(self):
        super().__init__()
        self.hidden = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        for name, value in attrs:
            if name in self.SHOWN_ATTRIBUTES and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.parts.append(data)


def visible_text(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.parts


def foreign_words(text: str, names: set[str]) -> list[str]:
    """The words of `text` a Chinese reader should not meet."""
    text = EMAIL.sub(" ", URL.sub(" ", text))
    wrong = []
    for word in WORD.findall(text):
        word = word.rstrip(".-/")
        if not word:
            continue
        if "_" in word:
            wrong.append(word)  # an internal key
        elif "/" in word and "." not in word and word != "GB/T":
            wrong += foreign_words(word.replace("/", " "), names)  # units and pairs: kJ/kg, PDM/PLM
        elif "/" in word and "." in word or re.fullmatch(r"[a-z]+(\.[a-z]+)+", word):
            if word.rsplit(".", 1)[-1].lower() not in FILE_TYPES:
                wrong.append(word)  # a dotted or file path
        elif any(c.isdigit() for c in word) or word in ALLOWED or word in names or DATE_HINT.fullmatch(word):
            continue  # a code, a unit, a name, a date format
        elif len(word) == 1 and word.isupper():
            continue  # a letter as a code: section C of GB/T 4754, appendix A, level A
        else:
            wrong.append(word)
    return wrong


class DemoWorld:
    """The access tables' world (tests/access_tables/url_access.py) taken from the demo city."""


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker):
    from django.contrib.auth import get_user_model

    from twintrack.energy.models import EnergyLine
    from twintrack.enterprises.services import load_industry_codes
    from twintrack.orgs.models import Membership, OrgUnit
    from twintrack.programme.models import Target

    with django_db_blocker.unblock():
        with transaction.atomic():
            load_industry_codes()
            call_command("demo", stdout=io.StringIO())
            w = DemoWorld()
            w.orgs = {o.code: o for o in OrgUnit.objects.all()}
            w.org, w.other_org = w.orgs["330402"], w.orgs["330482"]
            line = EnergyLine.objects.filter(project__enterprise__org=w.org).select_related("project").first()
            w.project = line.project
            w.enterprise = w.project.enterprise
            w.other_project = EnergyLine.objects.filter(project__enterprise__org=w.other_org).first().project
            w.other_enterprise = w.other_project.enterprise
            w.progress = w.project.progress.order_by("year", "month").first()
            w.target = Target.objects.filter(org=w.org).first()
            w.year, w.month, w.period = 2023, 7, "2023-07"
            User = get_user_model()
            w.users = {"bureau": User.objects.get(username="bureau"), "district": User.objects.get(username="nanhu"),
                       "other_district": User.objects.get(username="pinghu")}
            Membership.objects.filter(user=w.users["bureau"]).update(language="zh-hans", password_change_required=False)
            w.users["bureau"].refresh_from_db()
            yield w
            transaction.set_rollback(True)


def bureau_pages():
    """(url name, case) of every GET case the bureau opens."""
    from test_url_access import tables

    for name, (_app, entry) in sorted(tables().items()):
        for number, case in enumerate(cases_of(entry)):
            if case.method == "GET" and case.expect["bureau"] == 200:
                yield pytest.param(name, number, id=f"{name}-{number}")


@pytest.mark.parametrize("name, number", list(bureau_pages()))
def test_a_chinese_page_shows_no_english_or_internal_keys(name, number, demo_world, db):
    from django.contrib.auth import get_user_model

    from test_url_access import tables
    from twintrack.orgs.models import OrgUnit

    case = cases_of(tables()[name][1])[number]
    client = Client()
    client.force_login(demo_world.users["bureau"])
    url = reverse(name, kwargs=case.kwargs(demo_world))
    query = case.query(demo_world) if callable(case.query) else case.query
    response = client.get(url + (f"?{query}" if query else ""))
    assert response.status_code == 200, url
    if "html" not in response.get("Content-Type", ""):
        return  # a download: its own tests read it
    names = set(get_user_model().objects.values_list("username", flat=True))
    names |= set(OrgUnit.objects.values_list("code", flat=True))
    names |= {word for (name,) in OrgUnit.objects.values_list("name_en") for word in name.split()}
    wrong = {}  # word -> where it was seen
    for part in visible_text(response.content.decode()):
        for word in foreign_words(part, names):
            wrong.setdefault(word, " ".join(part.split())[:120])
    assert wrong == {}, f"{url}: " + "; ".join(f"{w} in «{where}»" for w, where in sorted(wrong.items()))
