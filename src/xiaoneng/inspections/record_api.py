"""API of record_api."""

from ninja import Router

router = Router(tags=["inspections"])
