"""The numbering service: one sequence per prefix, kind and year, never reused, gaps explained."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from xiaoneng.core.errors import Conflict, InvalidInput
from xiaoneng.core.models import AuditEvent
from xiaoneng.documents.models import DocumentNumber, NumberCounter
from xiaoneng.documents.numbering import gaps, next_number, void

pytestmark = pytest.mark.django_db


def test_numbers_run_per_kind_and_year_in_the_gb9704_form(settings: Any) -> None:
    settings.DOCUMENT_NUMBER_PREFIX = "伊市监"
    first = next_number(kind="inspection", year=2026)
    second = next_number(kind="inspection", year=2026)
    other_kind = next_number(kind="rectification", year=2026)
    other_year = next_number(kind="inspection", year=2027)
    assert [first.text, second.text] == ["伊市监检录〔2026〕1号", "伊市监检录〔2026〕2号"]
    assert other_kind.text == "伊市监责改〔2026〕1号"
    assert other_year.text == "伊市监检录〔2027〕1号"
    assert (second.prefix, second.kind, second.year, second.serial) == (
        "伊市监",
        "inspection",
        2026,
        2,
    )


def test_another_prefix_is_another_sequence() -> None:
    next_number(kind="inspection", year=2026, prefix="伊市监")
    assert (
        next_number(kind="inspection", year=2026, prefix="霍市监").text == "霍市监检录〔2026〕1号"
    )


def test_a_void_number_stays_with_its_reason_and_is_never_given_again() -> None:
    first = next_number(kind="inspection", year=2026)
    voided = void(number=first, reason="打印时卡纸，文书未送达")
    assert voided.is_void and voided.void_reason == "打印时卡纸，文书未送达"
    assert next_number(kind="inspection", year=2026).serial == 2
    assert [n.text for n in gaps(kind="inspection", year=2026)] == [first.text]
    assert DocumentNumber.objects.filter(pk=first.pk).exists()
    event = AuditEvent.objects.filter(object_id=str(first.pk), reason="打印时卡纸，文书未送达")
    assert event.exists()


def test_the_counter_not_the_highest_row_decides_the_next_number() -> None:
    """A number counted once is spent even if its row were gone: numbers are never reused."""
    next_number(kind="inspection", year=2026)
    last = next_number(kind="inspection", year=2026)
    DocumentNumber.objects.filter(pk=last.pk).delete()
    assert next_number(kind="inspection", year=2026).serial == 3
    assert NumberCounter.objects.get(kind="inspection", year=2026).last_serial == 3


def test_voiding_needs_a_reason_and_happens_once() -> None:
    number = next_number(kind="inspection", year=2026)
    with pytest.raises(InvalidInput) as blank:
        void(number=number, reason="  ")
    assert blank.value.errors[0].message == "作废文号须说明理由"
    void(number=number, reason="重复编号")
    with pytest.raises(Conflict) as twice:
        void(number=number, reason="再次作废")
    assert "已于" in twice.value.message and number.text in twice.value.message


def test_an_unknown_kind_or_a_bad_year_is_refused() -> None:
    with pytest.raises(InvalidInput) as kind:
        next_number(kind="memo", year=2026)
    assert kind.value.errors[0].message == "未知的文书种类：memo"
    with pytest.raises(InvalidInput):
        next_number(kind="inspection", year=26)
    assert not DocumentNumber.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_issues_never_share_or_skip_a_number() -> None:
    """Threads racing on one sequence, each on its own connection: the counter row's lock
    serialises them. Real row locks need PostgreSQL (the suite's PostgreSQL run)."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks under concurrency are checked on PostgreSQL")
    threads, each = 6, 5
    start = threading.Barrier(threads)
    serials: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def issue() -> None:
        try:
            start.wait()
            for _ in range(each):
                number = next_number(kind="inspection", year=2026)
                with lock:
                    serials.append(number.serial)
        except BaseException as error:  # reported below, in the test's own thread
            errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=issue) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not errors
    assert sorted(serials) == list(range(1, threads * each + 1))
