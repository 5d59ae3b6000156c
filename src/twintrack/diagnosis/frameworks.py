"""Loading framework files into the database, and the scoring spec of a stored version.

A framework version is identified by (key, version). Loading the same file twice does
nothing; loading different content under a version already loaded is refused (give it a new
version); a new version becomes the current one for new assessments, and assessments
already scored keep the version they were scored with.
"""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import resources
from pathlib import Path

from django.db import transaction

from twintrack.diagnosis.models import Dimension, Framework, Level, Option, Question
from twintrack.diagnosis.scoring import FrameworkError, FrameworkSpec, parse_framework

SHIPPED = ("miit_sme_digital_2022.json", "gbt39116_2020.json")
MAX_FILE_BYTES = 2 * 1024 * 1024


def read_framework_bytes(content: bytes) -> dict:
    """The JSON object of a framework file (UTF-8, a byte-order mark allowed)."""
    if len(content) > MAX_FILE_BYTES:
        raise FrameworkError([f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB"])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FrameworkError(["the file is not UTF-8 text"]) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise FrameworkError([f"not valid JSON: line {error.lineno}, column {error.colno}: {error.msg}"]) from None


def read_framework_file(path: str | Path) -> dict:
    return read_framework_bytes(Path(path).read_bytes())


def checksum_of(data: dict) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@transaction.atomic
def load_framework(data: dict, user=None, make_current: bool = True) -> tuple[Framework, bool]:
    """Store one framework version; returns (framework, created). FrameworkError if invalid or
    if the version exists with other content."""
    spec = parse_framework(data)
    checksum = checksum_of(data)
    existing = Framework.objects.filter(key=spec.key, version=spec.version).first()
    if existing is not None:
        if existing.checksum != checksum:
            raise FrameworkError([
                f"{spec.key} version {spec.version} is already loaded with different content: "
                f"give the changed file a new version (assessments keep the version they were scored with)"])
        return existing, False
    framework = Framework(
        key=spec.key, version=spec.version, name_zh=spec.name.zh, name_en=spec.name.en,
        description_zh=spec.description.zh, description_en=spec.description.en, source=spec.source,
        method=spec.method, scale_max=spec.scale_max, boundary=spec.levels.boundary, definition=data,
        checksum=checksum, is_current=False, loaded_by=user)
    framework._change_reason = "framework loaded"
    framework.save()
    for d_order, dim in enumerate(spec.dimensions):
        dimension = Dimension.objects.create(
            framework=framework, code=dim.code, name_zh=dim.name.zh, name_en=dim.name.en,
            description_zh=dim.description.zh, description_en=dim.description.en, weight=dim.weight,
            max_score=spec.dimension_max(dim.code), order=d_order)
        for q_order, q in enumerate(dim.questions):
            question = Question.objects.create(
                dimension=dimension, code=q.code, text_zh=q.text.zh, text_en=q.text.en, help_zh=q.help.zh,
                help_en=q.help.en, weight=q.weight, order=q_order)
            Option.objects.bulk_create([
                Option(question=question, code=o.code, text_zh=o.text.zh, text_en=o.text.en, score=o.score, order=i)
                for i, o in enumerate(q.options)])
    rules = spec.levels
    Level.objects.bulk_create(
        [Level(framework=framework, number=0, code=rules.below.code, name_zh=rules.below.name.zh,
               name_en=rules.below.name.en, description_zh=rules.below.description.zh,
               description_en=rules.below.description.en)]
        + [Level(framework=framework, number=b.level, code=b.code, name_zh=b.name.zh, name_en=b.name.en,
                 description_zh=b.description.zh, description_en=b.description.en, score_min=b.min,
                 score_max=b.max, min_each_dimension=b.min_each_dimension) for b in rules.bands])
    if make_current or not Framework.objects.filter(key=spec.key, is_current=True, is_active=True).exists():
        make_framework_current(framework)
    return framework, True


@transaction.atomic
def make_framework_current(framework: Framework) -> None:
    for other in Framework.objects.filter(key=framework.key, is_current=True).exclude(pk=framework.pk):
        other.is_current = False
        other._change_reason = "another version made current"
        other.save(update_fields=["is_current"])
    if not framework.is_current:
        framework.is_current = True
        framework._change_reason = "made current"
        framework.save(update_fields=["is_current"])


def load_shipped_frameworks() -> list[tuple[Framework, bool]]:
    """The frameworks in twintrack/data/frameworks (called by `twintrack init`). Idempotent; a
    version loaded before is left as it is, and a bureau's newer version stays current."""
    results = []
    folder = resources.files("twintrack.data").joinpath("frameworks")
    for name in SHIPPED:
        data = read_framework_bytes(folder.joinpath(name).read_bytes())
        results.append(load_framework(data, make_current=False))
    return results


def current_frameworks():
    return Framework.objects.filter(is_current=True, is_active=True).order_by("key")


@lru_cache(maxsize=64)
def _spec(framework_id: int, checksum: str) -> FrameworkSpec:
    return parse_framework(Framework.objects.get(pk=framework_id).definition)


def spec_of(framework: Framework) -> FrameworkSpec:
    """The scoring rules of a stored version (versions never change, so this is cached)."""
    return _spec(framework.pk, framework.checksum)
