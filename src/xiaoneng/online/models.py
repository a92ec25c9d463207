"""The models of ``xiaoneng.online``; sub-packages keep their own and are gathered here."""

from xiaoneng.online.listings.models import Batch, Hit, Listing
from xiaoneng.online.sellers.models import Referral, Seller, SellerAttribute

__all__ = ["Batch", "Hit", "Listing", "Referral", "Seller", "SellerAttribute"]
