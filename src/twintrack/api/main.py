"""The HTTP API, v1 (data contract section 6): `/api/v1/`, its OpenAPI document at
`/api/v1/openapi.json` and interactive docs at `/api/v1/docs`.

Every operation needs a Bearer token (`api.auth`), is rate-limited per token, answers errors as
problem documents (`api.problems`) and calls the same access checks, services and import
kinds as the pages and the command line."""
from __future__ import annotations

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from twintrack.api import figures, imports, problems, registry, supervision
from twintrack.api.auth import TokenAuth, TokenRateThrottle

FILE_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


class Utf8JSONRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # Chinese names as they are, like the CLI's JSON


class TwintrackAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """Errors are documented as `application/problem+json`; a bulletin file as its bytes."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for path, operations in schema["paths"].items():
            for operation in operations.values():
                responses = operation.get("responses", {})
                for status, response in responses.items():
                    if int(status) >= 400 and "content" in response:
                        response["content"] = {problems.PROBLEM_CONTENT_TYPE: response["content"]["application/json"]}
                if path.endswith("/{version}/{fmt}"):
                    responses[next(s for s in responses if int(s) == 200)]["content"] = {
                        media: {"schema": {"type": "string", "format": "binary"}} for media in FILE_TYPES.values()}
        return schema


api = TwintrackAPI(
    title="twintrack API", version="1", urls_namespace="api",
    description="Contract section 6: Bearer tokens acting with exactly their user's scope; errors as "
                "application/problem+json; lists paged with page and page_size (at most 1000).",
    auth=TokenAuth(), throttle=[TokenRateThrottle()], renderer=Utf8JSONRenderer(),
)
problems.install(api)
for module in (registry, figures, imports, supervision):
    api.add_router("", module.router)
