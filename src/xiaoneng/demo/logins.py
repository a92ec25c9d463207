"""The demo county's log-ins, printed by ``xiaoneng demo`` and ``xiaoneng serve``."""

from __future__ import annotations

DEMO_PASSWORD = "xiaoneng-demo"
DEMO_BUREAU_CODE = "XN-654002"
# The named demo accounts, in the order they are shown.
DEMO_USERNAMES = ("admin", "leader", "division", "director", "officer")


def demo_logins_text() -> str:
    """A table of the demo accounts present in the database ('' when no demo county is loaded)."""
    from xiaoneng.org.models import Officer, Unit

    if not Unit.objects.filter(code=DEMO_BUREAU_CODE).exists():
        return ""
    officers = {
        o.username: o
        for o in Officer.objects.filter(username__in=DEMO_USERNAMES)
        .select_related("unit")
        .prefetch_related("roles")
    }
    lines = [f"demo log-ins (password for every account: {DEMO_PASSWORD})"]
    for username in DEMO_USERNAMES:
        officer = officers.get(username)
        if officer is None:
            continue
        roles = "、".join(str(r) for r in officer.roles.all())
        unit = officer.unit.name if officer.unit else ""
        lines.append(f"  {username:<10} {roles:<12} {unit}")
    return "\n".join(lines)
