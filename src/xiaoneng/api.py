"""The HTTP API under /api/v1/ (django-ninja), OpenAPI at /api/v1/openapi.json.

Every error answers ``{"detail": "...", "errors": [{"field": ..., "message": ...}]}``.
Authentication: ``Authorization: Bearer <token>`` (``xiaoneng token create``) or the web session.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.operation import Operation
from ninja.security import django_auth

from xiaoneng.cases.api import router as case_router
from xiaoneng.cases.money_api import router as case_money_router
from xiaoneng.cases.targets.api import router as target_router
from xiaoneng.core.errors import DomainError
from xiaoneng.core.tokens import BearerToken
from xiaoneng.inspections.checklists.api import router as checklist_router
from xiaoneng.inspections.followup.api import router as followup_router
from xiaoneng.inspections.records.api import router as record_router
from xiaoneng.inspections.sampling.api import router as sampling_router
from xiaoneng.inspections.sampling.followup_api import router as sampling_followup_router
from xiaoneng.inspections.trace.api import router as trace_router
from xiaoneng.org.api import router as org_router
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
}


class XiaonengAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        module = operation.view_func.__module__
        module = OPERATION_MODULES.get(module, module)
        return f"{module}_{operation.view_func.__name__}".replace(".", "_")


api = XiaonengAPI(
    title="xiaoneng 效能监管子系统 API",
    version="1",
    urls_namespace="api",
    auth=[BearerToken(), django_auth],
    docs_url="/docs",
)


def error_body(detail: str, errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"detail": detail, "errors": errors or []}


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    errors = [{"field": e.field, "message": e.message} for e in exc.errors]
    return api.create_response(request, error_body(exc.message, errors), status=exc.status_code)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = []
    for error in exc.errors:
        location = [
            str(part)
            for part in error.get("loc", ())
            if part not in ("body", "query", "path", "payload")
        ]
        errors.append({"field": ".".join(location) or "body", "message": error.get("msg", "")})
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


api.add_router("/", registry_router)
api.add_router("/", org_router)
api.add_router("/", planning_router)
api.add_router("/", analysis_router)
api.add_router("/", plan_router)
api.add_router("/", task_router)
api.add_router("/", campaign_router)
api.add_router("/", draw_router)
api.add_router("/", checklist_router)
api.add_router("/", record_router)
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
