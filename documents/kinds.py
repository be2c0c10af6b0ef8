"""The documents the office drafts from a campaign's data, and what each
covers: a year (年度情况报告), a phase (阶段总结) or the whole campaign
(总结报告). The monthly bulletin (通报) is evaluations'."""

from django.db import models


class Kind(models.TextChoices):
    ANNUAL = "annual", "年度情况报告"
    PHASE = "phase", "阶段总结"
    FINAL = "final", "总结报告"
