"""The bureau's three key tasks, as data (a requirement serves one of them)."""
from django.db import migrations

KEY_TASKS = (
    (1, "digital_path", "完善数字化改造路径，打造示范标杆",
     "Improve the digital transformation path and build demonstration benchmarks"),
    (2, "industry_models_sme", "打造细分行业数字化改造样本，推进中小企业轻量化改造",
     "Digital model demonstrations in sub-industries and lightweight transformation of SMEs"),
    (3, "green_retrofit", "推进绿色化改造，实施节能降碳技术改造，开展线下诊断",
     "Green transformation: energy-saving and carbon-reducing retrofits and offline diagnosis"),
)


def add_key_tasks(apps, schema_editor):
    KeyTask = apps.get_model("supervision", "KeyTask")
    for number, code, name_zh, name_en in KEY_TASKS:
        KeyTask.objects.update_or_create(code=code, defaults={"number": number, "name_zh": name_zh,
                                                              "name_en": name_en, "active": True})


def remove_key_tasks(apps, schema_editor):
    apps.get_model("supervision", "KeyTask").objects.filter(code__in=[t[1] for t in KEY_TASKS]).delete()


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]
    operations = [migrations.RunPython(add_key_tasks, remove_key_tasks)]
