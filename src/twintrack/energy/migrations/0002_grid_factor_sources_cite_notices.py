"""The shipped electricity CO2 factors cite the MEE/NBS notices (title, number, date and the
ministry's address) instead of the news pages they were first checked against (issue 15).

Only rows that still carry a shipped news-page citation change; each change is a history row."""
from django.db import migrations
from django.utils import timezone

NEWS_PAGES = ("daydaynews.cc", "163.com", "reportify.ai", "tanpaifang.com", "hfyfsb.com")
REASON = "sources cite the MEE/NBS notices"


def cite_notices(apps, schema_editor):
    from twintrack.energy.reference import grid_rows

    GridFactor = apps.get_model("energy", "GridFactor")
    History = apps.get_model("energy", "HistoricalGridFactor")
    shipped = {(r.scheme, r.data_year, r.region): r for r in grid_rows()}
    now = timezone.now()
    for factor in GridFactor.objects.all():
        row = shipped.get((factor.scheme, factor.data_year, factor.region))
        if row is None or not any(page in factor.source for page in NEWS_PAGES):
            continue
        factor.source, factor.published, factor.note = row.source, row.published, row.note
        GridFactor.objects.filter(pk=factor.pk).update(source=row.source, published=row.published, note=row.note)
        fields = {f.attname: getattr(factor, f.attname) for f in GridFactor._meta.concrete_fields}
        History.objects.create(**fields, history_date=now, history_type="~", history_change_reason=REASON)


class Migration(migrations.Migration):
    dependencies = [("energy", "0001_initial")]
    operations = [migrations.RunPython(cite_notices, migrations.RunPython.noop)]
