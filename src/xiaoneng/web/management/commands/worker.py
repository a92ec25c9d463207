"""xiaoneng worker [huey consumer options]"""

from __future__ import annotations

from huey.contrib.djhuey.management.commands.run_huey import Command as RunHuey


class Command(RunHuey):
    help = (
        "定时任务。Start the scheduler and worker (huey's consumer, ADR 0017): runs the jobs of "
        "`xiaoneng jobs status` on their schedule and what `xiaoneng jobs run NAME --enqueue` "
        "hands it; the queue is a SQLite file under XIAONENG_VAR, or Redis when REDIS_URL is "
        "set. Options are huey's run_huey options (--workers, --max-delay…)."
    )
