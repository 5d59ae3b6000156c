"""`/api/v1/` (mounted by twintrack.urls). Every pattern is classified in tests/access_tables/api.py."""
from twintrack.api.main import api

app_name = "api"
urlpatterns = api.urls[0]
