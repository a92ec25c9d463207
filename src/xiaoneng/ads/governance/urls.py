from django.urls import URLPattern, URLResolver

app_name = "ad_governance"
urlpatterns: list[URLPattern | URLResolver] = []
