"""The few records tests/web/test_stack.py needs, written into the stack's own database.

Run in the stack's environment by the CLI, as an operator's script would be:

    xiaoneng manage shell -c "from tests.web.stack_world import build; build()"

It builds the test suite's county (an administrator, stations with grids, officers with
certificate numbers — tests/conftest.py), an entity on the east station's grid and a checklist
version, and prints what the test must know as one JSON line (the last line of the output).
"""

from __future__ import annotations

import json

from tests.conftest import make_county
from tests.inspections.factories import make_checklist
from tests.registry.factories import make_entity

PASSWORD = "correct horse 1"  # tests/org/factories.py: every officer's password


def build() -> None:
    county = make_county()
    longitude, latitude = county.east_point()
    entity = make_entity(name="城东便民超市", longitude=longitude, latitude=latitude)
    assert entity.unit_id == county.east.pk, "the entity lies on the east station's grid"
    checklist = make_checklist(items=3, code="stack")
    print(
        json.dumps(
            {
                "uscc": entity.uscc,
                "longitude": longitude,
                "latitude": latitude,
                "checklist_id": checklist.pk,
                "officer": county.east_officer.get_username(),
                "admin": county.admin.get_username(),
                "other": county.leader.get_username(),
                "password": PASSWORD,
            }
        )
    )
