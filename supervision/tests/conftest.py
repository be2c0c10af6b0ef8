import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from campaigns.models import Membership
from campaigns.tests.factories import MembershipFactory
from reports.tests.conftest import SHANGHAI, build_setting, local  # noqa: F401
from supervision import services
from supervision.models import Inspection

# Monday 12 January 2026, 10:00 China time.
NOW = local(2026, 1, 12, 10, 0)
PDF = b"%PDF-1.7\n" + b"0" * 64


def pdf(name="整改照片.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def setting(db, clock):
    """reports/tests' setting (a campaign, 区卫生监督所 and 区卫健委宣传科 with a
    liaison each, office staff and a leader of the office unit) plus a unit head."""
    setting = build_setting()
    setting.head = MembershipFactory(unit=setting.unit, role=Membership.Role.UNIT_HEAD, user__username="head").user
    return setting


def record(setting, *, findings=None, at=NOW, kind=Inspection.Kind.ON_SITE, units=None, attachments=()):
    """An on-site inspection of both units with two findings at the first
    unit, due Friday 16 January and Tuesday 20 January."""
    if findings is None:
        findings = [
            services.FindingInput(setting.unit, "执法文书填写不规范。", "规范执法文书填写，组织一次培训。", datetime.date(2026, 1, 16)),
            services.FindingInput(setting.unit, "公示栏信息未更新。", "更新公示栏信息。", datetime.date(2026, 1, 20)),
        ]
    return services.record_inspection(
        campaign=setting.campaign,
        by=setting.office,
        at=at,
        kind=kind,
        inspected_on=at.date(),
        inspectors="樊丽娜、李蓉",
        summary="对区卫生监督所、区卫健委宣传科开展现场检查。",
        units=units if units is not None else [(setting.unit, "86.5"), (setting.other_unit, 92)],
        findings=findings,
        attachments=attachments,
    )
