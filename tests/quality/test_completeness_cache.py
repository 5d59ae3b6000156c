"""The dashboard's completeness card, summed from per-unit cached parts, equals the quality
view's single query, before and after writes below one unit."""
from twintrack.orgs.models import OrgUnit
from twintrack.quality.services import completeness_of, quality_view


def both(code):
    org = OrgUnit.objects.get(code=code)
    card, view = completeness_of(org, 2023, 7), quality_view(org, 2023, 7).completeness
    return (card.expected, card.reported), (view.expected, view.reported)


def test_the_card_adds_up_like_the_quality_view_after_each_write(make_project, put):
    nanhu = make_project("P001", "330402")
    make_project("P002", "330402")
    pinghu = make_project("P003", "330482")
    for code in ("330400", "330402", "330482"):
        card, view = both(code)
        assert card == view
    assert both("330400")[0] == (3, 0)
    put(pinghu, "2023-07", 100)  # Pinghu's part is counted again, Nanhu's comes from the cache
    assert both("330400")[0] == both("330400")[1] == (3, 1)
    put(nanhu, "2023-07", 100)
    make_project("P004", "330482")
    assert both("330400")[0] == both("330400")[1] == (4, 2)
    assert both("330402")[0] == (2, 1)
