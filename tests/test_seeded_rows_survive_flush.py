"""The rows the data migrations seed are there for every test, whatever ran before it on the
same worker: a transactional test's flush is followed by the conftest's reseeding."""
import pytest


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_ends_with_a_flush():
    from twintrack.quality.models import QualityRule

    assert QualityRule.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_next_test_still_finds_the_seeded_rows():
    from twintrack.metrics.models import DataVersion
    from twintrack.quality.models import QualityRule, QualitySettings
    from twintrack.supervision.models import KeyTask

    assert QualityRule.objects.filter(key="spike").exists() and QualitySettings.objects.exists()
    assert KeyTask.objects.count() == 3 and DataVersion.objects.filter(id=1).exists()
