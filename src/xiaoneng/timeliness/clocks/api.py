"""API of timeliness.clocks."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["timeliness"])
