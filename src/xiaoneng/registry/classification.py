"""Risk class from the rule table (篇2: Ⅰ food and hazardous chemicals, Ⅱ pre-approval)."""

from __future__ import annotations

from collections.abc import Iterable

from xiaoneng.registry.models import RiskClass, RiskClassRule

SEVERITY = {RiskClass.I: 0, RiskClass.II: 1, RiskClass.III: 2}


class RiskRules:
    """The rule table loaded once: industry-code prefixes and licence kinds to a class."""

    def __init__(self, industry: dict[str, str], licence: dict[str, str]) -> None:
        self.industry = industry
        self.licence = licence
        self._lengths = sorted({len(p) for p in industry}, reverse=True)

    @classmethod
    def load(cls) -> RiskRules:
        industry: dict[str, str] = {}
        licence: dict[str, str] = {}
        for rule in RiskClassRule.objects.all():
            target = industry if rule.match == RiskClassRule.Match.INDUSTRY else licence
            target[rule.pattern] = rule.risk_class
        return cls(industry, licence)

    def derive(self, industry_code: str, licence_kinds: Iterable[str] = ()) -> str:
        """The most severe class among the rules matching the industry and the licences."""
        found = [
            self.industry[industry_code[:n]]
            for n in self._lengths
            if industry_code[:n] in self.industry
        ]
        found += [self.licence[kind] for kind in licence_kinds if kind in self.licence]
        if not found:
            return RiskClass.III
        return min(found, key=lambda c: SEVERITY[RiskClass(c)])
