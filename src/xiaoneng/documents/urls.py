from django.urls import path

from xiaoneng.documents import views

app_name = "documents"

urlpatterns = [
    path("verify/", views.verify_lookup, name="verify_lookup"),
    path("verify/<str:code>/", views.verify, name="verify"),
]
