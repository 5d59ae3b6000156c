from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('metrics', '0004_unit_versions'),
    ]

    operations = [
        migrations.AddField(
            model_name='unitversion',
            name='attention',
            field=models.BigIntegerField(default=0),
        ),
    ]
