"""Reads that may be a little stale go to a PostgreSQL read replica (issue 14, docs/scaling.md).

settings.py adds the ``replica`` database and installs :class:`ReplicaRouter` only when
``DATABASE_REPLICA_URL`` is set; without it nothing here is used. A replica lags its primary by
a fraction of a second to, under heavy writing, seconds: so reads go to it only where the code
says, explicitly, that a slightly old answer is right — with :func:`stale_ok` around a report
builder, or :func:`stale_reads` on a view (reports, exports, dashboards, the map).

Everything else stays on the primary: ordinary reads (a record just saved must show on the next
page), every write, every read after a write in the same scope (read-your-writes), everything
inside ``transaction.atomic`` (a transaction must see its own rows; it also keeps each test,
which runs in a transaction, on one database), and the tables of log-in, sessions, the login
throttle, roles, API tokens, jobs and the trace, whose staleness would let a locked-out user in
or lose an audit event.

In a test run Django points the replica at the test database (its ``TEST = {"MIRROR":
"default"}``): the router then reads everything on default, which is the same database, so that
a second connection neither misses a test's uncommitted rows nor needs listing in every test's
``databases``.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Concatenate, ParamSpec, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.http import HttpRequest

REPLICA = "replica"

# Whole apps that answer who may log in and what they did: always read on the primary.
PRIMARY_APPS = frozenset({"admin", "auth", "axes", "contenttypes", "sessions"})
# Single models of the same kind: who holds which role (a revoked role is revoked at once), the
# trace (痕迹), API tokens, job runs.
PRIMARY_MODELS = frozenset(
    {"org.role", "org.officer_roles", "core.auditevent", "core.apitoken", "core.jobrun"}
)

P = ParamSpec("P")
R = TypeVar("R")
RequestT = TypeVar("RequestT", bound=HttpRequest)


@dataclass
class _Scope:
    """One stale-ok scope; ``wrote`` once anything in it was written."""

    wrote: bool = False


_scope: ContextVar[_Scope | None] = ContextVar("xiaoneng_stale_ok", default=None)


@contextlib.contextmanager
def stale_ok() -> Iterator[None]:
    """Within this block (or function, used as a decorator) reads may go to the replica.

    Nested blocks share the outer one's scope, so a write anywhere inside sends the rest of
    the outer block's reads to the primary too. A context variable, so each thread (and each
    asyncio task) has its own scope.
    """
    if _scope.get() is not None:
        yield
        return
    token = _scope.set(_Scope())
    try:
        yield
    finally:
        _scope.reset(token)


def stale_reads(
    view: Callable[Concatenate[RequestT, P], R],
) -> Callable[Concatenate[RequestT, P], R]:
    """A view's reads may be stale — for GET and HEAD only: a request that changes something
    reads what it changes on the primary. Not for django-ninja handlers, whose parameters ninja
    reads from the function's own annotations: use ``with stale_ok():`` in their body."""

    @functools.wraps(view)
    def wrapped(request: RequestT, /, *args: P.args, **kwargs: P.kwargs) -> R:
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        with stale_ok():
            return view(request, *args, **kwargs)

    return wrapped


def _user_label() -> str:
    return str(settings.AUTH_USER_MODEL).lower()


def in_stale_ok_scope() -> bool:
    """Whether the code here said its reads may be stale, and has written nothing since."""
    scope = _scope.get()
    return scope is not None and not scope.wrote


def replica_allowed(model: type[Model]) -> bool:
    """Whether a read of ``model`` here and now may go to the replica."""
    if not in_stale_ok_scope():
        return False
    meta = model._meta
    if meta.app_label in PRIMARY_APPS or meta.label_lower in PRIMARY_MODELS:
        return False
    if meta.label_lower == _user_label():  # the log-in table: a disabled user is out at once
        return False
    return not connections[DEFAULT_DB_ALIAS].in_atomic_block


def replica_configured() -> bool:
    """Whether a replica is configured and is still the database settings.py named — not the
    test runner's mirror of the test database (see the module's docstring)."""
    replica = settings.DATABASES.get(REPLICA)
    named = getattr(settings, "DATABASE_REPLICA_NAME", None)
    return replica is not None and replica.get("NAME") == named


class ReplicaRouter:
    """Django's database router (``DATABASE_ROUTERS``) for one primary and one replica."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        """The replica inside a stale-ok scope (see :func:`replica_allowed`), else the primary —
        named explicitly, so that an object read from the replica does not pull its related
        objects from there once the scope has ended."""
        if replica_allowed(model) and self.replica_configured():
            return REPLICA
        return DEFAULT_DB_ALIAS

    def replica_configured(self) -> bool:
        """:func:`replica_configured`; a method so that a test can stand in for a replica."""
        return replica_configured()

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        """Always the primary (the replica is read-only); the scope's later reads follow it."""
        scope = _scope.get()
        if scope is not None:
            scope.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        """Objects of the primary and of its replica are the same rows: they may be related."""
        pair = {obj1._state.db, obj2._state.db}
        return True if pair <= {DEFAULT_DB_ALIAS, REPLICA} else None

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool:
        """Only the primary is migrated; the replica receives the schema by streaming."""
        return db == DEFAULT_DB_ALIAS
