"""The diagnosis part of the demo: most enterprises assessed (some twice), Jushi Group's
demonstrations, a catalogue of a few dozen solutions, the logins; the same every time."""
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from twintrack.enterprises.services import load_industry_codes

    with django_db_blocker.unblock():
        with transaction.atomic():
            load_industry_codes()
            out = io.StringIO()
            call_command("demo", stdout=out)
            yield out.getvalue()
            transaction.set_rollback(True)


@pytest.fixture
def loaded(demo, db):
    return demo


def fingerprint():
    from twintrack.diagnosis.models import Assessment

    return list(Assessment.objects.order_by("enterprise__uscc", "framework_key", "assessed_on")
                .values_list("enterprise__uscc", "framework_key", "assessed_on", "kind", "overall_score", "level"))


def test_most_enterprises_are_assessed_and_some_twice(loaded):
    from twintrack.diagnosis.models import Assessment
    from twintrack.enterprises.models import Enterprise

    firms = Enterprise.objects.count()
    miit = Assessment.objects.filter(framework_key="miit_sme_digital_2022")
    assessed = miit.values("enterprise").distinct().count()
    assert assessed > firms * 0.6
    per_firm = Counter(miit.values_list("enterprise", flat=True))
    twice = sum(1 for n in per_firm.values() if n == 2)
    assert firms * 0.15 < twice < assessed
    assert set(miit.values_list("stage", flat=True)) == {"baseline", "follow_up"}
    assert set(miit.values_list("kind", flat=True)) == {"self", "offline"}
    assert miit.filter(is_latest=True).count() == assessed
    # every level of the framework occurs
    assert set(miit.filter(is_latest=True).values_list("level", flat=True)) >= {1, 2, 3, 4}
    assert not miit.filter(kind="offline", provider__isnull=True).exists()
    assert miit.filter(kind="offline").exclude(pain_points="").exists()


def test_jushi_group_its_demonstrations_and_its_login(loaded):
    from twintrack.diagnosis.models import Assessment, Demonstration
    from twintrack.orgs.models import Membership

    jushi = Membership.objects.get(user__username="jushi")
    assert (jushi.role, jushi.enterprise.name_zh) == ("enterprise", "巨石集团有限公司")
    levels = list(Assessment.objects.filter(enterprise=jushi.enterprise, framework_key="miit_sme_digital_2022")
                  .order_by("assessed_on").values_list("level", flat=True))
    assert levels == [3, 4]  # level 3 before support, level 4 after
    assert Assessment.objects.filter(enterprise=jushi.enterprise, framework_key="gbt39116_2020").exists()
    kinds = set(Demonstration.objects.filter(enterprise=jushi.enterprise, status="designated")
                .values_list("kind", flat=True))
    assert "future_factory" in kinds
    assert Demonstration.objects.filter(status="designated", open_for_visits=True).count() >= 5
    assert Demonstration.objects.filter(status="nominated").exists()


def test_the_catalogue_the_provider_login_and_the_adoptions(loaded):
    from twintrack.diagnosis.models import Solution, SolutionAdoption
    from twintrack.diagnosis.services import active_assignments
    from twintrack.orgs.models import Membership

    assert 24 <= Solution.objects.count() <= 60
    assert Solution.objects.filter(kind="saas", lightweight=True).count() >= 8
    provider = Membership.objects.get(user__username="fuwushang1")
    assert provider.role == "provider"
    assert 3 <= active_assignments().filter(provider=provider.provider).count() <= 10
    assert SolutionAdoption.objects.filter(status="completed", solution__lightweight=True,
                                           enterprise__size__in=("medium", "small", "micro")).count() >= 10
    assert "jushi" in loaded and "fuwushang1" in loaded  # the logins are listed


@pytest.mark.filterwarnings("ignore:No directory at:UserWarning")
def test_the_demo_logins_work(loaded, client):
    from django.urls import reverse

    from twintrack.orgs.models import Membership

    def log_in(username):
        response = client.post(reverse("login"), {"username": username, "password": "twintrack-demo"})
        assert response.status_code == 302, username

    log_in("jushi")
    response = client.get(reverse("diagnosis:home"))
    jushi = Membership.objects.get(user__username="jushi").enterprise
    assert response["Location"] == reverse("diagnosis:enterprise", args=[jushi.pk])
    assert client.get(response["Location"]).status_code == 200
    client.logout()
    log_in("fuwushang1")
    assert client.get(reverse("diagnosis:home")).status_code == 200


def test_the_demo_is_the_same_every_time(loaded):
    from twintrack.diagnosis.demo import load_diagnosis_demo
    from twintrack.diagnosis.models import (
        Assessment, Demonstration, ProviderAssignment, ServiceProvider, Solution, SolutionAdoption,
    )

    first = fingerprint()
    with transaction.atomic():
        for model in (SolutionAdoption, Demonstration):
            model.objects.all().delete()
        Assessment.objects.all().update(is_latest=False)
        for model in ("answers", "dimension_scores", "reports"):
            getattr(Assessment, model).rel.related_model.objects.all().delete()
        Assessment.objects.all().delete()
        ProviderAssignment.objects.all().delete()
        Solution.objects.all().delete()
        from twintrack.orgs.models import Membership

        Membership.objects.filter(provider__isnull=False).update(provider=None)
        ServiceProvider.objects.all().delete()
        load_diagnosis_demo()
        assert fingerprint() == first
        transaction.set_rollback(True)
