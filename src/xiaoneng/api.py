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
from ninja.security import django_auth

from xiaoneng.cases.api import router as case_router
from xiaoneng.cases.report_api import router as report_router
from xiaoneng.core.errors import DomainError
from xiaoneng.core.tokens import BearerToken
from xiaoneng.inspections.checklist_api import router as checklist_router
from xiaoneng.inspections.followup_api import router as followup_router
from xiaoneng.inspections.oversight_api import router as oversight_router
from xiaoneng.inspections.record_api import router as record_router
from xiaoneng.inspections.sampling_api import router as sampling_router
from xiaoneng.org.api import router as org_router
from xiaoneng.planning.analysis_api import router as analysis_router
from xiaoneng.planning.api import router as planning_router
from xiaoneng.planning.draw_api import router as draw_router
from xiaoneng.planning.plan_api import router as plan_router
from xiaoneng.registry.api import router as registry_router

api = NinjaAPI(
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
api.add_router("/", draw_router)
api.add_router("/", checklist_router)
api.add_router("/", record_router)
api.add_router("/", oversight_router)
api.add_router("/", followup_router)
api.add_router("/", sampling_router)
api.add_router("/", case_router)
api.add_router("/", report_router)
