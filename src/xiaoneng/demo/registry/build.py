"""The demo county's register (经济户口): ``build_register``.

Every column is generated as an array from the one seeded generator (``plan.plan_register``),
then written in batches of plain INSERTs, one transaction per batch, with the trace of
every row (``write.write_register``, ``core.bulk``). A million entities take about three
minutes on SQLite.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np

from xiaoneng.demo.org import Organisation
from xiaoneng.demo.registry.plan import plan_register
from xiaoneng.demo.registry.write import write_register


def build_register(
    rng: np.random.Generator,
    organisation: Organisation,
    *,
    count: int,
    now: dt.datetime,
    progress: Callable[[str], None] = print,
) -> None:
    """Generate and write ``count`` entities of the demo county."""
    register = plan_register(rng, organisation, count, now)
    progress(
        f"已生成 generated: {count:,} 市场主体, {len(register.licences['entity']):,} 许可证, "
        f"{len(register.changes['entity']):,} 分类分级变更; 写入 writing…"
    )
    write_register(register, now=now, progress=progress)
