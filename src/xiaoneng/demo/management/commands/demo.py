"""xiaoneng demo [--seed N] [--entities N] [--reset | --if-empty]"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction
from django.utils import timezone

from xiaoneng.core import audit
from xiaoneng.core.models import AuditEvent
from xiaoneng.demo import county
from xiaoneng.demo.logins import demo_logins_text
from xiaoneng.org.demo import build_organisation
from xiaoneng.org.models import Grid, Officer, Section, Unit, Zone
from xiaoneng.registry.demo import build_register
from xiaoneng.registry.models import ClassificationChange, Entity, Licence

# Written in bulk, so removed in bulk: no per-row delete signals over a million rows.
BULK_TABLES = (ClassificationChange, Licence, Entity)
ORG_TABLES = (Grid, Section, Zone, Officer, Unit)


class Command(BaseCommand):
    help = (
        "生成演示县“伊宁示范县”：局、科室、6 个所、约 120 名执法人员、27 个责任区 / 54 个区间 / "
        "73 个网格，以及 N 户市场主体（许可证、分类分级历史、认领、痕迹）。"
        "同一 seed 生成同一个县。 "
        "Build the demo county: bureau, divisions, 6 stations, about 120 officers, 27 zones, "
        "54 sections, 73 grids and N entities with licences, classification history, claims and "
        "trace. The same seed gives the same county. Refuses (exit status 2) when the database "
        "already holds units or entities, unless --reset (delete them and rebuild) or --if-empty "
        "(leave them and exit 0). Every demo account's password is " + county.PASSWORD + "."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument(
            "--entities", type=int, default=20000, help="number of entities (default 20000)"
        )
        existing = parser.add_mutually_exclusive_group()
        existing.add_argument(
            "--reset",
            action="store_true",
            help="first delete units, officers (but not superusers with their own password), "
            "grids, entities, licences, classification history and the whole trace",
        )
        existing.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing (exit 0) if the database already holds units or entities",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count, seed = options["entities"], options["seed"]
        if count < 0:
            raise CommandError("--entities must be 0 or more", returncode=2)
        has_data = Unit.objects.exists() or Entity.objects.exists()
        if has_data and options["if_empty"]:
            self.stdout.write(
                "数据库中已有数据，未生成演示县。The database holds data; nothing done."
            )
            self._print_logins()
            return
        if has_data and not options["reset"]:
            raise CommandError(
                "数据库中已有单位或市场主体，拒绝覆盖；"
                "用 --reset 清空后重建，或用 --if-empty 跳过。"
                " The database already holds units or entities: use --reset to delete them and "
                "rebuild, or --if-empty to leave them.",
                returncode=2,
            )
        started = self.started = time.monotonic()
        with audit.acting_as(None, source=AuditEvent.Source.SYSTEM):
            if has_data:
                with transaction.atomic():
                    reset()
                self.stdout.write(f"已清空 reset ({time.monotonic() - started:.1f} s)")
            self._build(seed, count)
        self.stdout.write(
            self.style.SUCCESS(
                f"演示县 {county.COUNTY} 已生成 built: seed {seed}, {count:,} entities, "
                f"{time.monotonic() - started:.1f} s"
            )
        )
        self._print_logins()

    def _build(self, seed: int, count: int) -> None:
        rng = np.random.default_rng(seed)
        now = timezone.now()
        # Argon2 is slow by design: hash once, every demo account shares the hash.
        password_hash = make_password(county.PASSWORD)
        with transaction.atomic():
            organisation = build_organisation(rng, password_hash=password_hash, progress=self._say)
        build_register(rng, organisation, count=count, now=now, progress=self._say)

    def _say(self, line: str) -> None:
        self.stdout.write(f"[{time.monotonic() - self.started:6.1f} s] {line}")
        self.stdout.flush()

    def _print_logins(self) -> None:
        table = demo_logins_text()
        self.stdout.write(
            "\n" + table
            if table
            else "（没有密码为演示密码的演示账号 no demo accounts with the demo password）"
        )


def _release(model: type[models.Model]) -> None:
    """Remove another app's rows that would stop the reset (plans, tasks, inspections…).

    Rows pointing at the bulk tables go (or lose the link, if it is SET_NULL), since those
    are emptied without Django's cascade; rows that PROTECT or RESTRICT an org record go too.
    """
    for field in model._meta.concrete_fields:
        if not field.is_relation:
            continue
        on_delete = field.remote_field.on_delete  # type: ignore[union-attr]
        rows = model._default_manager.filter(**{f"{field.name}__isnull": False})
        if field.related_model in BULK_TABLES:
            if on_delete is models.SET_NULL:
                rows.update(**{field.name: None})
            else:
                rows.delete()
        elif field.related_model in ORG_TABLES and on_delete in (models.PROTECT, models.RESTRICT):
            rows.delete()


def _own_superusers() -> list[int]:
    """Superusers someone made (createsuperuser): those whose password is not the demo one."""
    verified: dict[str, bool] = {}  # the demo accounts share one hash: check it once
    kept = []
    for officer in Officer.objects.filter(is_superuser=True):
        if officer.password not in verified:
            verified[officer.password] = officer.check_password(county.PASSWORD)
        if not verified[officer.password]:
            kept.append(officer.pk)
    return kept


def reset() -> None:
    """Delete the demo-able data, children before parents (PROTECT), in the caller's transaction.

    Kept: reference data (industries, risk rules, roles, calendar) and superusers whose
    password is not the demo one. Records of other apps that point at entities go first.
    """
    from django.apps import apps

    AuditEvent.objects.all()._raw_delete(AuditEvent.objects.db)
    for model in apps.get_models():
        if model._meta.app_label not in {"registry", "org", "core"}:
            _release(model)
    for model in BULK_TABLES:
        model.objects.all()._raw_delete(model.objects.db)
    Grid.objects.all().delete()
    Section.objects.all().delete()
    Zone.objects.all().delete()
    kept = _own_superusers()
    Officer.objects.filter(pk__in=kept).update(unit=None)
    Officer.objects.exclude(pk__in=kept).delete()
    for depth in sorted(set(Unit.objects.values_list("depth", flat=True)), reverse=True):
        Unit.objects.filter(depth=depth).delete()
    AuditEvent.objects.all()._raw_delete(AuditEvent.objects.db)
