"""Double-random draws: items (seeded with a starter list), 回避, draws, results, publication."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# 随机抽查事项清单: a starter list after SAMR's 随机抽查事项清单, for an administrator to extend.
# (code, name, legal basis, GB/T 4754 prefixes the item applies to; none: every industry)
ITEMS = [
    (
        "R01",
        "企业公示信息情况检查",
        "《企业信息公示暂行条例》；《国务院办公厅关于推广随机抽查规范事中事后监管的通知》（国办发〔2015〕58号）",
        [],
    ),
    (
        "R02",
        "食品经营者检查",
        "《中华人民共和国食品安全法》第一百一十条；《食品生产经营监督检查管理办法》",
        ["F512", "F521", "F522", "H62"],
    ),
    (
        "R03",
        "食品生产者检查",
        "《中华人民共和国食品安全法》第一百一十条；《食品生产经营监督检查管理办法》",
        ["C13", "C14", "C15"],
    ),
    (
        "R04",
        "药品经营检查",
        "《中华人民共和国药品管理法》第九十九条；《药品经营和使用质量监督管理办法》",
        ["F5151", "F5152", "F5251", "F5252"],
    ),
    (
        "R05",
        "医疗器械经营检查",
        "《医疗器械监督管理条例》；《医疗器械经营监督管理办法》",
        ["F5154", "F5254"],
    ),
    ("R06", "广告发布行为检查", "《中华人民共和国广告法》第四十九条", ["L725"]),
    (
        "R07",
        "农资经营检查",
        "《农药管理条例》；《中华人民共和国种子法》；《农业生产资料市场监督管理办法》",
        ["F5112", "F5166", "F5167", "F5168", "F5253"],
    ),
    (
        "R08",
        "危险化学品经营检查",
        "《危险化学品安全管理条例》",
        ["F5169", "F5265", "F5266", "F5296"],
    ),
    (
        "R09",
        "产品质量监督抽查",
        "《中华人民共和国产品质量法》第十五条；《产品质量监督抽查管理暂行办法》",
        ["C", "F52"],
    ),
    (
        "R10",
        "工业产品生产许可证获证企业检查",
        "《中华人民共和国工业产品生产许可证管理条例》",
        ["C"],
    ),
    (
        "R11",
        "网络交易经营行为检查",
        "《中华人民共和国电子商务法》；《网络交易监督管理办法》",
        ["F5292"],
    ),
    (
        "R12",
        "明码标价和价格行为检查",
        "《中华人民共和国价格法》第十三条；《明码标价和禁止价格欺诈规定》",
        [],
    ),
    (
        "R13",
        "计量器具使用检查",
        "《中华人民共和国计量法》；《中华人民共和国强制检定的工作计量器具检定管理办法》",
        [],
    ),
    ("R14", "特种设备使用单位检查", "《中华人民共和国特种设备安全法》第五十七条", []),
    (
        "R15",
        "化妆品经营者检查",
        "《化妆品监督管理条例》；《化妆品生产经营监督管理办法》",
        ["F5234"],
    ),
]


def create_items(apps, schema_editor):
    item_model = apps.get_model("planning", "InspectionItem")
    item_model.objects.bulk_create(
        [
            item_model(code=code, name=name, legal_basis=basis, industry_prefixes=prefixes)
            for code, name, basis, prefixes in ITEMS
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0002_roles"),
        ("planning", "0002_default_policy"),
        ("registry", "0003_name_trigram_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="InspectionItem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.CharField(max_length=16, unique=True, verbose_name="事项编号")),
                ("name", models.CharField(max_length=100, verbose_name="检查事项")),
                ("legal_basis", models.TextField(verbose_name="检查依据")),
                (
                    "industry_prefixes",
                    models.JSONField(
                        blank=True,
                        default=list,
                        help_text="GB/T 4754 行业代码前缀，如 H62；为空则适用于所有行业",
                        verbose_name="适用行业",
                    ),
                ),
                ("active", models.BooleanField(default=True, verbose_name="在用")),
            ],
            options={
                "verbose_name": "检查事项",
                "verbose_name_plural": "检查事项",
                "ordering": ["code"],
            },
        ),
        migrations.CreateModel(
            name="DrawInspector",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveSmallIntegerField(verbose_name="组内序号")),
                ("certificate_number", models.CharField(max_length=30, verbose_name="执法证号")),
                (
                    "officer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="检查人员",
                    ),
                ),
            ],
            options={
                "verbose_name": "抽中检查人员",
                "verbose_name_plural": "抽中检查人员",
                "ordering": ["selection", "position"],
            },
        ),
        migrations.CreateModel(
            name="DrawSelection",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("order", models.PositiveIntegerField(verbose_name="序号")),
                ("uscc", models.CharField(max_length=18, verbose_name="统一社会信用代码")),
                ("stratum", models.CharField(max_length=8, verbose_name="层")),
                (
                    "entity",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="registry.entity",
                        verbose_name="市场主体",
                    ),
                ),
                (
                    "inspectors",
                    models.ManyToManyField(
                        related_name="+",
                        through="planning.DrawInspector",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="检查人员",
                    ),
                ),
            ],
            options={
                "verbose_name": "抽中主体",
                "verbose_name_plural": "抽中主体",
                "ordering": ["draw", "order"],
            },
        ),
        migrations.AddField(
            model_name="drawinspector",
            name="selection",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="team",
                to="planning.drawselection",
                verbose_name="抽中主体",
            ),
        ),
        migrations.CreateModel(
            name="RandomDraw",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200, verbose_name="名称")),
                (
                    "population_filter",
                    models.JSONField(blank=True, default=dict, verbose_name="抽查对象范围"),
                ),
                (
                    "selection",
                    models.CharField(
                        choices=[
                            ("ratio", "按信用等级比例"),
                            ("policy", "按监管政策比例"),
                            ("count", "按数量"),
                        ],
                        max_length=6,
                        verbose_name="抽取方式",
                    ),
                ),
                (
                    "ratios",
                    models.JSONField(
                        blank=True,
                        default=dict,
                        help_text="层 → 比例（字符串小数）",
                        verbose_name="抽取比例",
                    ),
                ),
                (
                    "count",
                    models.PositiveIntegerField(blank=True, null=True, verbose_name="抽取数量"),
                ),
                (
                    "team_size",
                    models.PositiveSmallIntegerField(
                        default=2,
                        validators=[django.core.validators.MinValueValidator(2)],
                        verbose_name="每组人数",
                    ),
                ),
                (
                    "workload_cap",
                    models.PositiveIntegerField(
                        validators=[django.core.validators.MinValueValidator(1)],
                        verbose_name="每人检查户数上限",
                    ),
                ),
                ("inspections_end", models.DateField(verbose_name="检查截止日期")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "草稿"),
                            ("committed", "已锁定名单"),
                            ("drawn", "已抽取"),
                            ("published", "已公示"),
                        ],
                        db_index=True,
                        default="draft",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                (
                    "code_version",
                    models.CharField(blank=True, max_length=100, verbose_name="程序版本"),
                ),
                (
                    "seed_sha256",
                    models.CharField(blank=True, max_length=64, verbose_name="种子摘要（SHA-256）"),
                ),
                ("held_seed", models.CharField(blank=True, editable=False, max_length=200)),
                (
                    "seed",
                    models.CharField(
                        blank=True, help_text="抽取后公开", max_length=200, verbose_name="种子"
                    ),
                ),
                (
                    "parameters_digest",
                    models.CharField(blank=True, max_length=64, verbose_name="抽取参数摘要"),
                ),
                ("strata", models.JSONField(blank=True, default=dict, verbose_name="分层")),
                (
                    "population_count",
                    models.PositiveIntegerField(default=0, verbose_name="抽查对象数"),
                ),
                (
                    "population_digest",
                    models.CharField(blank=True, max_length=64, verbose_name="抽查对象名单摘要"),
                ),
                ("population_snapshot", models.BinaryField(null=True, verbose_name="抽查对象名单")),
                ("pool_count", models.PositiveIntegerField(default=0, verbose_name="检查人员数")),
                (
                    "pool_digest",
                    models.CharField(blank=True, max_length=64, verbose_name="检查人员名单摘要"),
                ),
                ("pool_snapshot", models.BinaryField(null=True, verbose_name="检查人员名单")),
                (
                    "conflicts_digest",
                    models.CharField(blank=True, max_length=64, verbose_name="回避名单摘要"),
                ),
                ("conflicts_snapshot", models.BinaryField(null=True, verbose_name="回避名单")),
                (
                    "previous_digest",
                    models.CharField(
                        blank=True, max_length=64, verbose_name="上次检查人员名单摘要"
                    ),
                ),
                (
                    "previous_snapshot",
                    models.BinaryField(null=True, verbose_name="上次检查人员名单"),
                ),
                ("planned_count", models.PositiveIntegerField(default=0, verbose_name="应抽户数")),
                ("selected_count", models.PositiveIntegerField(default=0, verbose_name="已抽户数")),
                (
                    "result_digest",
                    models.CharField(blank=True, max_length=64, verbose_name="抽取结果摘要"),
                ),
                ("created_at", models.DateTimeField(verbose_name="创建时间")),
                (
                    "committed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="锁定时间"),
                ),
                ("drawn_at", models.DateTimeField(blank=True, null=True, verbose_name="抽取时间")),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="创建人",
                    ),
                ),
                (
                    "drawn_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="抽取人",
                    ),
                ),
                (
                    "items",
                    models.ManyToManyField(
                        related_name="+", to="planning.inspectionitem", verbose_name="检查事项"
                    ),
                ),
                (
                    "policy",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="planning.policy",
                        verbose_name="监管政策版本",
                    ),
                ),
                (
                    "pool_units",
                    models.ManyToManyField(
                        related_name="+", to="org.unit", verbose_name="检查人员库"
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="draws",
                        to="org.unit",
                        verbose_name="组织单位",
                    ),
                ),
            ],
            options={
                "verbose_name": "双随机抽查",
                "verbose_name_plural": "双随机抽查",
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.AddField(
            model_name="drawselection",
            name="draw",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="selections",
                to="planning.randomdraw",
                verbose_name="抽查",
            ),
        ),
        migrations.CreateModel(
            name="DrawPublication",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("published_at", models.DateTimeField(verbose_name="公示时间")),
                ("text", models.TextField(verbose_name="公示内容")),
                ("url", models.URLField(blank=True, verbose_name="公示网址")),
                ("deadline", models.DateField(blank=True, null=True, verbose_name="公示期限")),
                (
                    "published_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="公示人",
                    ),
                ),
                (
                    "draw",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="publication",
                        to="planning.randomdraw",
                        verbose_name="抽查",
                    ),
                ),
            ],
            options={
                "verbose_name": "抽查结果公示",
                "verbose_name_plural": "抽查结果公示",
                "ordering": ["-published_at"],
            },
        ),
        migrations.CreateModel(
            name="ConflictDeclaration",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("reason", models.TextField(verbose_name="回避理由")),
                ("declared_at", models.DateTimeField(verbose_name="声明时间")),
                (
                    "entity",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="registry.entity",
                        verbose_name="市场主体",
                    ),
                ),
                (
                    "officer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="conflict_declarations",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="执法人员",
                    ),
                ),
            ],
            options={
                "verbose_name": "回避声明",
                "verbose_name_plural": "回避声明",
                "ordering": ["-declared_at", "-id"],
                "constraints": [
                    models.UniqueConstraint(fields=("officer", "entity"), name="conflict_unique")
                ],
            },
        ),
        migrations.AddConstraint(
            model_name="drawinspector",
            constraint=models.UniqueConstraint(
                fields=("selection", "position"), name="draw_inspector_pos"
            ),
        ),
        migrations.AddIndex(
            model_name="drawselection",
            index=models.Index(fields=["uscc", "draw"], name="draw_selection_uscc_idx"),
        ),
        migrations.AddConstraint(
            model_name="drawselection",
            constraint=models.UniqueConstraint(
                fields=("draw", "order"), name="draw_selection_order"
            ),
        ),
        migrations.RunPython(create_items, migrations.RunPython.noop),
    ]
