"""Seller networks (卖家关联网络): sellers that share an IP address, a payment account, a
logistics account or a domain, grouped into connected components with union-find on arrays
and ranked by their hits, then their size. Each link names the attributes shared.

Computed on demand over the sellers a user may see: a network never reveals a seller of
another unit's scope.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from django.db.models import QuerySet

from xiaoneng.online.sellers.models import Seller, SellerAttribute

CHUNK = 900


@dataclass(frozen=True)
class Shared:
    """One attribute value held by several sellers of a network: the reason they are linked."""

    kind: str
    label: str
    value: str
    seller_ids: tuple[int, ...]


@dataclass
class Network:
    """A connected component of at least two sellers."""

    key: int  # the smallest seller id: names the network in a URL
    seller_ids: list[int]
    hit_count: int
    shared: list[Shared] = field(default_factory=list)
    sellers: list[Seller] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.seller_ids)


def find(parent: list[int], node: int) -> int:
    root = node
    while parent[root] != root:
        root = parent[root]
    while parent[node] != root:  # path compression
        parent[node], node = root, parent[node]
    return root


def components(count: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """The root of each of ``count`` nodes after joining each ``left[i]`` with ``right[i]``
    (union by size, path compression)."""
    parent = list(range(count))
    size = [1] * count
    for a, b in zip(left.tolist(), right.tolist(), strict=True):
        ra, rb = find(parent, a), find(parent, b)
        if ra == rb:
            continue
        if size[ra] < size[rb]:
            ra, rb = rb, ra
        parent[rb] = ra
        size[ra] += size[rb]
    return np.fromiter((find(parent, i) for i in range(count)), dtype=np.int64, count=count)


def networks(sellers: QuerySet[Seller]) -> list[Network]:
    """The networks among ``sellers`` (a scoped queryset), ranked: most hits, then largest."""
    figures = dict(sellers.values_list("pk", "hit_count"))
    ids = sorted(figures)
    index = {pk: i for i, pk in enumerate(ids)}
    holders: dict[tuple[str, str], list[int]] = defaultdict(list)
    for start in range(0, len(ids), CHUNK):
        rows = SellerAttribute.objects.filter(seller_id__in=ids[start : start + CHUNK])
        for seller_id, kind, value in rows.values_list("seller_id", "kind", "value"):
            holders[(kind, value)].append(seller_id)
    shared_values = {key: sorted(v) for key, v in holders.items() if len(v) > 1}
    left, right = [], []
    for members in shared_values.values():
        first = index[members[0]]
        for other in members[1:]:
            left.append(first)
            right.append(index[other])
    roots = components(
        len(ids), np.asarray(left, dtype=np.int64), np.asarray(right, dtype=np.int64)
    )
    groups: dict[int, list[int]] = defaultdict(list)
    for pk, root in zip(ids, roots.tolist(), strict=True):
        groups[root].append(pk)
    labels = dict(SellerAttribute.Kind.choices)
    found: dict[int, Network] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        found[members[0]] = Network(
            key=members[0],
            seller_ids=members,
            hit_count=sum(figures[pk] for pk in members),
        )
    owner = {pk: key for key, net in found.items() for pk in net.seller_ids}
    for (kind, value), members in sorted(shared_values.items()):
        net = found[owner[members[0]]]
        net.shared.append(Shared(kind, str(labels.get(kind, kind)), value, tuple(members)))
    return sorted(found.values(), key=lambda n: (-n.hit_count, -n.size, n.key))


def with_sellers(found: Sequence[Network]) -> None:
    """Attach the seller records to each network (one query)."""
    wanted = [pk for net in found for pk in net.seller_ids]
    records = Seller.objects.in_bulk(wanted)
    for net in found:
        net.sellers = sorted(
            (records[pk] for pk in net.seller_ids), key=lambda s: (-s.hit_count, s.pk)
        )


def network_of(sellers: QuerySet[Seller], seller_id: int) -> Network | None:
    """The network among ``sellers`` that holds ``seller_id``, if any."""
    for net in networks(sellers):
        if seller_id in net.seller_ids:
            with_sellers([net])
            return net
    return None
