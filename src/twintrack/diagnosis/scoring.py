"""Assessment frameworks as data: parsing a framework file, scoring answers, the level rules.

Plain functions and frozen dataclasses, no database: the framework file's format is
documented in docs/diagnosis-frameworks.md, and everything that differs between frameworks
(dimensions, questions, option scores, weights, the scoring method, the score bands and
which level a boundary score belongs to) is read from the file.

Scoring, for one assessment (`score_answers`):

- each answered question takes the score of the chosen option;
- method "weighted_mean" (option scores on the framework's scale, 0..scale.max):
  a dimension's score is the weighted mean of its questions' scores, and the overall score
  the weighted mean of the dimensions' scores (weights need not add up to anything);
- method "points": a question gives option score x question weight points, a dimension's
  score is the sum of its questions' points, the overall score the sum of the dimensions'
  (dimension weights are not used; the maximum is the sum of the best options);
- dimension scores and the overall score are rounded half-up to `scale.decimals` places;
  the overall score is computed from the unrounded dimension scores;
- the level comes from the rounded overall score (what the page shows) and the level
  rules: score bands, the boundary rule, and optionally a floor every dimension must reach.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Iterable, Mapping

FORMAT = "twintrack-framework/1"
METHODS = ("weighted_mean", "points")
# lower_inclusive: a band is [min, max), so a score equal to a boundary belongs to the upper level;
# upper_inclusive: a band is (min, max], so it belongs to the lower level.
BOUNDARIES = ("lower_inclusive", "upper_inclusive")


class FrameworkError(ValueError):
    """A framework file that cannot be used; `problems` lists every reason, each with its place."""

    def __init__(self, problems: Iterable[str]):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


class AnswerError(ValueError):
    """Answers that do not fit the framework: a question unanswered, an unknown question or option."""

    def __init__(self, problems: Iterable[str]):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class Text:
    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang.startswith("en") and self.en else self.zh


EMPTY = Text("", "")


@dataclass(frozen=True)
class OptionSpec:
    code: str
    text: Text
    score: Decimal


@dataclass(frozen=True)
class QuestionSpec:
    code: str
    text: Text
    help: Text
    weight: Decimal
    options: tuple[OptionSpec, ...]

    @property
    def max_score(self) -> Decimal:
        return max(o.score for o in self.options)

    def option(self, code: str) -> OptionSpec | None:
        return next((o for o in self.options if o.code == code), None)


@dataclass(frozen=True)
class DimensionSpec:
    code: str
    name: Text
    description: Text
    weight: Decimal
    questions: tuple[QuestionSpec, ...]


@dataclass(frozen=True)
class BandSpec:
    level: int
    code: str
    name: Text
    description: Text = EMPTY
    min: Decimal | None = None
    max: Decimal | None = None
    min_each_dimension: Decimal | None = None


@dataclass(frozen=True)
class LevelRules:
    boundary: str
    bands: tuple[BandSpec, ...]
    below: BandSpec  # level 0: the score reaches no band

    def band(self, level: int) -> BandSpec:
        if level == 0:
            return self.below
        return next(b for b in self.bands if b.level == level)


@dataclass(frozen=True)
class FrameworkSpec:
    key: str
    version: str
    name: Text
    description: Text
    source: str
    method: str
    scale_max: Decimal
    decimals: int
    dimensions: tuple[DimensionSpec, ...]
    levels: LevelRules

    def dimension(self, code: str) -> DimensionSpec:
        return next(d for d in self.dimensions if d.code == code)

    def questions(self) -> list[QuestionSpec]:
        return [q for d in self.dimensions for q in d.questions]

    def dimension_max(self, code: str) -> Decimal:
        """The best score a dimension can reach (the radar chart's axis)."""
        if self.method == "points":
            return sum((q.max_score * q.weight for q in self.dimension(code).questions), Decimal(0))
        return self.scale_max

    @property
    def overall_max(self) -> Decimal:
        if self.method == "points":
            return sum((self.dimension_max(d.code) for d in self.dimensions), Decimal(0))
        return self.scale_max


@dataclass(frozen=True)
class Score:
    dimensions: dict[str, Decimal]
    overall: Decimal
    level: BandSpec
    answers: dict[str, tuple[str, Decimal]] = field(default_factory=dict)  # question -> (option, score)


# --- numbers --------------------------------------------------------------------------------

def round_score(value: Decimal, decimals: int) -> Decimal:
    return Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _mean(pairs: list[tuple[Decimal, Decimal]]) -> Decimal:
    """Weighted mean of (weight, value) pairs."""
    total = sum((w for w, _ in pairs), Decimal(0))
    return sum((w * v for w, v in pairs), Decimal(0)) / total


# --- levels ----------------------------------------------------------------------------------

def reaches(band: BandSpec, score: Decimal, boundary: str) -> bool:
    """Whether `score` is at or above the band's lower boundary under the boundary rule."""
    if band.min is None:
        return True
    return score >= band.min if boundary == "lower_inclusive" else score > band.min


def level_for(rules: LevelRules, overall: Decimal, dimensions: Mapping[str, Decimal] | None = None) -> BandSpec:
    """The highest band the overall score reaches whose dimension floor (if any) every dimension
    meets; the `below` band (level 0) if none.

    Bands are contiguous (checked when the file is read), so reaching a band's lower boundary
    and not the next one's is the same as lying inside it: a score equal to a boundary is in
    the upper band under "lower_inclusive" and in the lower one under "upper_inclusive"."""
    for band in reversed(rules.bands):
        if not reaches(band, overall, rules.boundary):
            continue
        if band.min_each_dimension is not None and dimensions and any(
                value < band.min_each_dimension for value in dimensions.values()):
            continue
        return band
    return rules.below


# --- scoring -----------------------------------------------------------------------------------

def score_answers(spec: FrameworkSpec, answers: Mapping[str, str]) -> Score:
    """Score a complete set of answers {question code: option code}."""
    questions = {q.code: q for q in spec.questions()}
    problems = [f"unknown question {code!r}" for code in answers if code not in questions]
    chosen: dict[str, tuple[str, Decimal]] = {}
    for code, question in questions.items():
        option_code = answers.get(code)
        if option_code in (None, ""):
            problems.append(f"question {code!r} is not answered")
            continue
        option = question.option(str(option_code))
        if option is None:
            problems.append(f"question {code!r} has no option {option_code!r}")
            continue
        chosen[code] = (option.code, option.score)
    if problems:
        raise AnswerError(problems)
    return score_question_scores(spec, {code: s for code, (_, s) in chosen.items()}, chosen)


def score_question_scores(spec: FrameworkSpec, scores: Mapping[str, Decimal],
                          chosen: dict | None = None) -> Score:
    """Dimension scores, overall score and level from each question's (option) score."""
    raw: dict[str, Decimal] = {}
    for dimension in spec.dimensions:
        if spec.method == "points":
            raw[dimension.code] = sum((Decimal(scores[q.code]) * q.weight for q in dimension.questions), Decimal(0))
        else:
            raw[dimension.code] = _mean([(q.weight, Decimal(scores[q.code])) for q in dimension.questions])
    if spec.method == "points":
        overall_raw = sum(raw.values(), Decimal(0))
    else:
        overall_raw = _mean([(d.weight, raw[d.code]) for d in spec.dimensions])
    dimensions = {code: round_score(value, spec.decimals) for code, value in raw.items()}
    overall = round_score(overall_raw, spec.decimals)
    return Score(dimensions, overall, level_for(spec.levels, overall, dimensions), dict(chosen or {}))


def weakest_dimensions(spec: FrameworkSpec, dimensions: Mapping[str, Decimal]) -> list[str]:
    """Dimension codes from the weakest up: by share of the dimension's maximum, then file order."""
    order = {d.code: i for i, d in enumerate(spec.dimensions)}
    return sorted(dimensions, key=lambda c: (Decimal(dimensions[c]) / spec.dimension_max(c), order.get(c, 0)))


def weakness_bar(band_mins: Mapping[int, Decimal | None], level: int, overall_max: Decimal) -> Decimal:
    """The share of its maximum a dimension must reach not to hold the enterprise back: the
    share the next level up asks of the overall score (for an enterprise at the top level,
    that level's own). `band_mins` maps level number -> the band's lower boundary."""
    levels = sorted(n for n, low in band_mins.items() if n > 0 and low is not None)
    if not levels or not overall_max:
        return Decimal(0)
    target = next((n for n in levels if n > level), levels[-1])
    return Decimal(band_mins[target]) / Decimal(overall_max)


def weak_dimensions(shares: Mapping[str, Decimal], bar: Decimal) -> list[str]:
    """The dimensions below the bar, weakest first (then in the order given): a dimension at
    93.75/100 is not weak where the top level starts at 80, however it ranks among the others."""
    order = list(shares)
    return sorted((c for c in shares if shares[c] < bar), key=lambda c: (shares[c], order.index(c)))


# --- comparisons -------------------------------------------------------------------------------

def percentile_rank(value: Decimal, others: Iterable[Decimal]) -> Decimal | None:
    """The share of the other peers scoring below `value`, ties counting half, in percent
    (one decimal); None without peers. The SQL in benchmarks.py computes the same."""
    others = [Decimal(o) for o in others]
    if not others:
        return None
    below = sum(1 for o in others if o < value)
    ties = sum(1 for o in others if o == value)
    return percent_of(below, ties, len(others))


def percent_of(below: int, ties: int, count: int) -> Decimal | None:
    if not count:
        return None
    return round_score((Decimal(below) + Decimal(ties) / 2) * 100 / count, 1)


@dataclass(frozen=True)
class Change:
    overall: Decimal
    levels: int
    dimensions: dict[str, Decimal]


def change_between(before_overall: Decimal, before_level: int, before_dims: Mapping[str, Decimal],
                   after_overall: Decimal, after_level: int, after_dims: Mapping[str, Decimal]) -> Change:
    """What changed from one assessment to a later one (dimensions present in both)."""
    return Change(
        overall=Decimal(after_overall) - Decimal(before_overall),
        levels=after_level - before_level,
        dimensions={c: Decimal(after_dims[c]) - Decimal(before_dims[c]) for c in after_dims if c in before_dims},
    )


# --- reading a framework file ------------------------------------------------------------------

class _Reader:
    def __init__(self):
        self.problems: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}" if where else message)

    def text(self, value, where: str, required: bool = True) -> Text:
        if value is None and not required:
            return EMPTY
        if isinstance(value, str) and not required:
            return Text(value, value)
        if not isinstance(value, dict):
            self.fail(where, 'expected {"zh": ..., "en": ...}')
            return EMPTY
        zh, en = value.get("zh"), value.get("en")
        for lang, text in (("zh", zh), ("en", en)):
            if required and (not isinstance(text, str) or not text.strip()):
                self.fail(f"{where}.{lang}", "required text is missing")
            elif text is not None and not isinstance(text, str):
                self.fail(f"{where}.{lang}", "expected text")
        return Text(zh if isinstance(zh, str) else "", en if isinstance(en, str) else "")

    def number(self, value, where: str, required: bool = True, positive: bool = False) -> Decimal | None:
        if value is None:
            if required:
                self.fail(where, "a number is required")
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            self.fail(where, "expected a number")
            return None
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.fail(where, f"{value!r} is not a number")
            return None
        if not number.is_finite():
            self.fail(where, "expected a finite number")
            return None
        if positive and number <= 0:
            self.fail(where, "must be greater than 0")
        elif number < 0:
            self.fail(where, "must not be negative")
        return number

    def code(self, value, where: str) -> str:
        if not isinstance(value, str) or not value.strip() or len(value) > 32:
            self.fail(where, "a code of 1 to 32 characters is required")
            return ""
        return value.strip()

    def items(self, value, where: str, minimum: int) -> list:
        if not isinstance(value, list):
            self.fail(where, "expected a list")
            return []
        if len(value) < minimum:
            self.fail(where, f"at least {minimum} expected")
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                self.fail(f"{where}[{i}]", "expected an object")
        return [item for item in value if isinstance(item, dict)]


def parse_framework(data) -> FrameworkSpec:
    """Validate a framework file's content (already parsed from JSON); FrameworkError lists
    every problem found, each with its place (e.g. `dimensions[1].questions[0].options`)."""
    r = _Reader()
    if not isinstance(data, dict):
        raise FrameworkError(["the file must hold one JSON object"])
    if data.get("format") != FORMAT:
        r.fail("format", f'must be "{FORMAT}"')
    key = data.get("key")
    if not isinstance(key, str) or not key.strip() or len(key) > 64:
        r.fail("key", "a key of 1 to 64 characters is required")
        key = ""
    version = data.get("version")
    if not isinstance(version, (str, int)) or not str(version).strip() or len(str(version)) > 32:
        r.fail("version", "a version of 1 to 32 characters is required")
        version = ""
    name = r.text(data.get("name"), "name")
    description = r.text(data.get("description"), "description", required=False)
    source = data.get("source", "")
    if not isinstance(source, str):
        r.fail("source", "expected text")
        source = ""

    scoring = data.get("scoring") if isinstance(data.get("scoring"), dict) else {}
    if not isinstance(data.get("scoring"), dict):
        r.fail("scoring", 'expected {"method": ..., "scale_max": ..., "decimals": ...}')
    method = scoring.get("method")
    if method not in METHODS:
        r.fail("scoring.method", f"must be one of {', '.join(METHODS)}")
    decimals = scoring.get("decimals", 2)
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 4:
        r.fail("scoring.decimals", "a whole number from 0 to 4 is required")
        decimals = 2
    scale_max = r.number(scoring.get("scale_max"), "scoring.scale_max", required=method != "points", positive=True)

    dimensions: list[DimensionSpec] = []
    dimension_codes, question_codes = set(), set()
    for i, raw_dim in enumerate(r.items(data.get("dimensions"), "dimensions", 1)):
        where = f"dimensions[{i}]"
        code = r.code(raw_dim.get("code"), f"{where}.code")
        if code in dimension_codes:
            r.fail(f"{where}.code", f"{code!r} is used twice")
        dimension_codes.add(code)
        weight = r.number(raw_dim.get("weight", 1 if method == "points" else None), f"{where}.weight",
                          positive=True) or Decimal(1)
        questions = []
        for j, raw_q in enumerate(r.items(raw_dim.get("questions"), f"{where}.questions", 1)):
            qwhere = f"{where}.questions[{j}]"
            qcode = r.code(raw_q.get("code"), f"{qwhere}.code")
            if qcode in question_codes:
                r.fail(f"{qwhere}.code", f"{qcode!r} is used twice (question codes are unique in a framework)")
            question_codes.add(qcode)
            qweight = r.number(raw_q.get("weight", 1), f"{qwhere}.weight", positive=True) or Decimal(1)
            options, option_codes = [], set()
            for k, raw_o in enumerate(r.items(raw_q.get("options"), f"{qwhere}.options", 2)):
                owhere = f"{qwhere}.options[{k}]"
                ocode = r.code(raw_o.get("code"), f"{owhere}.code")
                if ocode in option_codes:
                    r.fail(f"{owhere}.code", f"{ocode!r} is used twice in the question")
                option_codes.add(ocode)
                score = r.number(raw_o.get("score"), f"{owhere}.score")
                if score is not None and method == "weighted_mean" and scale_max is not None and score > scale_max:
                    r.fail(f"{owhere}.score", f"{score} is above the scale's maximum {scale_max}")
                options.append(OptionSpec(ocode, r.text(raw_o.get("text"), f"{owhere}.text"), score or Decimal(0)))
            questions.append(QuestionSpec(qcode, r.text(raw_q.get("text"), f"{qwhere}.text"),
                                          r.text(raw_q.get("help"), f"{qwhere}.help", required=False),
                                          qweight, tuple(options)))
        dimensions.append(DimensionSpec(code, r.text(raw_dim.get("name"), f"{where}.name"),
                                        r.text(raw_dim.get("description"), f"{where}.description", required=False),
                                        weight, tuple(questions)))

    if method == "points" and dimensions and all(q.options for d in dimensions for q in d.questions):
        total = sum((max(o.score for o in q.options) * q.weight for d in dimensions for q in d.questions), Decimal(0))
        if scale_max is None:
            scale_max = total
        elif scale_max != total:
            r.fail("scoring.scale_max", f"is {scale_max} but the best answers give {total} points")
    levels = _parse_levels(r, data.get("levels"), scale_max)
    if r.problems:
        raise FrameworkError(r.problems)
    return FrameworkSpec(key.strip(), str(version).strip(), name, description, source, method, scale_max, decimals,
                         tuple(dimensions), levels)


def _parse_levels(r: _Reader, raw, scale_max: Decimal | None) -> LevelRules | None:
    if not isinstance(raw, dict):
        r.fail("levels", 'expected {"boundary": ..., "bands": [...]}')
        return None
    boundary = raw.get("boundary")
    if boundary not in BOUNDARIES:
        r.fail("levels.boundary", f"must be one of {', '.join(BOUNDARIES)} (which level a boundary score belongs to)")
    bands: list[BandSpec] = []
    for i, band in enumerate(r.items(raw.get("bands"), "levels.bands", 1)):
        where = f"levels.bands[{i}]"
        level = band.get("level")
        if isinstance(level, bool) or not isinstance(level, int) or level < 1:
            r.fail(f"{where}.level", "a whole number from 1 up is required")
            level = i + 1
        low = r.number(band.get("min"), f"{where}.min", required=i > 0)
        high = r.number(band.get("max"), f"{where}.max", required=False)
        floor = r.number(band.get("min_each_dimension"), f"{where}.min_each_dimension", required=False)
        bands.append(BandSpec(level, r.code(band.get("code"), f"{where}.code"), r.text(band.get("name"), f"{where}.name"),
                              r.text(band.get("description"), f"{where}.description", required=False),
                              low, high, floor))
    for i, band in enumerate(bands):
        where = f"levels.bands[{i}]"
        if band.min is not None and band.max is not None and band.min >= band.max:
            r.fail(where, f"min {band.min} must be below max {band.max}")
        if scale_max is not None:
            for bound in (band.min, band.max):
                if bound is not None and bound > scale_max:
                    r.fail(where, f"{bound} is above the scale's maximum {scale_max}")
        if i + 1 < len(bands):
            upper = bands[i + 1]
            if upper.level <= band.level:
                r.fail(f"levels.bands[{i + 1}].level", "levels must go up from band to band")
            if band.max is None:
                r.fail(f"{where}.max", "only the top band may leave max open")
            elif upper.min is not None and band.max != upper.min:
                r.fail(f"levels.bands[{i + 1}].min", f"must equal the band below's max {band.max} (no gaps)")
    codes = [b.code for b in bands]
    if len(set(codes)) != len(codes):
        r.fail("levels.bands", "band codes must be unique")
    below_raw = raw.get("below") or {}
    if not isinstance(below_raw, dict):
        r.fail("levels.below", 'expected {"code": ..., "name": {...}}')
        below_raw = {}
    below = BandSpec(0, str(below_raw.get("code") or "0"),
                     r.text(below_raw.get("name"), "levels.below.name") if "name" in below_raw
                     else Text("未达最低等级", "Below the first level"),
                     r.text(below_raw.get("description"), "levels.below.description", required=False))
    return LevelRules(boundary or "lower_inclusive", tuple(bands), below)
