"""Which solutions fit a diagnosed enterprise, ranked, each with its reasons.

A solution is considered when it is made for the enterprise's sub-industry (its class,
group or division, or any manufacturing when it names none), suits the enterprise's size
(or names no sizes), and improves at least one of the enterprise's WEAK_COUNT weakest
dimensions (weakest = lowest share of the dimension's maximum). It is then scored:

    weakness  60 x the largest gap (1 - score/maximum) among the weak dimensions it improves
    industry  30 class, 20 group, 10 division, 5 any manufacturing
    size      10 when it names the enterprise's size, 5 when it names none
    light      5 for a lightweight solution offered to a small or micro firm

Higher first; ties go to the lower price band, then the name. Plain functions over plain
data (`Profile`, `Offer`), so the ranking is tested without a database.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from twintrack.diagnosis.scoring import weak_dimensions, weakness_bar

WEAK_COUNT = 2
INDUSTRY_POINTS = {"class": Decimal(30), "group": Decimal(20), "division": Decimal(10), "any": Decimal(5)}
WEAKNESS_POINTS = Decimal(60)
SIZE_NAMED, SIZE_ANY = Decimal(10), Decimal(5)
LIGHT_FOR_SMALL = Decimal(5)
SMALL_SIZES = ("small", "micro")


@dataclass(frozen=True)
class Profile:
    industry: str  # the enterprise's GB/T 4754 code
    size: str
    scores: dict  # dimension code -> score
    maxima: dict  # dimension code -> the dimension's maximum
    names: dict = field(default_factory=dict)  # dimension code -> display name
    bar: Decimal = Decimal(1)  # the share a dimension needs not to be weak (scoring.weakness_bar)

    def share(self, code: str) -> Decimal:
        return Decimal(self.scores[code]) / Decimal(self.maxima[code])

    def weakest(self) -> list[str]:
        """The weak dimensions, weakest first: only those below the next level's bar."""
        return weak_dimensions({c: self.share(c) for c in self.scores}, self.bar)


@dataclass(frozen=True)
class Offer:
    id: int
    name: str
    industries: tuple = ()
    dimensions: tuple = ()
    sizes: tuple = ()
    lightweight: bool = False
    price_band: str = ""
    obj: object = None  # the Solution row, for the page


@dataclass
class Match:
    offer: Offer
    points: Decimal
    industry_fit: str  # class | group | division | any
    industry_code: str  # the code of the solution's that matched ('' for any)
    improves: list  # weak dimension codes it improves, weakest first
    size_fit: str  # named | any
    light_bonus: bool
    gaps: dict  # dimension code -> gap (0..1)

    def reasons(self, profile: Profile) -> list[str]:
        """Why it is recommended, in the active language."""
        out = []
        for code in self.improves:
            out.append(_("improves %(dimension)s, one of your weakest dimensions (%(score)s of %(max)s)") % {
                "dimension": profile.names.get(code, code), "score": _trim(profile.scores[code]),
                "max": _trim(profile.maxima[code])})
        if self.industry_fit == "any":
            out.append(_("suits any manufacturing sub-industry"))
        else:
            out.append({
                "class": _("made for your industry class %(code)s"),
                "group": _("made for your industry group %(code)s"),
                "division": _("made for your industry division %(code)s"),
            }[self.industry_fit] % {"code": self.industry_code})
        if self.size_fit == "named":
            out.append(_("made for firms of your size"))
        if self.light_bonus:
            out.append(_("lightweight: quick to deploy for a small firm"))
        return out


def _trim(value) -> str:
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def industry_fit(industries, code: str) -> tuple[str, str] | None:
    """(fit, matching code) for the closest of the solution's codes, or None if none fits."""
    if not industries:
        return "any", ""
    best = None
    for candidate in industries:
        candidate = str(candidate)
        if code.startswith(candidate) and len(candidate) in (2, 3, 4):
            if best is None or len(candidate) > len(best):
                best = candidate
    if best is None:
        return None
    return {2: "division", 3: "group", 4: "class"}[len(best)], best


def rank_solutions(profile: Profile, offers, limit: int | None = 5) -> list[Match]:
    weak = profile.weakest()[:WEAK_COUNT]
    gaps = {c: Decimal(1) - profile.share(c) for c in profile.scores}
    matches = []
    for offer in offers:
        fit = industry_fit(offer.industries, profile.industry)
        if fit is None:
            continue
        if offer.sizes and profile.size not in offer.sizes:
            continue
        improves = [c for c in weak if c in offer.dimensions]
        if not improves:
            continue
        light = offer.lightweight and profile.size in SMALL_SIZES
        points = (WEAKNESS_POINTS * max(gaps[c] for c in improves) + INDUSTRY_POINTS[fit[0]]
                  + (SIZE_NAMED if offer.sizes else SIZE_ANY) + (LIGHT_FOR_SMALL if light else Decimal(0)))
        matches.append(Match(offer, points.quantize(Decimal("0.01")), fit[0], fit[1], improves,
                             "named" if offer.sizes else "any", light, gaps))
    matches.sort(key=lambda m: (-m.points, m.offer.price_band, m.offer.name, m.offer.id))
    return matches if limit is None else matches[:limit]


# --- from the database ----------------------------------------------------------------------

def profile_of(assessment, lang: str = "zh") -> Profile:
    scores = {}
    maxima = {}
    names = {}
    for row in assessment.dimension_scores.select_related("dimension").order_by("dimension__order"):
        scores[row.code] = row.score
        maxima[row.code] = row.dimension.max_score
        names[row.code] = row.dimension.display_name(lang)
    return Profile(assessment.enterprise.industry_id, assessment.enterprise.size, scores, maxima, names,
                   bar_of(assessment))


def bar_of(assessment) -> Decimal:
    framework = assessment.framework
    mins = {level.number: level.score_min for level in framework.levels.all()}
    return weakness_bar(mins, assessment.level, framework.scale_max)


def offers_from(solutions, lang: str = "zh") -> list[Offer]:
    return [Offer(s.id, s.display_name(lang), tuple(s.industries or ()), tuple(s.dimensions or ()),
                  tuple(s.sizes or ()), s.lightweight, s.price_band, s) for s in solutions]


def match_solutions(assessment, lang: str = "zh", limit: int | None = 5) -> tuple[Profile, list[Match]]:
    """The ranked solutions of the active catalogue for an assessment."""
    from twintrack.diagnosis.models import Solution

    profile = profile_of(assessment, lang)
    solutions = Solution.objects.filter(is_active=True, provider__is_active=True).select_related("provider")
    return profile, rank_solutions(profile, offers_from(solutions, lang), limit)
