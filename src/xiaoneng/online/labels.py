"""The Chinese labels of the keyword categories (``textscan.CATEGORIES``)."""

from __future__ import annotations

# The agreed categories of issue 11, until the engine names more.
AGREED = {
    "absolute": "绝对化用语",
    "medical_claim": "医疗/疗效用语",
    "guarantee": "保证性承诺",
    "state_organ": "使用国家机关或工作人员名义",
    "false_misleading": "虚假或引人误解",
    "superstition": "迷信",
    "minors": "未成年人",
    "prohibited_goods": "禁限售商品",
}


def categories() -> dict[str, str]:
    """Category code → label, as the keyword feature library names them."""
    from xiaoneng import textscan

    return AGREED | dict(getattr(textscan, "CATEGORIES", {}))


def category_label(code: str) -> str:
    return categories().get(code, code)
