"""API of timeliness.accountability."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["timeliness"])
