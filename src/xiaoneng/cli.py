"""The ``xiaoneng`` command: the project's verbs, each a Django management command.

``xiaoneng demo|serve|import|export|token …`` run the command of that name;
``xiaoneng manage …`` passes anything else through to Django (``migrate``, ``createsuperuser``…).
"""

from __future__ import annotations

import os
import sys

VERBS = {
    "demo": "build the demo county (xiaoneng demo --help)",
    "serve": "serve the web application and API",
    "import": "import entities, units, officers, grids or Chicago food inspections from a file",
    "export": "export entities, units, officers or grids to a file",
    "token": "create, list or revoke API tokens",
    "plan": "generate patrol plans for a period (xiaoneng plan patrol --period YYYY-MM)",
    "draw": "double-random spot-check draws: create, run, verify, publish",
    "checklist": "inspection checklists: list, show, load the starter set, import a version",
    "trace": "trace checks of signed inspections (痕迹监控): flag doubts",
    "review": "director spot checks (所长抽查): draw a month's sample",
    "service-items": "service items (服务事项): load the starter set or a file, list",
    "callbacks": "callbacks (回访): draw a month's rounds, verify a round by its seed",
    "followup": "rectification deadlines: warnings (警示) for overdue orders",
    "case": "case stage time limits: list warnings",
    "calendar": "working days: workdays, add-days, load a year's holidays, status",
    "worker": "start the scheduled jobs' worker (huey's consumer; Ctrl-C stops it)",
    "jobs": "scheduled jobs: run one now, status (last runs, overdue)",
    "report": "period reports and the monthly 电子监察 bulletin (report period|timeliness)",
    "keywords": "keyword feature library (关键词特征库): load, export, status",
    "scan": "scan ads or listings (JSONL or CSV) with the keyword library: scan ads|listings FILE",
    "online": "online-trading monitoring (网络交易监测): online import FILE (JSONL or CSV)",
    "targeting": "risk model: train, score the register or a file, evaluate a period, status",
    "backup": "back up the database and media files with a checked manifest: backup -o DIR",
    "restore": "restore a backup made by xiaoneng backup (checks it first): restore DIR [--force]",
    "document": "enforcement documents (执法文书) as PDF: document inspection ID -o FILE.pdf",
    "manage": "any Django management command (migrate, createsuperuser, shell…)",
}


def usage() -> str:
    lines = ["usage: xiaoneng <verb> [options]   (xiaoneng <verb> --help for its options)", ""]
    lines += [f"  {verb:<8} {text}" for verb, text in VERBS.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(usage())
        return
    verb, rest = args[0], args[1:]
    if verb not in VERBS:
        print(f"xiaoneng: unknown verb {verb!r}\n\n{usage()}", file=sys.stderr)
        sys.exit(2)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xiaoneng.settings")
    from django.core.management import execute_from_command_line

    if verb == "manage":
        execute_from_command_line(["xiaoneng manage", *rest])
    else:
        execute_from_command_line(["xiaoneng", verb, *rest])


if __name__ == "__main__":
    main()
