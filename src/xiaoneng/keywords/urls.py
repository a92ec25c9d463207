from django.urls import URLPattern, URLResolver

app_name = "keywords"
urlpatterns: list[URLPattern | URLResolver] = []
