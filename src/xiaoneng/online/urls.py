"""Pages of online-trading monitoring (网络交易监测)."""

from django.urls import URLPattern, path

from xiaoneng.online.listings import views as listings
from xiaoneng.online.sellers import views as sellers

app_name = "online"
urlpatterns: list[URLPattern] = [
    path("online/", listings.listing_list, name="listing_list"),
    path("online/listings/<int:pk>/", listings.listing_detail, name="listing_detail"),
    path("online/batches/", listings.batch_list, name="batch_list"),
    path("online/batches/<int:pk>/", listings.batch_detail, name="batch_detail"),
    path("online/sellers/", sellers.seller_list, name="seller_list"),
    path("online/sellers/<int:pk>/", sellers.seller_detail, name="seller_detail"),
    path("online/sellers/<int:pk>/<slug:action>/", sellers.seller_action, name="seller_action"),
    path(
        "online/referrals/<int:pk>/<slug:action>/", sellers.referral_action, name="referral_action"
    ),
    path("online/networks/", sellers.network_list, name="network_list"),
    path("online/networks/<int:pk>/", sellers.network_detail, name="network_detail"),
]
