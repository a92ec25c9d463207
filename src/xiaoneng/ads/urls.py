from django.urls import URLPattern, URLResolver

app_name = "ads"
urlpatterns: list[URLPattern | URLResolver] = []
