"""Drafts of the documents the office signs, and their versions.

A `Draft` is one document a campaign can be drafted into (documents.drafting
.Scope): a year's report, a phase's summary or the final summary. Its text
lives in `DraftVersion` rows, numbered 1, 2, … and never changed: every save,
restore or regeneration adds the next one, so nothing a clerk wrote is lost.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.numerals import chinese_numeral

from .kinds import Kind


class Draft(models.Model):
    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name="创建活动", on_delete=models.PROTECT, related_name="drafts"
    )
    kind = models.CharField("文稿类别", max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    phase = models.ForeignKey(
        "campaigns.Phase", verbose_name="阶段", null=True, blank=True, on_delete=models.PROTECT, related_name="drafts"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "文稿"
        verbose_name_plural = "文稿"
        ordering = ["campaign", "kind", "year", "phase"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=Kind.ANNUAL, year__isnull=False, phase__isnull=True)
                | Q(kind=Kind.PHASE, year__isnull=True, phase__isnull=False)
                | Q(kind=Kind.FINAL, year__isnull=True, phase__isnull=True),
                name="draft_scope_consistent",
                violation_error_message="文稿范围不一致：年度情况报告须填年度，阶段总结须选阶段，总结报告两者都不填。",
            ),
            models.UniqueConstraint(
                fields=["campaign", "year"],
                condition=Q(kind=Kind.ANNUAL),
                name="draft_one_annual_per_year",
                violation_error_message="该活动这一年度的情况报告已有文稿，请打开已有文稿修改。",
            ),
            models.UniqueConstraint(
                fields=["campaign", "phase"],
                condition=Q(kind=Kind.PHASE),
                name="draft_one_per_phase",
                violation_error_message="该阶段的总结已有文稿，请打开已有文稿修改。",
            ),
            models.UniqueConstraint(
                fields=["campaign"],
                condition=Q(kind=Kind.FINAL),
                name="draft_one_final",
                violation_error_message="该活动的总结报告已有文稿，请打开已有文稿修改。",
            ),
        ]

    def __str__(self):
        return f"{self.campaign} · {self.label}"

    @property
    def label(self):
        if self.kind == Kind.ANNUAL:
            return f"{self.year}年度情况报告"
        if self.kind == Kind.PHASE:
            return f"第{chinese_numeral(self.phase.order)}阶段（{self.phase.name}）总结"
        return "活动总结报告"

    @property
    def scope_key(self):
        return (self.kind, self.year, self.phase_id)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("documents:draft", args=[self.pk])


class DraftVersion(models.Model):
    draft = models.ForeignKey(Draft, verbose_name="文稿", on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    # core.official.to_data of the document as this version left it.
    data = models.JSONField("内容")
    note = models.CharField("说明", max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="保存人",
        null=True,  # the command line has no user
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("保存时间")

    class Meta:
        verbose_name = "文稿版本"
        verbose_name_plural = "文稿版本"
        ordering = ["draft", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["draft", "number"], name="draft_version_unique_number", violation_error_message="同一文稿的版本号不能重复。"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="draft_version_number_positive", violation_error_message="版本号从1开始。"
            ),
        ]

    def __str__(self):
        return f"{self.draft} 第{self.number}版"

    @property
    def author_name(self):
        return "命令行" if self.created_by is None else str(self.created_by)
