"""Forms of the keyword library pages: a rule typed from its lines (terms and exceptions one per
line, patterns as ``锚词1,锚词2 | 正则 | 窗口``, lawful contexts as ``前字数 | 后字数 | 正则``),
the import upload and the trial scan.
``keywords.services`` and ``textscan.validate_rule`` decide what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from xiaoneng import textscan
from xiaoneng.core.forms import PageForm, TextListField

PATTERN_FORMAT = _("第%(n)s行格式应为「锚词1,锚词2 | 正则表达式 | 窗口」：%(line)s")
CONTEXT_FORMAT = _("第%(n)s行格式应为「前字数 | 后字数 | 正则表达式」：%(line)s")
MAX_UPLOAD = 5 * 1024 * 1024
MAX_TRIAL_TEXT = 100_000


def lines_of(text: str) -> list[str]:
    """The non-empty lines of a textarea, stripped."""
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


def parse_patterns(text: str) -> tuple[textscan.Pattern, ...]:
    """Patterns from lines ``anchor1,anchor2 | regex | window`` (window optional, default 24)."""
    found = []
    for number, line in enumerate(lines_of(text), start=1):
        parts = [part.strip() for part in line.split("|")]
        # The regex itself may hold "|": the first part is the anchors, a last part of digits
        # is the window, everything between is the regex.
        window = 24
        if len(parts) >= 3 and parts[-1].isdigit():
            window = int(parts[-1])
            parts = parts[:-1]
        if len(parts) < 2:
            raise ValidationError(PATTERN_FORMAT, "format", {"n": number, "line": line})
        anchors = tuple(a.strip() for a in parts[0].replace("，", ",").split(",") if a.strip())
        regex = "|".join(parts[1:]).strip()
        if not anchors or not regex:
            raise ValidationError(PATTERN_FORMAT, "format", {"n": number, "line": line})
        found.append(textscan.Pattern(anchors=anchors, regex=regex, window=window))
    return tuple(found)


def parse_contexts(text: str) -> tuple[textscan.Context, ...]:
    """Context exceptions from lines ``before | after | regex`` (the regex may hold "|")."""
    found = []
    for number, line in enumerate(lines_of(text), start=1):
        parts = [part.strip() for part in line.split("|", 2)]
        if len(parts) < 3 or not all(p.isdigit() for p in parts[:2]) or not parts[2]:
            raise ValidationError(CONTEXT_FORMAT, "format", {"n": number, "line": line})
        before, after = int(parts[0]), int(parts[1])
        found.append(textscan.Context(regex=parts[2], before=before, after=after))
    return tuple(found)


def context_lines(contexts: list[dict[str, Any]]) -> str:
    """A rule's stored context exceptions as the form's lines."""
    return "\n".join(
        f"{c.get('before', 0)} | {c.get('after', 0)} | {c.get('regex', '')}" for c in contexts or ()
    )


def pattern_lines(patterns: list[dict[str, Any]]) -> str:
    """A rule's stored patterns as the form's lines."""
    return "\n".join(
        f"{','.join(p.get('anchors') or ())} | {p.get('regex', '')} | {p.get('window', 24)}"
        for p in patterns or ()
    )


class RuleForm(PageForm):
    """A rule as typed; the category, severity, targets and kinds stay codes the engine checks."""

    code = forms.CharField(label=_("规则编号"), required=False, max_length=60)
    category = forms.CharField(label=_("类别"), required=False)
    severity = forms.CharField(label=_("严重程度"), required=False)
    law = forms.CharField(label=_("法律依据"), required=False, max_length=300)
    terms = forms.CharField(label=_("词语"), required=False)
    exceptions = forms.CharField(label=_("例外"), required=False)
    patterns = forms.CharField(label=_("正则模式"), required=False)
    contexts = forms.CharField(label=_("上下文例外"), required=False)
    targets = TextListField(label=_("适用对象"))
    kinds = TextListField(label=_("适用广告类别"))
    not_kinds = TextListField(label=_("不适用广告类别"))
    note = forms.CharField(label=_("说明"), required=False, max_length=2000)
    reason = forms.CharField(label=_("变更原因"), required=False)

    def clean_patterns(self) -> tuple[textscan.Pattern, ...]:
        return parse_patterns(self.cleaned_data["patterns"])

    def clean_contexts(self) -> tuple[textscan.Context, ...]:
        return parse_contexts(self.cleaned_data["contexts"])

    def clean_law(self) -> str:
        law = str(self.cleaned_data["law"]).strip()
        if not law:
            raise ValidationError(_("请填写法律依据"), "required")
        return law

    def rule(self, code: str | None = None) -> textscan.Rule:
        """The engine's rule of the cleaned data (``code`` when editing: it stays)."""
        data = self.cleaned_data
        return textscan.Rule(
            id=code if code is not None else str(data["code"]).strip(),
            category=str(data["category"]).strip(),
            law=data["law"],
            severity=str(data["severity"]).strip(),
            terms=tuple(lines_of(data["terms"])),
            exceptions=tuple(lines_of(data["exceptions"])),
            patterns=data["patterns"],
            contexts=data["contexts"],
            targets=tuple(data["targets"]),
            kinds=tuple(data["kinds"]),
            not_kinds=tuple(data["not_kinds"]),
            note=str(data["note"]).strip(),
        )


class ImportForm(PageForm):
    """A YAML library file, read as UTF-8."""

    file = forms.FileField(
        label=_("YAML 文件"),
        required=False,
        error_messages={
            "empty": _("文件为空"),
            "invalid": _("请选择要导入的 YAML 文件"),
            "missing": _("请选择要导入的 YAML 文件"),
        },
    )
    reason = forms.CharField(label=_("变更原因"), required=False)

    def clean_file(self) -> str:
        upload = self.cleaned_data.get("file")
        if upload is None:
            raise ValidationError(_("请选择要导入的 YAML 文件"), "required")
        if upload.size > MAX_UPLOAD:
            raise ValidationError(_("文件过大（不超过5MB）"), "size")
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("文件不是 UTF-8 编码"), "encoding") from None
        if not text.strip():
            raise ValidationError(_("文件为空"), "empty")
        return text


class TrialForm(PageForm):
    """The text of the trial scan (文本试扫), its target and ad kind."""

    text = forms.CharField(label=_("文本"), required=False, strip=False)
    target = forms.CharField(label=_("扫描对象"), required=False)
    kind = forms.CharField(label=_("广告类别"), required=False)

    def clean_text(self) -> str:
        text = str(self.cleaned_data["text"] or "")
        if not text.strip():
            raise ValidationError(_("请粘贴要试扫的文本"), "required")
        if len(text) > MAX_TRIAL_TEXT:
            raise ValidationError(_("文本不能超过100000个字"), "size")
        return text

    def clean_target(self) -> str:
        target = str(self.cleaned_data["target"]).strip() or "ad"
        if target not in textscan.TARGETS:
            raise ValidationError(_("未知的扫描对象：%(v)s"), "unknown", {"v": target})
        return target

    def clean_kind(self) -> str | None:
        kind = str(self.cleaned_data["kind"]).strip()
        if kind and kind not in textscan.AD_KINDS:
            raise ValidationError(_("未知的广告类别：%(v)s"), "unknown", {"v": kind})
        return kind or None
