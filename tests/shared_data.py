"""The real public data of ``../shared/data/`` (the Chicago inspections), where this machine
keeps it: the folder named by XIAONENG_SHARED_DATA, the one beside the checkout, or the team's
/work/shared. Tests that need it are skipped where it is absent."""

from __future__ import annotations

import os
from pathlib import Path

CHICAGO = "data/chicago/inspections_2011_2014.csv"


def find(relative: str) -> Path | None:
    places = (
        Path(os.environ.get("XIAONENG_SHARED_DATA", "/nonexistent")) / relative,
        Path(__file__).resolve().parents[1].parent / "shared" / relative,
        Path("/work/shared") / relative,
    )
    return next((path for path in places if path.exists()), None)


CHICAGO_FILE = find(CHICAGO)
