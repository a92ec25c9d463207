"""Factories for planning: patrol plans and tasks, campaigns, the responsibility table (篇3).

Rows are written directly, as the services would leave them, so that tests of pages, scoping
and reports can build exactly what they need. Tests of the planning rules go through
``xiaoneng.planning`` services. Draws have their own factories in ``tests/planning/draws``.
"""

from __future__ import annotations

import datetime as dt

import factory

from xiaoneng.planning.analysis.models import Department, EntityMeasure, ResponsibilityRule
from xiaoneng.planning.patrol.models import Campaign, Plan, Task


class PlanFactory(factory.django.DjangoModelFactory):
    """A patrol plan of ``unit`` for a month."""

    class Meta:
        model = Plan

    kind = Plan.Kind.PATROL
    period = "2026-03"
    title = factory.Sequence(lambda n: f"2026年3月日常巡查计划{n}")
    capacity = 8


class TaskFactory(factory.django.DjangoModelFactory):
    """A planned task of ``entity`` in ``plan``, for the entity's station, grid and officer."""

    class Meta:
        model = Task

    plan = factory.SubFactory(PlanFactory)
    unit = factory.SelfAttribute("entity.unit")
    grid = factory.SelfAttribute("entity.grid")
    period = factory.SelfAttribute("plan.period")
    post = "责任区干部"
    description = "日常巡查"
    standard = "按检查事项清单逐项检查"
    responsibility = "责任区干部对检查结果负责"
    scheduled_on = dt.date(2026, 3, 2)
    due_on = dt.date(2026, 3, 31)


class CampaignFactory(factory.django.DjangoModelFactory):
    """A campaign (专项整治) led by ``unit``, with its own (empty) task plan."""

    class Meta:
        model = Campaign

    title = factory.Sequence(lambda n: f"食品安全专项整治{n}")
    theme = Campaign.Theme.INDUSTRY
    checkpoints = "进货查验记录、索证索票"
    start_on = dt.date(2026, 3, 1)
    end_on = dt.date(2026, 3, 31)
    population = factory.LazyFunction(lambda: {"filters": {"industry": "H62"}})
    plan = factory.SubFactory(
        PlanFactory,
        kind=Plan.Kind.CAMPAIGN,
        unit=factory.SelfAttribute("..unit"),
        title=factory.SelfAttribute("..title"),
    )


class DepartmentFactory(factory.django.DjangoModelFactory):
    """An outside department (商务局…) listed in ``bureau``'s responsibility table."""

    class Meta:
        model = Department

    code = factory.Sequence(lambda n: f"DEP{n:02d}")
    name = factory.Sequence(lambda n: f"外部监管部门{n}")


class ResponsibilityRuleFactory(factory.django.DjangoModelFactory):
    """A row of the responsibility table: which department supervises what, above which size."""

    class Meta:
        model = ResponsibilityRule

    department = factory.SubFactory(DepartmentFactory)
    matter = "work_safety"
    industry_prefix = "F521"
    measure = "floor_area"
    min_value = 1000


class EntityMeasureFactory(factory.django.DjangoModelFactory):
    """The size of an entity's premises and staff."""

    class Meta:
        model = EntityMeasure

    floor_area_m2 = 120.0
    employees = 6
