"""xiaoneng demo [--seed N] [--entities N] [--reset | --if-empty]"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from xiaoneng.core import audit
from xiaoneng.core.models import AuditEvent
from xiaoneng.demo.county import build_county
from xiaoneng.demo.geography import COUNTY
from xiaoneng.demo.logins import PASSWORD, demo_logins_text
from xiaoneng.demo.reset import reset
from xiaoneng.org.models import Unit
from xiaoneng.registry.models import Entity


class Command(BaseCommand):
    help = (
        "生成演示县“伊宁示范县”：局、科室、6 个所、约 120 名执法人员、27 个责任区 / 54 个区间 / "
        "73 个网格，以及 N 户市场主体（许可证、分类分级历史、认领、痕迹），"
        "并生成截至今天的一年：巡查计划、专项整治、双随机抽查、检查记录、检查发现、责令整改、"
        "痕迹疑点、所长抽查、督办、退出督查、无照经营、监督抽查、案件与罚没款、目标任务、"
        "信用反馈。同一 seed 生成同一个县。 "
        "Build the demo county: bureau, divisions, 6 stations, about 120 officers, 27 zones, "
        "54 sections, 73 grids and N entities with licences, classification history, claims and "
        "trace, and a year up to today of patrol plans, campaigns, double-random draws, signed "
        "inspections, findings, rectification orders, trace flags, director spot checks, "
        "supervision items, exit checks, unlicensed operators, product spot checks, cases with "
        "fines collected, targets and credit feedback. The same seed gives the same county. "
        "Refuses (exit status 2) when the database "
        "already holds units or entities, unless --reset (delete them and rebuild) or --if-empty "
        "(leave them and exit 0). Every demo account's password is " + PASSWORD + "."
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
                f"演示县 {COUNTY} 已生成 built: seed {seed}, {count:,} entities, "
                f"{time.monotonic() - started:.1f} s"
            )
        )
        self._print_logins()

    def _build(self, seed: int, count: int) -> None:
        build_county(seed=seed, count=count, now=timezone.now(), progress=self._say)

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
