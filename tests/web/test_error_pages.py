"""The shell's Chinese error pages, the favicon, the admin in Chinese, the API docs offline."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from csp.middleware import CSPMiddleware
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template import engines
from django.templatetags.static import static
from django.test import Client, RequestFactory
from django.views.defaults import permission_denied, server_error

import xiaoneng
from tests.conftest import County, client_for

NAV_ENTRY = "市场主体名录"


def test_an_unknown_page_answers_the_chinese_404_with_the_navigation(county: County) -> None:
    response = client_for(county.east_officer).get("/no-such-page/")

    assert response.status_code == 404
    page = response.content.decode()
    assert "页面不存在" in page
    assert NAV_ENTRY in page
    assert "Not Found" not in page


def test_the_404_page_of_an_anonymous_visitor_has_no_navigation(db: None) -> None:
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
    assert NAV_ENTRY not in response.content.decode()


def test_a_permission_refusal_answers_the_chinese_403_with_the_navigation(
    county: County,
) -> None:
    request = RequestFactory().get("/somewhere/")
    request.user = county.east_officer

    response = permission_denied(request, PermissionDenied())

    assert response.status_code == 403
    page = response.content.decode()
    assert "无权访问" in page and NAV_ENTRY in page


def test_the_500_page_is_chinese_and_needs_no_database(
    db: None, django_assert_num_queries: object
) -> None:
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):  # type: ignore[operator]
        response = server_error(request)
    assert response.status_code == 500
    page = response.content.decode()
    assert "系统出错" in page and "Server Error" not in page


def test_a_crashing_page_answers_the_chinese_500(
    county: County, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("xiaoneng.web.views.todo_for", crash)
    client = client_for(county.east_officer)
    client.raise_request_exception = False

    response = client.get("/")

    assert response.status_code == 500
    assert "系统出错" in response.content.decode()


def test_a_post_without_the_csrf_token_answers_in_chinese(db: None) -> None:
    response = Client(enforce_csrf_checks=True).post("/login/", {"username": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "提交已失效" in page and "CSRF verification failed" not in page


def test_the_favicon_is_served_and_linked_from_every_shell(county: County) -> None:
    url = static("web/favicon.svg")
    response = Client().get(url)
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert body.lstrip().startswith(b"<svg")

    link = f'<link rel="icon" href="{url}" type="image/svg+xml">'
    county.admin.is_superuser = True
    county.admin.save()
    assert link in Client().get("/login/").content.decode()
    assert link in client_for(county.admin).get("/admin/").content.decode()
    assert link in server_error(RequestFactory().get("/")).content.decode()


def test_the_admin_has_no_english_left(county: County) -> None:
    county.admin.is_superuser = True
    county.admin.save()
    client = client_for(county.admin)
    for url in ["/admin/", "/admin/axes/accessattempt/", "/admin/login/"]:
        page = client.get(url).content.decode()
        text = re.sub(r"<script.*?</script>|<style.*?</style>|<[^>]+>|&\w+;", " ", page, flags=re.S)
        english = set(re.findall(r"[A-Za-z]{3,}(?: [A-Za-z]+)*", text)) - {"admin", "xiaoneng"}
        assert english == set(), url
    assert "效能监管子系统 · 管理后台" in client.get("/admin/").content.decode()


def test_the_api_docs_load_swagger_from_the_sites_static_files(db: None) -> None:
    page = Client().get("/api/v1/docs").content.decode()

    assert static("ninja/swagger-ui-bundle.js") in page
    assert static("ninja/swagger-ui.css") in page
    assert "https://" not in page and "http://" not in page
    bundle = Client().get(static("ninja/swagger-ui-bundle.js"))
    assert bundle.status_code == 200


def test_every_page_answers_with_the_content_security_policy(county: County) -> None:
    response = client_for(county.east_officer).get("/")
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"  # a nonce is added when a page uses one
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"


TEMPLATES = sorted(Path(xiaoneng.__file__).parent.glob("**/templates/**/*.html"))
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=|javascript:", re.I)
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.I)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_no_template_has_script_the_policy_would_block(template: Path) -> None:
    """Inline scripts carry the request's nonce, handlers live in static files (web/site.js)."""
    text = template.read_text(encoding="utf-8")
    assert not INLINE_HANDLER.search(text)
    for tag in SCRIPT_TAG.findall(text):
        assert re.search(r"\ssrc=|nonce=\"\{\{ request.csp_nonce \}\}\"|application/json", tag), tag


def test_a_nonced_inline_script_carries_the_nonce_of_the_header(county: County) -> None:
    template = engines["django"].from_string('<script nonce="{{ request.csp_nonce }}">1</script>')
    request = RequestFactory().get("/")
    middleware = CSPMiddleware(lambda r: HttpResponse())
    middleware.process_request(request)
    html = template.render({}, request)
    response = middleware.process_response(request, HttpResponse(html))
    nonce = re.search(r'nonce="([^"]+)"', html)
    assert nonce is not None
    assert f"'nonce-{nonce.group(1)}'" in response["Content-Security-Policy"]
