"""API of checklist_api."""

from ninja import Router

router = Router(tags=["inspections"])
