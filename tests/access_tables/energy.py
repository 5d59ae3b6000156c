"""Who gets what from the energy pages (the classification tests/web/test_url_access.py walks;
format in tests/access_tables/url_access.py).

The coefficient tables are the national standard's: every signed-in user reads them; only
the bureau at the top of the tree changes them (a district officer, supervisor, enterprise
or provider gets 403). A project's energy page follows the project: who sees the project
reads it, another district gets 404.
"""
from access_tables.url_access import BUREAU_ONLY, FORBIDDEN, LOGGED_IN, OK, REDIRECT, SCOPED_READ, Case, but, expect

BUREAU_POST = expect(anonymous=REDIRECT, bureau=REDIRECT, district=FORBIDDEN, other_district=FORBIDDEN,
                     supervisor=FORBIDDEN, enterprise=FORBIDDEN, provider=FORBIDDEN)

# The energy home is about the user's unit: whoever sees a unit; accounts without one get 403.
UNIT_PAGES = but(LOGGED_IN, enterprise=FORBIDDEN, provider=FORBIDDEN)

URLS = {
    "energy:index": [Case(expect=UNIT_PAGES), Case(expect=UNIT_PAGES, query="year=2023")],
    "energy:coefficients": Case(expect=LOGGED_IN),
    "energy:add_version": Case(expect=BUREAU_ONLY),
    "energy:year_basis": [
        Case(expect=BUREAU_ONLY),
        Case(method="POST", expect=BUREAU_POST,
             data=lambda w: {"year": "2031", "electricity": "calorific", "grid": "regional", "source": ""},
             note="a year without lines: nothing to convert again"),
    ],
    "energy:grid_factor": Case(expect=BUREAU_ONLY),
    "energy:projects": Case(expect=LOGGED_IN, note="each sees the projects they may see"),
    "energy:project": Case(expect=but(SCOPED_READ, enterprise=OK), kwargs=lambda w: {"code": w.project.code},
                           note="the enterprise user sees their own project's energy"),
}
