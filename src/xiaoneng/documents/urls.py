from django.urls import path

from xiaoneng.documents import views

app_name = "documents"

urlpatterns = [
    path("verify/", views.verify_lookup, name="verify_lookup"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("documents/<str:kind>/<int:record_id>/issue/", views.issue, name="issue"),
    path("documents/<str:kind>/<int:record_id>/deliver/", views.deliver, name="deliver"),
    path("documents/<str:kind>/<int:record_id>.pdf", views.pdf, name="pdf"),
    path("documents/wording/", views.wording_list, name="wording_list"),
    path("documents/wording/<str:kind>/", views.wording_detail, name="wording_detail"),
]
