"""Every URL of the app, as every kind of user: who gets 200, 302, 403 or 404.

The URL conf is walked, so a page cannot be forgotten: each named pattern of every app must
be classified in its app's table, tests/access_tables/<app>.py (format:
tests/access_tables/url_access.py), and each classified case is requested as each viewer, in a savepoint rolled back after each request.
"""
from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from access_tables.url_access import VIEWERS, cases_of

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


def walk(patterns, namespace: str | None = None, prefix: str = ""):
    """(qualified name or None, route) of every pattern, through every include()."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern.url_patterns, inner, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield name, prefix + str(pattern.pattern)


def url_names() -> dict[str, str]:
    return {name: route for name, route in walk(get_resolver().url_patterns) if name}


def unnamed_routes() -> list[str]:
    return [route for name, route in walk(get_resolver().url_patterns) if not name]


def tables() -> dict[str, tuple[str, object]]:
    """Every app's classification: url name -> (app, entry)."""
    merged: dict[str, tuple[str, object]] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("twintrack."):
            continue
        try:
            module = importlib.import_module(f"access_tables.{config.label}")
        except ModuleNotFoundError as error:
            if error.name != f"access_tables.{config.label}":
                raise
            continue
        for name, entry in module.URLS.items():
            assert name not in merged, f"{name} is classified twice ({merged[name][0]} and {config.name})"
            merged[name] = (config.name, entry)
    return merged


def test_every_url_is_named_and_classified():
    names, classified = url_names(), tables()
    unclassified = sorted(set(names) - set(classified))
    assert unclassified == [], (
        "URLs without an access classification (add each to its app's tests/access_tables/<app>.py; "
        f"see tests/access_tables/url_access.py): {[(n, names[n]) for n in unclassified]}")
    assert unnamed_routes() == [], "every URL pattern needs a name to be classified"
    stale = sorted(set(classified) - set(names))
    assert stale == [], f"classified URLs that no longer exist: {stale}"


CLASSIFIED = sorted(set(url_names()) & set(tables()))


def request_as(client: Client, case, url: str, data: dict):
    if case.method == "GET":
        return client.get(url, data)
    return client.generic(case.method, url) if not data and case.method not in ("POST",) else client.post(url, data)


# Tables a refused request may still write: the login session and the login-throttling log.
UNWATCHED_TABLES = ("django_session", "axes_")


def database_state() -> dict[str, str]:
    """Every table's rows, as a digest per table: what a refused write must leave untouched."""
    import hashlib

    state = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table.startswith(UNWATCHED_TABLES):
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = sorted(repr(row) for row in cursor.fetchall())
            state[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return state


def refused(case, viewer: str) -> bool:
    """A write this viewer must not be able to make (anonymous users are sent to the login page)."""
    return case.method != "GET" and (viewer == "anonymous" or case.expect[viewer] in (403, 404, 405))


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(table for table in before.keys() | after.keys() if before.get(table) != after.get(table))


@pytest.mark.parametrize("name", CLASSIFIED)
def test_who_gets_what(name, world):
    """Each case as each viewer; a write refused to a viewer must also leave every table as it was."""
    app, entry = tables()[name]
    wrong = []
    for number, case in enumerate(cases_of(entry)):
        for viewer in VIEWERS:
            user = world.users[viewer]
            with transaction.atomic():
                client = Client()
                if user is not None:
                    client.force_login(user)
                url = reverse(name, kwargs=case.kwargs(world))
                query = case.query(world) if callable(case.query) else case.query
                if query:
                    url += "?" + query
                data = case.data(world) if case.data else {}  # may build objects: before the snapshot
                watched = refused(case, viewer)
                before = database_state() if watched else None
                try:
                    status = request_as(client, case, url, data).status_code
                except Exception as error:  # noqa: BLE001 - report every failure of the table at once
                    status = f"{type(error).__name__}: {error}"
                touched = changed_tables(before, database_state()) if watched else []
                transaction.set_rollback(True)
            if status != case.expect[viewer]:
                wrong.append(f"case {number} {case.method} {url} as {viewer}: got {status}, "
                              f"expected {case.expect[viewer]}")
            if touched:
                wrong.append(f"case {number} {case.method} {url} as {viewer} was refused but changed {touched}")
    assert wrong == [], f"{name} ({app}):\n" + "\n".join(wrong)


def test_the_write_check_sees_a_change(world):
    """The before/after comparison above is not blind: a real write shows up in it."""
    from twintrack.programme.models import Progress

    with transaction.atomic():
        before = database_state()
        Progress.objects.filter(pk=world.progress.pk).update(note="changed")
        after = database_state()
        transaction.set_rollback(True)
    assert "programme_progress" in changed_tables(before, after)


def test_another_district_cannot_find_anything_of_nanhu_by_guessing(world):
    """Pinghu's officer asks for Nanhu's objects by id: every answer is 404, as for ids that do not exist."""
    client = Client()
    client.force_login(world.users["other_district"])
    urls = [reverse("enterprise_detail", args=[world.enterprise.pk]), reverse("project_detail", args=[world.project.pk]),
            reverse("orgunit_detail", args=[world.org.code]), reverse("history", args=["progress", world.progress.pk]),
            reverse("dashboard") + f"?org={world.org.code}", reverse("enterprise_detail", args=[999999]),
            reverse("project_detail", args=[999999])]
    assert [client.get(url).status_code for url in urls] == [404] * len(urls)
    listing = client.get(reverse("enterprise_list")).content.decode()
    assert world.enterprise.name_zh not in listing and world.other_enterprise.name_zh in listing
