"""API of followup_api."""

from ninja import Router

router = Router(tags=["inspections"])
