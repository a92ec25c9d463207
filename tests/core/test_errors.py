"""Domain errors: what pages, the API and the CLI show."""

from __future__ import annotations

from xiaoneng.core.errors import Conflict, FieldError, InvalidInput


def test_a_page_banner_names_the_problems_without_the_api_field_names() -> None:
    single = InvalidInput.single("amount", "入库金额格式不正确：abc")
    assert single.message == "amount: 入库金额格式不正确：abc"
    assert single.for_page == "入库金额格式不正确：abc"
    several = InvalidInput(
        "fine: 罚款金额不能为负数：-5",
        errors=[
            FieldError("fine", "罚款金额不能为负数：-5"),
            FieldError("decided_on", "请填写决定日期（YYYY-MM-DD）"),
            FieldError("fine", "罚款金额不能为负数：-5"),
        ],
    )
    assert several.for_page == "罚款金额不能为负数：-5；请填写决定日期（YYYY-MM-DD）"
    assert Conflict("该建议已处理（已确认）").for_page == "该建议已处理（已确认）"
