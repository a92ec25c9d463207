"""API of oversight_api."""

from ninja import Router

router = Router(tags=["inspections"])
