"""Matching: exceptions claim their span, evasion is seen through, spans are original."""

from __future__ import annotations

import pytest

from tests.textscan.library import LIBRARY
from xiaoneng.textscan import Library, Rule, Scanner, Violation


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner.compile(LIBRARY)


def found(violations: list[Violation]) -> list[tuple[str, str, int, int]]:
    return [(v.rule, v.match, v.start, v.end) for v in violations]


def test_lawful_phrase_claims_its_span_and_the_term_is_flagged(scanner: Scanner) -> None:
    text = "最近上新，这是最好的面膜，第一次购买"
    assert found(scanner.scan(text)) == [("ABS-1", "最好", 7, 9)]


@pytest.mark.parametrize("text", ["路口交通", "三黄片", "然后", "女装", "最后一天", "第一天"])
def test_classic_false_positives_do_not_occur(scanner: Scanner, text: str) -> None:
    assert scanner.scan(text) == []


def test_exception_shields_only_the_rules_whose_term_it_contains(scanner: Scanner) -> None:
    text = "最高人民法院"
    assert found(scanner.scan(text, target="ad", kind="general")) == [("GOV-1", "人民法院", 2, 6)]


def test_terms_are_found_next_to_exceptions(scanner: Scanner) -> None:
    assert found(scanner.scan("三黄片和黄片", target="listing")) == [("PRO-1", "黄片", 4, 6)]


@pytest.mark.parametrize(
    ("text", "match"),
    [("最*好", "最*好"), ("最 佳", "最 佳"), ("第-一", "第-一"), ("最\u200b好", "最\u200b好")],
)
def test_separators_inserted_by_evaders_are_seen_through(
    scanner: Scanner, text: str, match: str
) -> None:
    assert found(scanner.scan(f"全网{text}产品")) == [("ABS-1", match, 2, 2 + len(match))]


def test_separated_lawful_phrase_is_still_lawful(scanner: Scanner) -> None:
    assert scanner.scan("最 近 到货") == []


def test_full_width_traditional_and_case_are_normalised(scanner: Scanner) -> None:
    text = "ＮＯ．１的產品，No.1，高仿貨"
    assert found(scanner.scan(text)) == [
        ("ABS-1", "ＮＯ．１", 0, 4),
        ("ABS-1", "No.1", 8, 12),
        ("PRO-1", "高仿", 13, 15),
    ]


def test_variant_numerals_are_normalised(scanner: Scanner) -> None:
    assert found(scanner.scan("销量第壹")) == [("ABS-1", "第壹", 2, 4)]


def test_span_is_original_when_a_character_expands(scanner: Scanner) -> None:
    text = "㈠最好"  # ㈠ becomes three characters "(一)"
    assert found(scanner.scan(text)) == [("ABS-1", "最好", 1, 3)]


def test_separator_match_is_not_reported_twice(scanner: Scanner) -> None:
    assert found(scanner.scan("no.1")) == [("ABS-1", "no.1", 0, 4)]


def test_second_pass_keeps_only_matches_with_a_separator_inside(scanner: Scanner) -> None:
    # "好 最好": the second pass sees 好最好; its 最好 has no separator inside: first pass only.
    assert found(scanner.scan("好 最好")) == [("ABS-1", "最好", 2, 4)]


def test_clause_punctuation_is_a_boundary(scanner: Scanner) -> None:
    assert scanner.scan("入口，交费处", target="listing") == []


def test_pattern_is_matched_around_its_anchor(scanner: Scanner) -> None:
    text = "临床有效率高达 98.5% ，见效快"
    assert found(scanner.scan(text)) == [("MED-1", "有效率高达 98.5%", 2, 13)]
    assert scanner.scan("有效率很高") == []


def test_rules_are_scoped_by_target_and_kind(scanner: Scanner) -> None:
    assert found(scanner.scan("根治", kind="cosmetics")) == [("MED-1", "根治", 0, 2)]
    assert scanner.scan("根治", kind="medical") == []
    assert scanner.scan("高仿", target="ad") == []
    assert found(scanner.scan("高仿", target="listing")) == [("PRO-1", "高仿", 0, 2)]
    assert scanner.scan("人民法院", target="ad", kind="drug") == []
    assert scanner.scan("人民法院", target="listing") == []


def test_scan_many_splits_hits_back_to_records(scanner: Scanner) -> None:
    items = [("最好", None), ("", None), ("好的", None), ("根治最*佳", "medical"), ("第一", None)]
    results = scanner.scan_many(items)
    assert [found(r) for r in results] == [
        [("ABS-1", "最好", 0, 2)],
        [],
        [],
        [("ABS-1", "最*佳", 2, 5)],
        [("ABS-1", "第一", 0, 2)],
    ]


def test_matches_never_span_two_records(scanner: Scanner) -> None:
    assert scanner.scan_many([("最", None), ("近", None)])[0][0].match == "最"
    assert scanner.scan_many([("口", None), ("交", None)], target="listing") == [[], []]


def test_match_is_the_original_text_at_the_span(scanner: Scanner) -> None:
    texts = ["ＮＯ．１ 最 好 三黄片 有效率为99%", "㈠㈡最佳\x00第一"]
    for text, violations in zip(texts, scanner.scan_many((t, None) for t in texts), strict=True):
        assert violations
        for violation in violations:
            assert text[violation.start : violation.end] == violation.match


def test_large_batches_give_the_same_result_as_single_scans(scanner: Scanner) -> None:
    texts = [f"第{n}号 最{'*' * (n % 3)}好 路口交通 最近" for n in range(3000)]
    assert scanner.scan_many((t, None) for t in texts) == [scanner.scan(t) for t in texts]


def test_violation_as_dict_is_the_cli_object(scanner: Scanner) -> None:
    (violation,) = scanner.scan("最好")
    assert violation.as_dict() == {
        "rule": "ABS-1",
        "category": "absolute",
        "law": "《中华人民共和国广告法》第九条第（三）项",
        "severity": "medium",
        "match": "最好",
        "start": 0,
        "end": 2,
    }


def test_counts_and_version(scanner: Scanner) -> None:
    assert (scanner.version, scanner.rule_count, scanner.term_count) == ("test-1", 4, 12)


def test_empty_library_finds_nothing() -> None:
    assert Scanner.compile(Library(version="0", rules=())).scan("最好") == []


def test_term_of_another_rule_inside_a_term_is_reported() -> None:
    rules = (
        Rule(id="A", category="absolute", law="甲", severity="low", terms=("国家级产品",)),
        Rule(id="B", category="state_organ", law="乙", severity="low", terms=("国家",)),
    )
    scanner = Scanner.compile(Library(version="1", rules=rules))
    assert found(scanner.scan("国家级产品")) == [("B", "国家", 0, 2), ("A", "国家级产品", 0, 5)]


def test_traditional_phrases_are_converted_by_opencc() -> None:
    from xiaoneng.textscan import normalise

    assert normalise("乾隆年間，乾燥的頭髮").text == "乾隆年间,干燥的头发"


def test_every_term_written_with_separators_is_found_at_its_span(scanner: Scanner) -> None:
    import random

    rng = random.Random(5)
    filler = list("的了是在有和这个我们他她你们上下大小多少好人")  # 天: 第一天 is lawful
    separators = ["*", " ", "-", "_", "·", "|", "/", "\u200b", "  ", "**"]
    terms = ["最好", "最佳", "第一", "根治", "药到病除"]
    texts, expected = [], []
    for _ in range(500):
        term = rng.choice(terms)
        written = rng.choice(separators).join(term) if rng.random() < 0.6 else term
        before = "".join(rng.choices(filler, k=rng.randint(0, 30)))
        after = "".join(rng.choices(filler, k=rng.randint(0, 30)))
        texts.append(before + written + after)
        expected.append((written, len(before), len(before) + len(written)))
    results = scanner.scan_many((t, None) for t in texts)
    for text, want, violations in zip(texts, expected, results, strict=True):
        assert want in [(v.match, v.start, v.end) for v in violations], text


def test_iter_scan_gives_what_scan_many_gives(scanner: Scanner) -> None:
    items = [(f"{n}号最{'-' * (n % 2)}好😀", None) for n in range(50)]
    assert list(scanner.iter_scan(iter(items))) == scanner.scan_many(items)


def test_characters_outside_the_basic_plane_keep_spans_right(scanner: Scanner) -> None:
    text = "😀𠀀最 好𝐍𝐎.𝟏"  # emoji, a CJK extension B character, mathematical bold NO.1
    assert found(scanner.scan(text)) == [("ABS-1", "最 好", 2, 5), ("ABS-1", "𝐍𝐎.𝟏", 5, 9)]


def test_library_with_more_than_16383_characters_uses_three_bytes() -> None:
    from xiaoneng.textscan import normalise

    pool = [chr(p) for p in [*range(0x3400, 0x4DC0), *range(0x4E00, 0xA000)]]
    chars = [c for c in pool if normalise(c).text == c][:17_000]
    terms = tuple(a + b for a, b in zip(chars[0::2], chars[1::2], strict=True))
    rule = Rule(id="BIG", category="absolute", law="甲", severity="low", terms=terms)
    big = Scanner.compile(Library(version="1", rules=(rule,)))
    text = "前" + terms[-1][0] + "*" + terms[-1][1] + terms[5]
    assert found(big.scan(text)) == [
        ("BIG", terms[-1][0] + "*" + terms[-1][1], 1, 4),
        ("BIG", terms[5], 4, 6),
    ]


def test_second_pass_windows_find_what_a_whole_text_pass_finds(
    scanner: Scanner, monkeypatch: pytest.MonkeyPatch
) -> None:
    import random

    import numpy as np

    from xiaoneng.textscan import matching

    rng = random.Random(8)
    pieces = [
        *"的了是在有和最好佳第一次近后天口交路通三黄片根治",
        " ",
        "*",
        "-",
        "·",
        "，",
        "\u200b",
    ]
    texts = ["".join(rng.choices(pieces, k=rng.randint(0, 60))) for _ in range(2000)]
    windowed = scanner.scan_many((t, None) for t in texts)

    def whole(batch: matching.Batch, *_: object) -> tuple[np.ndarray, np.ndarray]:
        return np.array([0]), np.array([len(batch.entries)])

    monkeypatch.setattr(matching, "windows", whole)
    assert scanner.scan_many((t, None) for t in texts) == windowed


def test_a_term_inside_a_pattern_match_of_its_rule_gives_way() -> None:
    from xiaoneng.textscan import Pattern

    rule = Rule(
        id="MED-2",
        category="medical_claim",
        law="乙",
        severity="high",
        terms=("有效率",),
        patterns=(Pattern(anchors=("有效率",), regex=r"有效率\s*\d+%"),),
    )
    claims = Scanner.compile(Library(version="1", rules=(rule,)))
    assert found(claims.scan("有效率98%，有效率高")) == [
        ("MED-2", "有效率98%", 0, 6),
        ("MED-2", "有效率", 7, 10),
    ]


def test_a_library_of_more_than_16383_characters_is_read_in_three_bytes() -> None:
    from xiaoneng.textscan.alphabet import TWO_BYTES

    # 17,000 distinct ideographs that normalise to themselves, in two-character terms.
    from xiaoneng.textscan.normalisation import normalise_term

    ideographs = (chr(p) for p in range(0x3400, 0xA000))
    chars = [c for c in ideographs if normalise_term(c) == c][:17_000]
    terms = tuple(a + b for a, b in zip(chars[0::2], chars[1::2], strict=True))
    rule = Rule(id="WIDE-1", category="absolute", law="甲", severity="low", terms=terms)
    wide = Scanner.compile(Library(version="1", rules=(rule,)))
    assert wide._matcher.compiled.alphabet.width == 3
    assert len(wide._matcher.compiled.alphabet.numbers.nonzero()[0]) >= TWO_BYTES
    last = terms[-1]
    texts = [f"甲{terms[0]}乙", f"{last[0]} * {last[1]}", "无", f"{terms[1]}{terms[1]}"]
    assert [found(r) for r in wide.scan_many((t, None) for t in texts)] == [
        [("WIDE-1", terms[0], 1, 3)],
        [("WIDE-1", f"{last[0]} * {last[1]}", 0, 5)],
        [],
        [("WIDE-1", terms[1], 0, 2), ("WIDE-1", terms[1], 2, 4)],
    ]
