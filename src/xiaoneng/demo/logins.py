"""The demo county's log-ins, printed by ``xiaoneng demo`` and ``xiaoneng serve``."""

from __future__ import annotations

import unicodedata

from xiaoneng.demo import county


def demo_logins_text() -> str:
    """A table of the demo accounts whose password is the demo one ('' when there are none)."""
    from xiaoneng.demo.org import demo_logins

    rows = demo_logins()
    if not rows:
        return ""
    lines = [f"演示账号 demo logins (password / 密码: {county.PASSWORD})"]
    lines.append(f"  {_pad('username', 10)} {_pad('role', 12)} unit")
    lines += [f"  {_pad(username, 10)} {_pad(role, 12)} {unit}" for username, role, unit in rows]
    return "\n".join(lines)


def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal columns (a Chinese character takes two)."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - used)
