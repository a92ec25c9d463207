"""Product quality supervision spot checks (监督抽查, 篇4): plans, samples, results.

篇4: 监督抽查是监督企业落实产品质量安全主体责任的重要利器 … 要严格监督抽查后处理的机制和措施，
提高后处理时效性 … 强化对监督抽查不合格企业的后续跟踪和监管. A plan names a product category, a
region and a year; each batch sampled from a firm gets the laboratory's verdict; a failed batch
opens its follow-up, which is tracked until it is closed or escalated to a case.

The follow-up (后处理) and its time limits live in ``sampling_followup``; pass rates and the
sentences reporting them in ``sampling_rates``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core.audit import attributed
from xiaoneng.core.errors import Conflict, FieldError, InvalidInput
from xiaoneng.core.scoping import in_scope, scoped, visible_unit_ids
from xiaoneng.inspections.sampling import transitions
from xiaoneng.inspections.sampling.models import Sample, SampleFollowUp, SamplingPlan
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Unit
from xiaoneng.registry import uscc as uscc_check
from xiaoneng.registry.credit import services as feedback
from xiaoneng.registry.models import CreditTrigger, Entity

FIRST_YEAR = 2000  # plans before this are not "within reason"
RECTIFY_DAYS = 60  # 第四十六条: 自责令之日起六十日内予以改正
REGION_CODE = re.compile(r"^\d{6}$")


def raise_errors(errors: list[FieldError]) -> None:
    """Raise the errors found, if any, together (the first one is the message)."""
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)


def limited_text(errors: list[FieldError], field: str, value: Any, label: str, limit: int) -> str:
    """``value`` stripped; an error when it is longer than ``limit`` characters."""
    text = str(value or "").strip()
    if len(text) > limit:
        errors.append(
            FieldError(field, _("%(label)s不能超过 %(n)d 个字") % {"label": label, "n": limit})
        )
    return text


def required_text(errors: list[FieldError], field: str, value: Any, label: str, limit: int) -> str:
    """``value`` stripped; an error when it is empty or longer than ``limit`` characters."""
    text = limited_text(errors, field, value, label, limit)
    if not text:
        errors.append(FieldError(field, _("请填写%(label)s") % {"label": label}))
    return text


def _whole(value: Any) -> int | None:
    """``value`` as an integer (int or digits in a string), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value if value is not None else "").strip()
    return int(text) if re.fullmatch(r"-?\d{1,9}", text) else None


def _officer(actor: Officer) -> Officer | None:
    return actor if isinstance(actor, Officer) and actor.pk else None


# Reads ---------------------------------------------------------------------------------------


def visible_samples(user: Officer) -> QuerySet[Sample]:
    """The samples of the units ``user`` may see."""
    return scoped(Sample.objects.all(), user)


def visible_plans(user: Officer) -> QuerySet[SamplingPlan]:
    """Plans of the user's units, and plans that sampled a firm of them (a division's plan is
    seen by the station whose firm it sampled, with only that station's samples)."""
    own = scoped(SamplingPlan.objects.all(), user)
    sampled_here = visible_samples(user).filter(plan=OuterRef("pk"))
    return SamplingPlan.objects.filter(Q(pk__in=own.values("pk")) | Exists(sampled_here))


def with_counts(plans: QuerySet[SamplingPlan], user: Officer) -> QuerySet[SamplingPlan]:
    """``plans`` annotated with the batches sampled, pending and failed that ``user`` sees."""
    ids = visible_unit_ids(user)
    seen = Q() if ids is None else Q(samples__unit_id__in=ids)
    return plans.annotate(
        sampled=Count("samples", filter=seen),
        pending=Count("samples", filter=seen & Q(samples__result=Sample.Result.PENDING)),
        failed=Count("samples", filter=seen & Q(samples__result=Sample.Result.FAIL)),
    )


# Plans ---------------------------------------------------------------------------------------


def _unit(errors: list[FieldError], unit: Unit | str | None) -> Unit | None:
    if isinstance(unit, Unit):
        return unit
    code = str(unit or "").strip()
    if not code:
        errors.append(FieldError("unit", _("请选择组织单位")))
        return None
    found = Unit.objects.filter(code=code).first()
    if found is None:
        errors.append(FieldError("unit", _("未知的单位代码：%(v)s") % {"v": code}))
    return found


def create_plan(
    *,
    actor: Officer,
    year: Any,
    title: str,
    category: str,
    region_code: str,
    unit: Unit | str | None,
    planned_batches: Any,
    standard: str = "",
    laboratory: str = "",
    today: dt.date | None = None,
) -> SamplingPlan:
    """Create a sampling plan of ``unit`` (a Unit or its code) for a product category and year."""
    access.require(actor, access.MANAGE_SAMPLING)
    today = today or timezone.localdate()
    errors: list[FieldError] = []
    number = _whole(year)
    if number is None:
        errors.append(FieldError("year", _("年度应为四位数字年份：%(v)s") % {"v": year}))
    elif not FIRST_YEAR <= number <= today.year + 1:
        errors.append(
            FieldError(
                "year",
                _("年度应在 %(a)d 至 %(b)d 之间：%(v)s")
                % {"a": FIRST_YEAR, "b": today.year + 1, "v": year},
            )
        )
    title = required_text(errors, "title", title, _("名称"), 120)
    category = required_text(errors, "category", category, _("产品类别"), 60)
    region_code = str(region_code or "").strip()
    if not REGION_CODE.match(region_code):
        errors.append(
            FieldError("region_code", _("行政区划代码应为 6 位数字：%(v)s") % {"v": region_code})
        )
    batches = _whole(planned_batches)
    if batches is None or batches < 1:
        errors.append(
            FieldError(
                "planned_batches",
                _("计划批次应为不小于 1 的整数：%(v)s") % {"v": planned_batches},
            )
        )
    standard = limited_text(errors, "standard", standard, _("检验依据"), 200)
    laboratory = limited_text(errors, "laboratory", laboratory, _("承检机构"), 100)
    found = _unit(errors, unit)
    raise_errors(errors)
    assert found is not None and number is not None and batches is not None
    access.require_unit(actor, found.pk)
    if SamplingPlan.objects.filter(year=number, title=title).exists():
        raise Conflict(_("已有同名抽查计划：%(t)s（%(y)d 年）") % {"t": title, "y": number})
    with transaction.atomic(), attributed(actor):
        return SamplingPlan.objects.create(
            year=number,
            title=title,
            category=category,
            region_code=region_code,
            unit=found,
            planned_batches=batches,
            standard=standard,
            laboratory=laboratory,
        )


# Samples -------------------------------------------------------------------------------------


def _firm(
    errors: list[FieldError], actor: Officer, entity: Entity | None, uscc: str | None
) -> Entity | None:
    """The sampled entity: given, or found by its USCC in the actor's scope."""
    code = str(uscc or "").strip().upper()
    if entity is not None:
        if code and code != entity.uscc:
            errors.append(
                FieldError("uscc", _("统一社会信用代码与所选主体不符：%(v)s") % {"v": code})
            )
        if not in_scope(actor, entity.unit_id):
            errors.append(FieldError("uscc", _("该主体不在您的辖区内：%(v)s") % {"v": entity.uscc}))
        return entity
    if not code:
        return None
    if not uscc_check.is_valid(code):
        errors.append(FieldError("uscc", _("统一社会信用代码无效：%(v)s") % {"v": code}))
        return None
    found = scoped(Entity.objects.filter(uscc=code), actor).first()
    if found is None:
        errors.append(
            FieldError("uscc", _("统一社会信用代码不在您辖区的市场主体中：%(v)s") % {"v": code})
        )
    return found


def _sampled_on(
    errors: list[FieldError], day: dt.date | None, plan: SamplingPlan, today: dt.date
) -> None:
    if day is None:
        errors.append(FieldError("sampled_on", _("请填写抽样日期（YYYY-MM-DD）")))
    elif day > today:
        errors.append(FieldError("sampled_on", _("抽样日期不能晚于今天：%(d)s") % {"d": day}))
    elif day.year != plan.year:
        errors.append(
            FieldError(
                "sampled_on",
                _("抽样日期应在计划年度 %(y)d 年内：%(d)s") % {"y": plan.year, "d": day},
            )
        )


def record_sample(
    *,
    actor: Officer,
    plan: SamplingPlan,
    firm_name: str,
    product: str,
    batch_number: str,
    sampled_on: dt.date | None,
    entity: Entity | None = None,
    uscc: str | None = None,
    producer: str = "",
    specification: str = "",
    today: dt.date | None = None,
) -> Sample:
    """Record a batch sampled under ``plan`` (the firm by entity, by USCC, or by name only).

    The sample belongs to the entity's unit and region, or to the plan's when the firm is not
    in the register. A batch (plan, firm, product, batch number) is sampled once.
    """
    access.require(actor, access.MANAGE_SAMPLING)
    access.require_unit(actor, plan.unit_id)
    today = today or timezone.localdate()
    errors: list[FieldError] = []
    found = _firm(errors, actor, entity, uscc)
    firm_name = str(firm_name or "").strip() or (found.name if found else "")
    firm_name = required_text(errors, "firm_name", firm_name, _("被抽样单位名称"), 200)
    product = required_text(errors, "product", product, _("产品名称"), 100)
    batch_number = required_text(errors, "batch_number", batch_number, _("生产批号"), 60)
    producer = limited_text(errors, "producer", producer, _("标称生产企业"), 200)
    specification = limited_text(errors, "specification", specification, _("规格型号"), 100)
    _sampled_on(errors, sampled_on, plan, today)
    raise_errors(errors)
    assert sampled_on is not None
    batch = Sample.objects.filter(
        plan=plan, firm_name=firm_name, product=product, batch_number=batch_number
    )
    if batch.exists():
        raise Conflict(_duplicate(plan, firm_name, product, batch_number))
    try:
        with transaction.atomic(), attributed(actor):
            return Sample.objects.create(
                plan=plan,
                entity=found,
                firm_name=firm_name,
                producer=producer,
                product=product,
                specification=specification,
                batch_number=batch_number,
                sampled_on=sampled_on,
                region_code=found.region_code if found else plan.region_code,
                unit_id=found.unit_id if found else plan.unit_id,
                sampled_by=_officer(actor),
            )
    except IntegrityError as error:  # the same batch saved at the same moment by someone else
        raise Conflict(_duplicate(plan, firm_name, product, batch_number)) from error


def _duplicate(plan: SamplingPlan, firm: str, product: str, batch: str) -> str:
    return _("该批次已抽样：%(firm)s %(product)s 批号 %(batch)s（%(plan)s）") % {
        "firm": firm,
        "product": product,
        "batch": batch,
        "plan": plan.title,
    }


def record_result(
    *,
    sample: Sample,
    actor: Officer,
    result: str,
    failed_items: str = "",
    reported_on: dt.date | None,
    today: dt.date | None = None,
) -> Sample:
    """Record the laboratory's verdict, once. A fail opens the batch's follow-up (deadline
    60 days after the report, 第四十六条) and reports the failure to the firm's credit grade."""
    access.require(actor, access.MANAGE_SAMPLING)
    access.require_unit(actor, sample.unit_id)
    today = today or timezone.localdate()
    if result not in (Sample.Result.PASS, Sample.Result.FAIL):
        raise InvalidInput.single(
            "result", _("检验结论应为 pass（合格）或 fail（不合格）：%(v)s") % {"v": result}
        )
    transitions.SAMPLE.check(sample, result)
    errors: list[FieldError] = []
    failed_items = limited_text(errors, "failed_items", failed_items, _("不合格项目"), 300)
    if result == Sample.Result.FAIL and not failed_items:
        errors.append(
            FieldError("failed_items", _("不合格产品请填写不合格项目（如：总养分、标识）"))
        )
    if result == Sample.Result.PASS and failed_items:
        errors.append(FieldError("failed_items", _("合格产品不应填写不合格项目")))
    if reported_on is None:
        errors.append(FieldError("reported_on", _("请填写报告日期（YYYY-MM-DD）")))
    elif reported_on > today:
        errors.append(
            FieldError("reported_on", _("报告日期不能晚于今天：%(d)s") % {"d": reported_on})
        )
    elif reported_on < sample.sampled_on:
        errors.append(
            FieldError(
                "reported_on",
                _("报告日期不能早于抽样日期 %(s)s：%(d)s")
                % {"s": sample.sampled_on, "d": reported_on},
            )
        )
    raise_errors(errors)
    assert reported_on is not None
    with transaction.atomic(), attributed(actor):
        transitions.SAMPLE.move(sample, result)
        sample.failed_items = failed_items
        sample.reported_on = reported_on
        sample.save(update_fields=["result", "failed_items", "reported_on"])
        if result == Sample.Result.FAIL:
            SampleFollowUp.objects.create(
                sample=sample,
                unit_id=sample.unit_id,
                deadline=reported_on + dt.timedelta(days=RECTIFY_DAYS),
            )
            if sample.entity_id is not None:
                feedback.credit_event(
                    entity=sample.entity,  # type: ignore[arg-type]
                    trigger=CreditTrigger.SAMPLE_FAILED,
                    source=_("监督抽查不合格：%(p)s 批号 %(b)s（%(i)s）")
                    % {"p": sample.product, "b": sample.batch_number, "i": failed_items},
                    source_url=sample_url(sample),
                    actor=actor,
                )
    return sample


def sample_url(sample: Sample) -> str:
    """The sample's row on its plan's page."""
    url = reverse("inspections:sampling_plan_detail", kwargs={"pk": sample.plan_id})
    return f"{url}#sample-{sample.pk}"
