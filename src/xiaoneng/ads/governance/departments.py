"""The departments that may sit in a joint meeting (篇1: 宣传、卫生、药监、公安、监察等部门).

The list is configurable: ``AD_JOINT_MEETING_DEPARTMENTS`` in the settings, a list of
(code, name) pairs, replaces the default below. Meetings store the codes.
"""

from __future__ import annotations

from django.conf import settings

DEFAULT_DEPARTMENTS: tuple[tuple[str, str], ...] = (
    ("market", "市场监管局"),
    ("propaganda", "宣传部"),
    ("public_security", "公安局"),
    ("health", "卫健委"),
    ("drugs", "药监局"),
    ("radio_tv", "广电局"),
    ("cyberspace", "网信办"),
    ("press", "新闻出版局"),
    ("discipline", "纪检监察"),
)


def departments() -> dict[str, str]:
    """Code → name of the departments a meeting may name, in their configured order."""
    configured = getattr(settings, "AD_JOINT_MEETING_DEPARTMENTS", None) or DEFAULT_DEPARTMENTS
    return {str(code): str(name) for code, name in configured}


def department_name(code: str) -> str:
    """The department's name, or its code when the list no longer holds it."""
    return departments().get(code, code)
