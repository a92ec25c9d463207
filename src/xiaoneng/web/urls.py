from django.urls import path

from xiaoneng.web import job_views

app_name = "web"
urlpatterns = [
    path("jobs/", job_views.job_list, name="jobs"),
]
