"""Helpers shared by the diagnosis tests (not fixtures)."""
from __future__ import annotations

import json
from pathlib import Path

PASSWORD = "correct-horse-battery"
FRAMEWORK_DIR = Path(__file__).resolve().parents[2] / "src" / "twintrack" / "data" / "frameworks"

BENCH = {
    "format": "twintrack-framework/1", "key": "bench", "version": "1",
    "name": {"zh": "对标测试", "en": "Bench test"},
    "scoring": {"method": "weighted_mean", "scale_max": 100, "decimals": 2},
    "levels": {"boundary": "lower_inclusive",
               "bands": [{"level": n, "code": f"B{n}", "name": {"zh": f"{n}级", "en": f"Level {n}"}, "min": lo,
                          "max": hi} for n, lo, hi in ((1, 20, 40), (2, 40, 60), (3, 60, 80), (4, 80, None))]},
    "dimensions": [
        {"code": code, "name": {"zh": zh, "en": en}, "weight": 1, "questions": [
            {"code": code.upper(), "text": {"zh": zh, "en": en},
             "options": [{"code": f"s{v}", "text": {"zh": str(v), "en": str(v)}, "score": v} for v in range(0, 101, 10)]}]}
        for code, zh, en in (("a", "甲", "A"), ("b", "乙", "B"))
    ],
}


def miit_data() -> dict:
    return json.loads((FRAMEWORK_DIR / "miit_sme_digital_2022.json").read_text("utf-8"))


def uscc_for(seed: int, region: str = "330402") -> str:
    from stdnum.cn import uscc

    body = f"91{region}MA{seed:07d}"[:17]
    return body + uscc.calc_check_digit(body)


def uniform_answers(framework, index: int) -> dict:
    """Every question of a framework answered with its option number `index` (0-based)."""
    from twintrack.diagnosis.frameworks import spec_of

    return {q.code: q.options[index].code for q in spec_of(framework).questions()}
