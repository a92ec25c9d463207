"""The installable field app (离线外勤, issue 15 item 5; docs/offline-sync.md "The app").

Three addresses under ``inspections/field/``: the app's page, its web app manifest and its
service worker. The page is a shell: ``inspections/field/app.js`` downloads the officer's pack
(``GET /api/v1/inspections/offline-pack``) into IndexedDB, fills inspections without signal and
sends them to ``POST /api/v1/inspections/sync`` when the connection returns. The service worker
keeps the shell and its static files on the phone, so the page opens with no network at all.

The manifest and the worker hold no data of anyone: the browser fetches a manifest without the
session's cookie, so both answer without a login. The page needs one, and the right to inspect.
"""

from __future__ import annotations

import functools
import hashlib
import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from xiaoneng.org import access
from xiaoneng.org.requests import OfficerRequest

# The static files the shell needs, kept by the service worker (the page's own, base.html's).
SHELL_FILES = (
    "inspections/field/app.js",
    "inspections/field/icon-192.png",
    "inspections/field/icon-512.png",
    "vendor/idb/umd.js",
    "vendor/signature_pad/signature_pad.umd.min.js",
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "vendor/bootstrap-icons/bootstrap-icons.min.css",
    "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2",
    "vendor/bootstrap-icons/fonts/bootstrap-icons.woff",
    "vendor/htmx/htmx.min.js",
    "web/site.css",
    "web/site.js",
    "web/favicon.svg",
)
# Days of tasks the app keeps on the phone (the pack's ``days``).
PACK_DAYS = 3


@functools.cache
def shell_version() -> str:
    """A digest of the shell's files: a new release changes it, and the worker then replaces
    the phone's copies (its cache is named by it)."""
    digest = hashlib.sha256()
    for name in SHELL_FILES:
        found = finders.find(name)
        if isinstance(found, str):
            with open(found, "rb") as handle:
                digest.update(handle.read())
    return digest.hexdigest()[:16]


def _strings() -> dict[str, str]:
    """What the app says, translated here so the catalogue holds it (the script has no text)."""
    return {
        "online": _("在线"),
        "offline": _("离线：记录保存在手机上，联网后自动同步"),
        "downloaded": _("任务下载于 %(at)s"),
        "never_downloaded": _("尚未下载任务，请联网后打开本页"),
        "download": _("下载任务"),
        "sync": _("立即同步"),
        "syncing": _("正在同步……"),
        "queued": _("待同步 %(n)s 条"),
        "nothing_queued": _("没有待同步的记录"),
        "no_tasks": _("近 %(days)s 天没有待检查的任务"),
        "tasks": _("近几天的任务"),
        "scheduled": _("计划 %(day)s"),
        "due": _("应查 %(day)s"),
        "overdue": _("已逾期"),
        "last": _("上次检查 %(day)s"),
        "last_failed": _("上次不符合："),
        "no_last": _("没有已签名的检查记录"),
        "state_new": _("未录入"),
        "state_editing": _("录入中"),
        "state_queued": _("待同步"),
        "state_applied": _("已同步"),
        "state_duplicate": _("已同步"),
        "state_conflict": _("冲突"),
        "state_refused": _("被退回"),
        "back": _("返回任务"),
        "items": _("检查事项"),
        "pass": _("符合"),
        "fail": _("不符合"),
        "na": _("不适用"),
        "note": _("情况说明"),
        "basis": _("依据"),
        "summary": _("检查情况"),
        "checkin": _("现场签到"),
        "checkin_do": _("获取当前位置"),
        "checkin_done": _("已签到：%(lat)s, %(lng)s（精度 %(acc)s 米，%(at)s）"),
        "checkin_none": _("尚未签到"),
        "checkin_failed": _("无法获取位置：%(reason)s"),
        "photos": _("现场照片"),
        "photos_add": _("拍照或选择照片"),
        "photo_remove": _("删除"),
        "party": _("当事人签名"),
        "party_name": _("当事人姓名"),
        "party_role": _("身份"),
        "party_statement": _("当事人意见"),
        "party_refused": _("当事人拒绝签名"),
        "party_signs": _("当事人签名"),
        "witness_name": _("见证人姓名"),
        "witness_role": _("见证人身份"),
        "clear": _("重写"),
        "save": _("暂存在手机上"),
        "saved": _("已暂存在手机上。"),
        "submit": _("完成检查并签名，加入同步队列"),
        "submit_draft": _("不签名，仅同步草稿"),
        "submitted": _("已加入同步队列，将在联网后同步。"),
        "missing_results": _("以下检查事项尚无结论：第 %(numbers)s 项"),
        "missing_checkin": _("实地检查须在现场签到（签到位置和时间）"),
        "missing_witness": _("当事人拒绝签名的，须填写见证人"),
        "missing_party": _("请填写当事人姓名，并请当事人在框内签名"),
        "outcome": _("同步结果"),
        "discard": _("放弃本机记录并重新下载"),
        "discard_confirm": _("放弃后，本机上该任务的录入内容将删除，确定吗？"),
        "edit_again": _("修改后重新同步"),
        "continue": _("继续录入并签名"),
        "wrong_user": _(
            "待同步记录属于 %(owner)s，当前登录的是 %(user)s；请以 %(owner)s 登录后同步"
        ),
        "login_again": _("登录已失效，请联网后重新登录，再同步"),
        "server_error": _("服务器暂时无法处理（%(status)s），记录仍在手机上，稍后自动重试"),
        "network_error": _("网络不可用，记录仍在手机上，联网后自动同步"),
        "storage_error": _("手机存储不可用（%(reason)s），无法离线保存"),
        "draft_on_server": _("服务器上已有草稿（修订号 %(revision)s，%(who)s 修改）"),
        "synced_at": _("同步于 %(at)s"),
        "open_record": _("查看检查记录"),
    }


@login_required
def field_app(request: OfficerRequest) -> HttpResponse:
    """The app's page: a shell the script fills from the phone's IndexedDB."""
    access.require(request.user, access.INSPECT)
    config = {
        "username": request.user.get_username(),
        "officer": str(request.user),
        "pack_url": f"/api/v1/inspections/offline-pack?days={PACK_DAYS}",
        "sync_url": "/api/v1/inspections/sync",
        "worker_url": reverse("inspections:field_worker"),
        "scope": reverse("inspections:field_app"),
        "record_url": reverse("inspections:inspection_detail", args=[0]),
        "login_url": reverse("login") + "?next=" + reverse("inspections:field_app"),
        "strings": _strings(),
    }
    return render(request, "inspections/field.html", {"config": config})


def field_manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest: installable, opening the app's page on its own."""
    scope = reverse("inspections:field_app")
    manifest: dict[str, Any] = {
        "name": _("效能监管 · 离线外勤"),
        "short_name": _("离线外勤"),
        "description": _("网格监管人员在没有信号时录入检查，联网后自动同步"),
        "lang": "zh-CN",
        "start_url": scope,
        "scope": scope,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0d6efd",
        "icons": [
            {
                "src": static(f"inspections/field/icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any maskable",
            }
            for size in (192, 512)
        ],
    }
    return JsonResponse(
        manifest,
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


@never_cache
def field_worker(request: HttpRequest) -> HttpResponse:
    """The service worker: the shell's files named by ``shell_version``."""
    files = [reverse("inspections:field_app"), reverse("inspections:field_manifest")]
    files += [static(name) for name in SHELL_FILES]
    script = render(
        request,
        "inspections/field_sw.js",
        {"version": shell_version(), "files": json.dumps(files), "scope": files[0]},
        content_type="text/javascript; charset=utf-8",
    )
    return script
