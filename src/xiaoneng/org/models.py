"""The organisation: units (局/科室/所), officers and their roles, zones → sections → grids."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.audit import traced

REGION_CODE_HELP = _("6 位行政区划代码")


class UnitQuerySet(models.QuerySet["Unit"]):
    """Units, with the one definition of a unit's subtree."""

    def subtree(self, unit: Unit) -> UnitQuerySet:
        """``unit`` and every unit below it: one indexed ``path LIKE '/1/4/%'``.

        Paths end with "/", so the subtree of unit 2 never picks up unit 20.
        """
        return self.filter(self.subtree_q(unit))

    def subtree_q(self, unit: Unit, field: str = "") -> Q:
        """The condition "in ``unit``'s subtree", on the units themselves or, with ``field``
        (``"unit"``, ``"entity__unit"``), on the unit a record belongs to."""
        return Q(**{f"{field}__path__startswith" if field else "path__startswith": unit.path})

    def subtree_ids(self, unit: Unit) -> list[int] | None:
        """Ids of ``unit``'s subtree; None when it is the whole organisation (``unit`` is the
        one root), where no unit filter at all keeps every other index usable on its own."""
        if unit.parent_id is None:
            roots = list(self.filter(parent__isnull=True).values_list("id", flat=True)[:2])
            if roots == [unit.pk]:
                return None
        return list(self.subtree(unit).values_list("id", flat=True))


@traced(exclude=["path", "depth"])
class Unit(models.Model):
    """A unit of the bureau's tree, stored with a materialised path so a subtree is one query."""

    class Kind(models.TextChoices):
        BUREAU = "bureau", _("局")
        DIVISION = "division", _("科室")
        STATION = "station", _("所")

    code = models.CharField(_("单位代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # "/1/4/9/": ids from the root; a subtree is path LIKE '/1/4/%' on an index.
    path = models.CharField(_("路径"), max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("层级"), default=0, editable=False)
    region_code = models.CharField(_("行政区划代码"), max_length=6, help_text=REGION_CODE_HELP)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)

    unit_scope_field = "id"

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name


class Role(models.Model):
    """A role an officer can hold; the five codes are fixed and seeded by a migration."""

    GRID_OFFICER = "grid_officer"
    STATION_DIRECTOR = "station_director"
    DIVISION_STAFF = "division_staff"
    BUREAU_LEADER = "bureau_leader"
    ADMINISTRATOR = "administrator"
    LABELS = {
        GRID_OFFICER: _("责任区干部"),
        STATION_DIRECTOR: _("所长"),
        DIVISION_STAFF: _("科室人员"),
        BUREAU_LEADER: _("局领导"),
        ADMINISTRATOR: _("系统管理员"),
    }

    code = models.CharField(_("代码"), max_length=20, primary_key=True)
    name = models.CharField(_("名称"), max_length=50)

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")

    def __str__(self) -> str:
        return str(self.LABELS.get(self.code, self.name))


@traced(exclude=["last_login"])
class Officer(AbstractUser):
    """A user: an officer with a home unit, certificate and roles (or an administrator)."""

    name = models.CharField(_("姓名"), max_length=50, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("所在单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officers",
    )
    certificate_number = models.CharField(
        _("执法证号"), max_length=30, unique=True, null=True, blank=True
    )
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    roles = models.ManyToManyField(Role, verbose_name=_("角色"), blank=True)

    unit_scope_field = "unit"

    class Meta:
        verbose_name = _("执法人员")
        verbose_name_plural = _("执法人员")
        ordering = ["unit__path", "username"]

    def __str__(self) -> str:
        return self.name or self.username

    def role_codes(self) -> frozenset[str]:
        cached = self.__dict__.get("_role_codes")
        if cached is None:
            cached = (
                frozenset(self.roles.values_list("code", flat=True)) if self.pk else frozenset()
            )
            self.__dict__["_role_codes"] = cached
        return cached

    def has_role(self, *codes: str) -> bool:
        return self.is_superuser or bool(self.role_codes() & set(codes))

    def visible_unit_ids(self) -> list[int] | None:
        """Units whose records this officer may see (None: all); see org.access."""
        from xiaoneng.org.access import visible_unit_ids

        return visible_unit_ids(self)

    def readable_unit_ids(self) -> list[int] | None:
        """Those units and the units above them (for bureau-wide records); see org.access."""
        from xiaoneng.org.access import readable_unit_ids

        return readable_unit_ids(self)


@traced()
class Zone(models.Model):
    """A responsibility zone (责任区) of a station."""

    code = models.CharField(_("编号"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    station = models.ForeignKey(
        Unit, verbose_name=_("所"), on_delete=models.PROTECT, related_name="zones"
    )

    unit_scope_field = "station"

    class Meta:
        verbose_name = _("责任区")
        verbose_name_plural = _("责任区")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


@traced()
class Section(models.Model):
    """A section (区间) of a zone."""

    code = models.CharField(_("编号"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    zone = models.ForeignKey(
        Zone, verbose_name=_("责任区"), on_delete=models.PROTECT, related_name="sections"
    )

    unit_scope_field = "zone__station"

    class Meta:
        verbose_name = _("区间")
        verbose_name_plural = _("区间")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


@traced()
class Grid(models.Model):
    """A grid (网格): a polygon of the territory, its station and its responsible officer."""

    code = models.CharField(_("编号"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    section = models.ForeignKey(
        Section, verbose_name=_("区间"), on_delete=models.PROTECT, related_name="grids"
    )
    station = models.ForeignKey(
        Unit, verbose_name=_("所"), on_delete=models.PROTECT, related_name="grids"
    )
    officer = models.ForeignKey(
        Officer,
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="grids",
    )
    boundary = models.JSONField(_("边界（GeoJSON）"))
    region_code = models.CharField(_("行政区划代码"), max_length=6, help_text=REGION_CODE_HELP)
    area_km2 = models.FloatField(_("面积（平方公里）"), default=0)

    unit_scope_field = "station"

    class Meta:
        verbose_name = _("网格")
        verbose_name_plural = _("网格")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
