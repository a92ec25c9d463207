"""URLs: pages of each module, the API under /api/v1/, the admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from xiaoneng.api import api
from xiaoneng.web import limits, unavailable
from xiaoneng.web import views as web_views

admin.site.site_header = _("效能监管子系统 · 管理后台")
admin.site.site_title = _("效能监管管理后台")
admin.site.index_title = _("数据维护")

# A request over the size or count limits (web/limits.py), or otherwise malformed.
handler400 = limits.bad_request
# The database out of reach: 503 with Retry-After (web/unavailable.py); else the 500 page.
handler500 = unavailable.server_error

urlpatterns = [
    path("", web_views.home, name="home"),
    path("login/", web_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("xiaoneng.registry.urls")),
    path("", include("xiaoneng.org.urls")),
    path("", include("xiaoneng.org.training.urls")),
    path("", include("xiaoneng.planning.urls")),
    path("", include("xiaoneng.inspections.urls")),
    path("", include("xiaoneng.cases.urls")),
    path("", include("xiaoneng.oversight.urls")),
    path("", include("xiaoneng.timeliness.urls")),
    path("", include("xiaoneng.keywords.urls")),
    path("", include("xiaoneng.ads.urls")),
    path("", include("xiaoneng.ads.governance.urls")),
    path("", include("xiaoneng.online.urls")),
    path("", include("xiaoneng.risk.urls")),
    path("", include("xiaoneng.reports.urls")),
    path("", include("xiaoneng.reports.ledger.urls")),
    path("", include("xiaoneng.reports.assessment.urls")),
    path("", include("xiaoneng.documents.urls")),
    path("", include("xiaoneng.web.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
