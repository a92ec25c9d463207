"""The HTTP API under /api/v1/ (django-ninja), OpenAPI at /api/v1/openapi.json.

Every error answers ``{"detail": "...", "errors": [{"field": ..., "message": ...}]}``
(``ErrorBody``; docs/api.md): a refused rule, a bad parameter (422), an unknown path (404), a
method the path does not take (405) and a fault of ours (500, without its traceback).
Authentication: ``Authorization: Bearer <token>`` (``xiaoneng token create``) or the web session.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.urls import URLPattern, URLResolver, re_path
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation
from ninja.security import django_auth

from xiaoneng.ads.filings.api import router as ad_filing_router
from xiaoneng.ads.governance.api import router as ad_governance_router
from xiaoneng.ads.monitoring.api import router as monitored_ad_router
from xiaoneng.ads.notices.api import router as ad_notice_router
from xiaoneng.ads.operators.api import router as ad_operator_router
from xiaoneng.cases.api import router as case_router
from xiaoneng.cases.money_api import router as case_money_router
from xiaoneng.cases.targets.api import router as target_router
from xiaoneng.core.api_paging import MAX_ID
from xiaoneng.core.errors import DomainError
from xiaoneng.core.tokens import BearerToken
from xiaoneng.documents.api import router as document_router
from xiaoneng.inspections.checklists.api import router as checklist_router
from xiaoneng.inspections.followup.api import router as followup_router
from xiaoneng.inspections.records.api import router as record_router
from xiaoneng.inspections.records.sync_api import router as sync_router
from xiaoneng.inspections.sampling.api import router as sampling_router
from xiaoneng.inspections.sampling.followup_api import router as sampling_followup_router
from xiaoneng.inspections.trace.api import router as trace_router
from xiaoneng.keywords.api import router as keyword_router
from xiaoneng.online.api import router as online_router
from xiaoneng.org.api import router as org_router
from xiaoneng.org.training.api import router as training_router
from xiaoneng.oversight.reviews.api import router as review_router
from xiaoneng.oversight.supervision.api import router as supervision_router
from xiaoneng.planning.analysis.api import router as analysis_router
from xiaoneng.planning.campaigns.api import router as campaign_router
from xiaoneng.planning.draws.api import router as draw_router
from xiaoneng.planning.patrol.api import router as plan_router
from xiaoneng.planning.patrol.task_api import router as task_router
from xiaoneng.planning.policy.api import router as planning_router
from xiaoneng.registry.api import router as registry_router
from xiaoneng.reports.api import router as report_router
from xiaoneng.reports.assessment.api import router as assessment_router
from xiaoneng.reports.ledger.api import router as ledger_router
from xiaoneng.timeliness.accountability.api import router as accountability_router
from xiaoneng.timeliness.callbacks.api import router as callback_router
from xiaoneng.timeliness.clocks.api import router as clock_router
from xiaoneng.timeliness.complaints.api import router as complaint_router
from xiaoneng.timeliness.permits.api import router as permit_router
from xiaoneng.web import limits, unavailable

# django-ninja names an operation "<module>_<function>". The API modules moved into their
# sub-domain folders (docs/architecture.md); the operation ids, which generated clients call,
# stay as they were.
OPERATION_MODULES = {
    "xiaoneng.cases.money_api": "xiaoneng.cases.api",
    "xiaoneng.cases.targets.api": "xiaoneng.cases.api",
    "xiaoneng.inspections.checklists.api": "xiaoneng.inspections.checklist_api",
    "xiaoneng.inspections.followup.api": "xiaoneng.inspections.followup_api",
    "xiaoneng.inspections.records.api": "xiaoneng.inspections.record_api",
    "xiaoneng.inspections.sampling.api": "xiaoneng.inspections.sampling_api",
    "xiaoneng.inspections.sampling.followup_api": "xiaoneng.inspections.sampling_api",
    "xiaoneng.inspections.trace.api": "xiaoneng.inspections.oversight_api",
    "xiaoneng.oversight.reviews.api": "xiaoneng.inspections.oversight_api",
    "xiaoneng.oversight.supervision.api": "xiaoneng.inspections.oversight_api",
    "xiaoneng.planning.analysis.api": "xiaoneng.planning.analysis_api",
    "xiaoneng.planning.campaigns.api": "xiaoneng.planning.plan_api",
    "xiaoneng.planning.draws.api": "xiaoneng.planning.draw_api",
    "xiaoneng.planning.patrol.api": "xiaoneng.planning.plan_api",
    "xiaoneng.planning.patrol.task_api": "xiaoneng.planning.plan_api",
    "xiaoneng.planning.policy.api": "xiaoneng.planning.api",
    "xiaoneng.reports.api": "xiaoneng.cases.report_api",
    "xiaoneng.timeliness.permits.write_api": "xiaoneng.timeliness.permits.api",
}


logger = logging.getLogger("xiaoneng.api")


class FieldErrorOut(Schema):
    field: str
    message: str


class ErrorBody(Schema):
    """What every error answers: the message, and the fields it is about."""

    detail: str
    errors: list[FieldErrorOut]


# The refusals any operation may answer, documented on each (a write may also answer 409).
ERROR_ANSWERS = {
    400: "请求被业务规则拒绝",
    401: "需要登录或有效的接口令牌",
    403: "无权执行此操作",
    404: "未找到，或不在您的辖区内",
    422: "参数或请求数据无效（errors 列出字段）",
}
CONFLICT_ANSWER = {409: "与当前状态冲突（重复，或已被他人修改）"}


def error_body(detail: str, errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"detail": detail, "errors": errors or []}


def json_error(detail: str, status: int) -> HttpResponse:
    """An error answered outside an operation (no such path, a method the path does not take)."""
    return JsonResponse(
        error_body(detail), status=status, json_dumps_params={"ensure_ascii": False}
    )


def _guarded(view: Callable[..., Any]) -> Callable[..., Any]:
    """``view``, whose 405 (django-ninja's plain text) answers the documented JSON, and which
    answers 404 for a path id beyond the database's keys (SQLite would overflow on it)."""

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if any(isinstance(v, int) and v > MAX_ID for v in kwargs.values()):
            return json_error(_("未找到，或不在您的辖区内"), 404)
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            answer = json_error(_("此路径不支持该请求方法"), 405)
            answer["Allow"] = response["Allow"]
            return answer
        return response

    wrapped.csrf_exempt = True  # type: ignore[attr-defined]
    return wrapped


def no_such_path(request: HttpRequest, rest: str = "") -> HttpResponse:
    return json_error(_("未找到该接口路径"), 404)


no_such_path.csrf_exempt = True  # type: ignore[attr-defined]  # a POST answers 404, not 403


class XiaonengAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        module = operation.view_func.__module__
        module = OPERATION_MODULES.get(module, module)
        return f"{module}_{operation.view_func.__name__}".replace(".", "_")

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        """The document, with the error answers every operation may give (``ErrorBody``)."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        body = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(body.pop("$defs", {}))
        components["ErrorBody"] = body
        content = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                answers = ERROR_ANSWERS | (CONFLICT_ANSWER if method != "get" else {})
                for status, description in answers.items():
                    operation["responses"].setdefault(
                        status, {"description": description, "content": content}
                    )
        return schema

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        """The operations' URLs answering 405 as JSON, and any other path under /api/v1/ a JSON
        404 (not the site's HTML page)."""
        urls = super()._get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern):
                pattern.callback = _guarded(pattern.callback)
        urls.append(re_path(r"^(?P<rest>.*)$", no_such_path, name="no_such_path"))
        return urls


api = XiaonengAPI(
    title="xiaoneng 效能监管子系统 API",
    version="1",
    urls_namespace="api",
    auth=[BearerToken(), django_auth],
    docs_url="/docs",
)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    errors = [{"field": e.field, "message": e.message} for e in exc.errors]
    return api.create_response(request, error_body(exc.message, errors), status=exc.status_code)


# pydantic's error types in the user's language; a type not listed keeps pydantic's message.
MESSAGES = {
    "missing": "必填",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_inexact": "应为日期（YYYY-MM-DD）",
    "date_type": "应为日期（YYYY-MM-DD）",
    "datetime_parsing": "应为日期时间（ISO 8601）",
    "datetime_from_date_parsing": "应为日期时间（ISO 8601）",
    "datetime_type": "应为日期时间（ISO 8601）",
    "greater_than_equal": "不能小于 {ge}",
    "less_than_equal": "不能大于 {le}",
    "greater_than": "应大于 {gt}",
    "less_than": "应小于 {lt}",
    "string_too_short": "至少 {min_length} 个字符",
    "string_too_long": "不能超过 {max_length} 个字符",
    "string_type": "应为文本",
    "literal_error": "未知的取值，可选：{expected}",
    "enum": "未知的取值，可选：{expected}",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "json_invalid": "不是有效的 JSON",
}


def error_message(error: dict[str, Any]) -> str:
    """One pydantic error as the user reads it."""
    template = MESSAGES.get(str(error.get("type", "")))
    if template is None:
        return str(error.get("msg", ""))
    context = {key: str(value) for key, value in (error.get("ctx") or {}).items()}
    try:
        return template.format(**context)
    except (KeyError, IndexError):
        return str(error.get("msg", ""))


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = []
    for error in exc.errors:
        location = [
            str(part)
            for part in error.get("loc", ())
            if part not in ("body", "query", "path", "payload")
        ]
        errors.append({"field": ".".join(location) or "body", "message": error_message(error)})
    return api.create_response(request, error_body(_("请求数据无效"), errors), status=422)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, error_body(_("未找到，或不在您的辖区内")), status=404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, error_body(_("需要登录或有效的接口令牌")), status=401)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, error_body(str(exc)), status=exc.status_code)


@api.exception_handler(OverflowError)
def number_too_large(request: HttpRequest, exc: OverflowError) -> HttpResponse:
    """A number in a body beyond what the database stores (SQLite's 64-bit integers)."""
    return api.create_response(request, error_body(_("数值超出范围")), status=422)


@api.exception_handler(RequestDataTooBig)
@api.exception_handler(TooManyFieldsSent)
@api.exception_handler(TooManyFilesSent)
def over_limit(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A body, or a count of files or fields, over the server's limits (web/limits.py)."""
    status, message = limits.over_limit(exc)
    errors = [{"field": "body", "message": message}]
    return api.create_response(request, error_body(message, errors), status=status)


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def database_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
    """The database out of reach (restarting, failing over): nothing was kept, and the client
    may send the request again after Retry-After (web/unavailable.py)."""
    logger.warning("API %s %s: database unavailable", request.method, request.path, exc_info=exc)
    response = api.create_response(request, error_body(unavailable.message()), status=503)
    return unavailable.retry_later(response)


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A fault of ours: logged with its traceback, answered without it."""
    logger.exception("API %s %s failed", request.method, request.path, exc_info=exc)
    return api.create_response(request, error_body(_("服务器内部错误")), status=500)


api.add_router("/", registry_router)
api.add_router("/", org_router)
api.add_router("/", training_router)
api.add_router("/", planning_router)
api.add_router("/", analysis_router)
api.add_router("/", plan_router)
api.add_router("/", task_router)
api.add_router("/", campaign_router)
api.add_router("/", draw_router)
api.add_router("/", checklist_router)
api.add_router("/", sync_router)
api.add_router("/", record_router)
api.add_router("/", document_router)
api.add_router("/", trace_router)
api.add_router("/", review_router)
api.add_router("/", supervision_router)
api.add_router("/", followup_router)
api.add_router("/", sampling_router)
api.add_router("/", sampling_followup_router)
api.add_router("/", case_router)
api.add_router("/", case_money_router)
api.add_router("/", target_router)
api.add_router("/", report_router)
api.add_router("/", ledger_router)
api.add_router("/", assessment_router)
api.add_router("/", clock_router)
api.add_router("/", permit_router)
api.add_router("/", complaint_router)
api.add_router("/", callback_router)
api.add_router("/", accountability_router)
api.add_router("/", keyword_router)
api.add_router("/", ad_operator_router)
api.add_router("/", ad_filing_router)
api.add_router("/", monitored_ad_router)
api.add_router("/", ad_notice_router)
api.add_router("/", ad_governance_router)
api.add_router("/", online_router)
