"""Co-governance of advertising (篇1): the accountability ladders of ad reviewers and of
advertisers, operators and publishers, and the joint meetings (联席会议) of the departments
concerned. Its own Django app (label ``ad_governance``) inside the ads package: it reads the
register, not the rest of ``ads``."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdGovernanceConfig(AppConfig):
    name = "xiaoneng.ads.governance"
    label = "ad_governance"
    verbose_name = _("广告监管共治")

    def ready(self) -> None:
        from xiaoneng.ads.governance import panels  # noqa: F401  (the dossier's panel)
