"""The navigation bar: only modules that exist, only entries the user may use, in menus."""

from __future__ import annotations

from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class NavMenu:
    label: str | Promise
    items: list[NavItem] = field(default_factory=list)


# One entry per module that exists; a new module adds its entry here when it lands.
NAVIGATION: list[NavItem | NavMenu] = [
    NavItem(_("概览"), "home"),
    NavMenu(
        _("经济户口"),
        [
            NavItem(_("市场主体名录"), "registry:entity_list"),
            NavItem(_("待认领"), "registry:unclaimed"),
            NavItem(_("网格外主体"), "registry:outside_grids"),
            NavItem(_("网格地图"), "registry:map"),
            NavItem(_("导入导出"), "registry:transfer"),
        ],
    ),
    NavMenu(
        _("监管计划"),
        [
            NavItem(_("巡查计划"), "planning:plan_list"),
            NavItem(_("专项整治"), "planning:campaign_list"),
            NavItem(_("双随机抽查"), "planning:draw_list"),
            NavItem(_("监管政策"), "planning:policy"),
        ],
    ),
    NavMenu(
        _("检查"),
        [
            NavItem(_("检查记录"), "inspections:inspection_list"),
            NavItem(_("临时检查"), "inspections:inspection_start", access.INSPECT),
            NavItem(_("离线外勤"), "inspections:field_app", access.INSPECT),
            NavItem(_("检查发现"), "inspections:finding_list"),
            NavItem(_("责令整改"), "inspections:rectification_list"),
            NavItem(_("退出督查"), "inspections:exit_list"),
            NavItem(_("无照经营"), "inspections:unlicensed_list"),
            NavItem(_("监督抽查"), "inspections:sampling_plans"),
            NavItem(_("不合格后处理"), "inspections:sampling_follow_ups"),
            NavItem(_("检查项目清单"), "inspections:checklist_list"),
        ],
    ),
    NavMenu(
        _("督查"),
        [
            NavItem(_("督查总览"), "oversight:leader_view", access.VIEW_OVERSIGHT),
            NavItem(_("痕迹疑点"), "inspections:trace_flag_list"),
            NavItem(_("所长抽查"), "oversight:review_list"),
            NavItem(_("督办事项"), "oversight:supervision_list"),
            NavItem(_("信用反馈"), "registry:credit_list"),
        ],
    ),
    NavMenu(
        _("案件"),
        [
            NavItem(_("案件"), "cases:case_list"),
            NavItem(_("目标任务"), "cases:target_list"),
        ],
    ),
    NavMenu(
        _("电子监察"),
        [
            NavItem(_("办件"), "timeliness:service_case_list"),
            NavItem(_("投诉举报"), "timeliness:complaint_list"),
            NavItem(_("时限预警"), "timeliness:warning_list"),
            NavItem(_("回访"), "timeliness:callback_list"),
            NavItem(_("回访问题整改"), "timeliness:callback_problem_list"),
            NavItem(_("问责"), "timeliness:accountability_list"),
            NavItem(_("服务事项"), "timeliness:service_item_list"),
        ],
    ),
    NavMenu(
        _("广告监管"),
        [
            NavItem(_("广告经营单位"), "ads:operator_list"),
            NavItem(_("年度资格检查"), "ads:check_list"),
            NavItem(_("发布前备案"), "ads:filing_list"),
            NavItem(_("广告监测"), "ads:monitored_list"),
            NavItem(_("监管文书"), "ads:notice_list"),
            NavItem(_("违法印刷品收缴"), "ads:confiscation_list"),
            NavItem(_("广告监管统计"), "ads:ad_stats"),
            NavItem(_("审查员责任追究"), "ad_governance:reviewer_list"),
            NavItem(_("负责人责任追究"), "ad_governance:party_list"),
            NavItem(_("联席会议"), "ad_governance:meeting_list"),
            NavItem(_("关键词特征库"), "keywords:rule_list"),
            NavItem(_("文本试扫"), "keywords:trial"),
        ],
    ),
    NavMenu(
        _("网络交易监测"),
        [
            NavItem(_("商品信息检索"), "online:listing_list"),
            NavItem(_("卖家"), "online:seller_list"),
            NavItem(_("关联网络"), "online:network_list"),
            NavItem(_("导入批次"), "online:batch_list"),
        ],
    ),
    NavMenu(
        _("分析"),
        [
            NavItem(_("效能驾驶舱"), "assessment:cockpit"),
            NavItem(_("效能考核"), "assessment:ranking"),
            NavItem(_("效能通报"), "assessment:bulletin"),
            NavItem(_("期间报告"), "reports:period_report"),
            NavItem(_("电子监察月报"), "reports:timeliness_bulletin"),
            NavItem(_("资源消耗台帐"), "ledger:entry_list"),
            NavItem(_("执法效能"), "ledger:efficiency"),
            NavItem(_("回访满意率"), "timeliness:satisfaction"),
            NavItem(_("投诉举报统计"), "timeliness:complaint_stats"),
            NavItem(_("抽查合格率"), "inspections:sampling_rates"),
            NavItem(_("职责覆盖"), "planning:coverage"),
            NavItem(_("人员配置"), "planning:staffing"),
            NavItem(_("风险预测"), "risk:home", access.MANAGE_RISK_MODEL),
        ],
    ),
    NavMenu(
        _("组织"),
        [
            NavItem(_("单位"), "org:unit_list"),
            NavItem(_("人员"), "org:officer_list"),
            NavItem(_("业务培训"), "training:session_list"),
            NavItem(_("工作日历"), "org:calendar", access.MANAGE_CALENDAR),
            NavItem(_("定时任务"), "web:jobs", access.MANAGE_ORGANISATION),
            NavItem(_("文书模板"), "documents:wording_list", access.MANAGE_DOCUMENT_WORDING),
        ],
    ),
]


def _entry(item: NavItem, path: str) -> dict[str, Any]:
    url = item.url()
    active = path == url or (item.url_name != "home" and path.startswith(url))
    return {"label": item.label, "url": url, "active": active}


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    entries = []
    for node in NAVIGATION:
        if isinstance(node, NavItem):
            if node.capability is None or access.can(user, node.capability):
                entries.append(_entry(node, request.path))
            continue
        children = [
            _entry(item, request.path)
            for item in node.items
            if item.capability is None or access.can(user, item.capability)
        ]
        if children:
            entries.append(
                {
                    "label": node.label,
                    "children": children,
                    "active": any(c["active"] for c in children),
                }
            )
    return {"navigation": entries}
