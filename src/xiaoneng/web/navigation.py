"""The navigation bar: only modules that exist, only entries the user may use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from xiaoneng.org import access


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    capability: str | None = None

    def url(self) -> str:
        return reverse(self.url_name)


# One entry per module that exists; a new module adds its entry here when it lands.
NAVIGATION = [
    NavItem(_("概览"), "home"),
    NavItem(_("经济户口"), "registry:entity_list"),
    NavItem(_("待认领"), "registry:unclaimed"),
    NavItem(_("网格外主体"), "registry:outside_grids"),
    NavItem(_("网格地图"), "org:map"),
    NavItem(_("单位"), "org:unit_list"),
    NavItem(_("人员"), "org:officer_list"),
    NavItem(_("监管政策"), "planning:policy"),
    NavItem(_("导入导出"), "registry:transfer"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    items = [
        {
            "label": item.label,
            "url": item.url(),
            "active": (request.path.startswith(item.url()) and item.url_name != "home")
            or request.path == item.url(),
        }
        for item in NAVIGATION
        if item.capability is None or access.can(user, item.capability)
    ]
    return {"navigation": items}
