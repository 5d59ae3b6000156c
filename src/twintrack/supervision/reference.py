"""Reference data of the supervision app: the bureau's three key tasks.

The data migration 0002_key_tasks seeds them; `seed_key_tasks()` puts them back where a
database was emptied without migrating again (a test that flushed its tables, say)."""
from __future__ import annotations

KEY_TASKS = (
    (1, "digital_path", "完善数字化改造路径，打造示范标杆",
     "Improve the digital transformation path and build demonstration benchmarks"),
    (2, "industry_models_sme", "打造细分行业数字化改造样本，推进中小企业轻量化改造",
     "Digital model demonstrations in sub-industries and lightweight transformation of SMEs"),
    (3, "green_retrofit", "推进绿色化改造，实施节能降碳技术改造，开展线下诊断",
     "Green transformation: energy-saving and carbon-reducing retrofits and offline diagnosis"),
)


def seed_key_tasks() -> int:
    """Create the key tasks that are missing (never changes existing ones); returns how many were made."""
    from twintrack.supervision.models import KeyTask

    made = 0
    for number, code, name_zh, name_en in KEY_TASKS:
        _task, created = KeyTask.objects.get_or_create(code=code, defaults={"number": number, "name_zh": name_zh,
                                                                            "name_en": name_en})
        made += created
    return made
