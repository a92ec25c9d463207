"""The OpenAPI schema: every component name belongs to one class, so clients get true types."""

from __future__ import annotations

from collections import defaultdict

from ninja import Schema

import xiaoneng.api  # noqa: F401  (imports every router and its schemas)


def subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(subclasses(sub))
    return found


def test_no_two_api_schemas_share_a_name() -> None:
    names: dict[str, set[str]] = defaultdict(set)
    for cls in subclasses(Schema):
        if cls.__module__.startswith("xiaoneng."):
            names[cls.__name__].add(cls.__module__)
    shared = {name: sorted(modules) for name, modules in names.items() if len(modules) > 1}
    assert shared == {}


def test_the_draft_body_documents_item_results(client) -> None:  # type: ignore[no-untyped-def]
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    results = schema["DraftIn"]["properties"]["results"]
    reference = results.get("items", {}).get("$ref") or str(results)
    assert "ItemResultIn" in reference
    assert {"item", "result", "note"} <= set(schema["ItemResultIn"]["properties"])
