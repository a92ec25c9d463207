"""API of sampling_api."""

from ninja import Router

router = Router(tags=["inspections"])
