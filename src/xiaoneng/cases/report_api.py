"""API of report_api."""

from ninja import Router

router = Router(tags=["cases"])
