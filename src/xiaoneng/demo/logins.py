"""The demo county's log-ins and their one password, printed by ``xiaoneng demo`` and
``xiaoneng serve``."""

from __future__ import annotations

import unicodedata

from xiaoneng.org.models import Officer

PASSWORD = "xiaoneng-demo"
# The demo log-ins, in the order they are printed.
DEMO_USERNAMES = ("admin", "leader", "division", "director", "officer")


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, roles, unit) of the demo log-ins present whose password is the demo one."""
    found = Officer.objects.filter(username__in=DEMO_USERNAMES).select_related("unit")
    by_name = {o.username: o for o in found.prefetch_related("roles")}
    # The demo accounts share one hash: verify each distinct hash once (Argon2 is slow).
    verified: dict[str, bool] = {}
    rows = []
    for username in DEMO_USERNAMES:
        officer = by_name.get(username)
        if officer is None:
            continue
        if officer.password not in verified:
            verified[officer.password] = officer.check_password(PASSWORD)
        if verified[officer.password]:
            roles = "、".join(str(r) for r in officer.roles.all())
            rows.append((username, roles, officer.unit.name if officer.unit else ""))
    return rows


def demo_logins_text() -> str:
    """A table of the demo accounts whose password is the demo one ('' when there are none)."""
    rows = demo_logins()
    if not rows:
        return ""
    lines = [f"演示账号 demo logins (password / 密码: {PASSWORD})"]
    lines.append(f"  {_pad('username', 10)} {_pad('role', 12)} unit")
    lines += [f"  {_pad(username, 10)} {_pad(role, 12)} {unit}" for username, role, unit in rows]
    return "\n".join(lines)


def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal columns (a Chinese character takes two)."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - used)
