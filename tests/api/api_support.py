"""What the API tests share: the demo's logins by role and a client holding one token."""
from django.test import Client

# The demo's logins by role (README "make run"): the city bureau, Nanhu's officer, Pinghu's
# officer (another district), the first supervision group's leader (Nanhu and Tongxiang),
# Jushi Group's enterprise user and a service provider.
LOGINS = {"bureau": "bureau", "district": "nanhu", "other_district": "pinghu", "supervisor": "duchazu1",
          "enterprise": "jushi", "provider": "fuwushang1"}


class Api:
    """A client holding one token: `api.get("/orgunits")` requests /api/v1/orgunits."""

    def __init__(self, value: str | None):
        self.value = value
        self.client = Client()

    def headers(self) -> dict:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.value}"} if self.value else {}

    def get(self, path: str, data=None):
        return self.client.get("/api/v1" + path, data, **self.headers())

    def post(self, path: str, data=None, **extra):
        return self.client.post("/api/v1" + path, data, **self.headers(), **extra)

    def post_json(self, path: str, body: dict):
        return self.client.post("/api/v1" + path, body, content_type="application/json", **self.headers())
