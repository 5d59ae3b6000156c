"""Progress history loses its history_date and history_user indexes (programme.models.ProgressHistory).

The state changes as makemigrations wrote it; the database drops the two indexes by name (the
names Django gave them in 0001, the same on SQLite and PostgreSQL) instead of AlterField's way,
which on SQLite copies the whole table (10^7 rows at province scale) to drop an index."""
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TABLE = "programme_historicalprogress"
DROPPED = {"programme_historicalprogress_history_date_00dccce6": "history_date",
           "programme_historicalprogress_history_user_id_b2aa0cb1": "history_user_id"}


class Migration(migrations.Migration):

    dependencies = [
        ('programme', '0004_progress_key_covers_investment'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='historicalprogress',
                    name='history_date',
                    field=models.DateTimeField(),
                ),
                migrations.AlterField(
                    model_name='historicalprogress',
                    name='history_user',
                    field=models.ForeignKey(db_constraint=False, db_index=False, null=True,
                                            on_delete=django.db.models.deletion.SET_NULL, related_name='+',
                                            to=settings.AUTH_USER_MODEL),
                ),
            ],
            database_operations=[
                migrations.RunSQL(f"DROP INDEX IF EXISTS {name}", f"CREATE INDEX {name} ON {TABLE} ({column})")
                for name, column in DROPPED.items()
            ],
        ),
    ]
