"""The model's reasons and refusals in an officer's words: one sentence per reason group."""

from __future__ import annotations

import math

import pytest

from xiaoneng.risk.words import describe, engine_error_text, reason_text
from xiaoneng.targeting.encoding import REASON_GROUPS, Reason
from xiaoneng.targeting.errors import TargetingError, TooLittleHistory

NAN = math.nan
SEEN = {"first_record": 0.0, "past_inspections": 4.0, "days_since_last": 420.0}
NEVER = {"first_record": 1.0, "past_inspections": 0.0, "days_since_last": NAN}


@pytest.mark.parametrize(
    ("group", "values", "text"),
    [
        (
            "past_problems",
            {**SEEN, "past_critical": 3.0, "past_major": 0.0},
            "以往检查发现严重问题 3 项",
        ),
        (
            "past_problems",
            {**SEEN, "past_critical": 2.0, "past_major": 1.0},
            "以往检查发现严重问题 2 项、较重问题 1 项",
        ),
        (
            "past_problems",
            {**SEEN, "past_critical": 0.0, "past_major": 2.0},
            "以往检查发现较重问题 2 项",
        ),
        (
            "past_problems",
            {**SEEN, "past_critical": 0.0, "past_major": 0.0},
            "以往 4 次检查未发现严重或较重问题",
        ),
        ("past_problems", {**NEVER, "past_critical": 0.0}, "从未检查过"),
        ("last_visit", {"last_critical": 2.0, "last_major": 1.0}, "上次检查发现严重问题 2 项"),
        ("last_visit", {"last_critical": 0.0, "last_major": 1.0}, "上次检查发现较重问题 1 项"),
        ("last_visit", {"last_critical": 0.0, "last_major": 0.0}, "上次检查未发现严重或较重问题"),
        ("last_visit", {"last_critical": NAN, "last_major": NAN}, "从未检查过"),
        ("since_last", SEEN, "距上次检查 420 天"),
        ("since_last", NEVER, "从未检查过"),
        (
            "nearby",
            {"nearby_inspections": 12.0, "nearby_rate": 0.25},
            "周边一年内检查 12 次、发现严重问题比例 25%",
        ),
        ("nearby", {"nearby_inspections": 0.0, "nearby_rate": NAN}, "周边一年内无检查记录"),
        ("nearby", {"nearby_inspections": NAN, "nearby_rate": NAN}, "位置不详，无周边检查记录"),
        ("risk_class", {"risk_class": 1.0}, "风险类别Ⅰ类"),
        ("risk_class", {"risk_class": 3.0}, "风险类别Ⅲ类"),
        ("risk_class", {"risk_class": NAN}, "风险类别未定"),
        ("credit", {"credit": 3.0}, "信用等级 C"),
        ("credit", {"credit": NAN}, "信用等级未评定"),
        ("complaints", {"complaints": 2.0}, "一年内投诉 2 件"),
        ("complaints", {"complaints": 0.0}, "一年内无投诉"),
        ("cases", {"cases": 1.0}, "立案 1 件"),
        ("cases", {"cases": 0.0}, "无立案记录"),
        ("age_years", {"age_years": 0.4}, "成立不足 1 年"),
        ("age_years", {"age_years": 7.9}, "成立 7 年"),
        ("age_years", {"age_years": NAN}, "成立日期不详"),
        ("licences", {"licences": 2.0}, "持有许可证 2 件"),
        ("licences", {"licences": 0.0}, "未登记许可证"),
    ],
)
def test_each_group_is_said_from_the_entitys_own_values(
    group: str, values: dict[str, float], text: str
) -> None:
    assert describe(group, values) == text


def test_every_reason_group_has_its_own_words() -> None:
    for group in REASON_GROUPS:
        assert describe(group, {}) != group


def test_industry_is_named_from_the_register() -> None:
    assert describe("industry", {}, industry="正餐服务") == "行业：正餐服务"
    assert describe("industry", {}) == "行业：未知"


def test_arrow_says_which_way_the_reason_pushes_the_risk() -> None:
    values = {**SEEN, "past_critical": 3.0}
    assert (
        reason_text(Reason("past_problems", 0.12), values) == "以往检查发现严重问题 3 项（风险↑）"
    )
    assert reason_text(Reason("since_last", -0.03), SEEN) == "距上次检查 420 天（风险↓）"
    assert reason_text(Reason("credit", 0.0), {"credit": 1.0}) == "信用等级 A"


def test_too_little_history_is_said_in_chinese_with_the_fallback() -> None:
    error = TooLittleHistory(
        "too little history to train: the validation slice has 80 inspections and 12 with a "
        "critical violation (at least 100 and 20 needed); fall back to class order"
    )
    text = engine_error_text(error)
    assert "只有 80 次检查、其中 12 次发现严重问题" in text
    assert text.endswith("在训练出模型之前，巡查计划继续按风险类别排序。")
    assert text.isascii() is False and "history" not in text


def test_other_engine_refusals_are_said_in_chinese() -> None:
    error = TargetingError("the period has no inspection with a critical violation")
    assert engine_error_text(error) == "评估期内没有发现严重问题的检查，无法比较排序。"
