"""The office corrects a saved inspection; every change is in its history."""

from decimal import Decimal

import pytest
from django.urls import reverse

from campaigns.models import Membership
from campaigns.tests.factories import CampaignFactory, MembershipFactory, UnitFactory
from supervision.models import InspectedUnit, Inspection, InspectionRevision, RectificationItem

from tasks.tests.factories import TaskFactory

from .conftest import pdf, record


def edit_post(setting, **overrides):
    data = {
        "kind": "on_site",
        "inspected_on": "2026-01-12",
        "inspectors": "樊丽娜、李蓉",
        "summary": "对区卫生监督所、区卫健委宣传科开展现场检查。",
        f"unit_{setting.unit.pk}": "on",
        f"score_{setting.unit.pk}": "86.5",
        f"unit_{setting.other_unit.pk}": "on",
        f"score_{setting.other_unit.pk}": "92",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_the_office_corrects_a_score_and_the_inspectors_and_the_history_says_so(client, setting):
    inspection = record(setting)
    client.force_login(setting.office)
    url = reverse("supervision:inspection_edit", args=[inspection.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert form.context["form"][f"score_{setting.unit.pk}"].value() == Decimal("86.5")

    response = client.post(
        url,
        edit_post(setting, inspectors="樊丽娜、李蓉、王强", **{f"score_{setting.other_unit.pk}": "88"}, files=pdf("检查表.pdf")),
    )

    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.inspectors == "樊丽娜、李蓉、王强"
    assert InspectedUnit.objects.get(inspection=inspection, unit=setting.other_unit).score == Decimal("88")
    assert inspection.attachments.get().original_name == "检查表.pdf"
    revision = InspectionRevision.objects.get()
    assert revision.actor == setting.office
    assert revision.changes == [
        {"field": "检查人员", "before": "樊丽娜、李蓉", "after": "樊丽娜、李蓉、王强"},
        {"field": f"得分：{setting.other_unit}", "before": "92.0 分", "after": "88.0 分"},
        {"field": "检查附件", "before": "", "after": "新增“检查表.pdf”"},
    ]
    page = client.get(reverse("supervision:inspection_detail", args=[inspection.pk])).content.decode()
    assert "修改记录（1）" in page and "92.0 分 → 88.0 分" in page
    assert RectificationItem.objects.filter(finding__inspection=inspection).count() == 2, "findings are untouched"


def test_saving_without_a_change_records_nothing(client, setting):
    inspection = record(setting)
    client.force_login(setting.office)
    response = client.post(reverse("supervision:inspection_edit", args=[inspection.pk]), edit_post(setting), follow=True)
    assert "没有修改任何内容" in response.content.decode()
    assert not InspectionRevision.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"unit_UNIT": None, "score_UNIT": None}, "有发现问题和整改事项，不能取消勾选"),
        ({"kind": "unannounced"}, "“明察暗访”不评分"),
        ({"inspectors": "  "}, "请填写检查人员"),
        ({"inspected_on": "2099-01-01"}, "检查日期不能晚于今天"),
    ],
    ids=["unit with findings dropped", "score on unannounced", "no inspectors", "future date"],
)
def test_a_bad_edit_is_refused_with_a_message_and_changes_nothing(client, setting, overrides, message):
    inspection = record(setting)
    client.force_login(setting.office)
    overrides = {key.replace("UNIT", str(setting.unit.pk)): value for key, value in overrides.items()}
    response = client.post(reverse("supervision:inspection_edit", args=[inspection.pk]), edit_post(setting, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    inspection.refresh_from_db()
    assert (inspection.kind, inspection.inspectors) == (Inspection.Kind.ON_SITE, "樊丽娜、李蓉")
    assert inspection.inspected_units.count() == 2
    assert not InspectionRevision.objects.exists()


def test_a_unit_without_findings_can_be_dropped_and_another_added(client, setting):
    inspection = record(setting)
    third = UnitFactory(name="区疾控中心")
    TaskFactory(campaign=setting.campaign, lead_unit=third)
    client.force_login(setting.office)
    data = edit_post(setting, **{f"unit_{setting.other_unit.pk}": None, f"score_{setting.other_unit.pk}": None})
    data.update({f"unit_{third.pk}": "on", f"score_{third.pk}": "75"})
    assert client.post(reverse("supervision:inspection_edit", args=[inspection.pk]), data).status_code == 302
    assert set(inspection.inspected_units.values_list("unit__name", "score")) == {
        ("区卫生监督所", Decimal("86.5")), ("区疾控中心", Decimal("75")),
    }
    fields = [change["field"] for change in InspectionRevision.objects.get().changes]
    assert fields == [f"被检查单位：{setting.other_unit}", f"被检查单位：{third}"]


def test_only_the_campaigns_office_edits_an_inspection(client, setting):
    inspection = record(setting)
    url = reverse("supervision:inspection_edit", args=[inspection.pk])
    client.force_login(setting.leader)
    assert client.get(url).status_code == 403
    assert "修改</a>" not in client.get(reverse("supervision:inspection_detail", args=[inspection.pk])).content.decode()
    other_office = UnitFactory(name="另一个办公室")
    CampaignFactory(office_unit=other_office)
    for user in [setting.liaison, MembershipFactory(unit=other_office, role=Membership.Role.OFFICE_STAFF).user]:
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, edit_post(setting, inspectors="冒充")).status_code == 404
    inspection.refresh_from_db()
    assert inspection.inspectors == "樊丽娜、李蓉"


def test_the_edit_page_costs_the_same_queries_whatever_the_number_of_units(client, setting, django_assert_num_queries):
    inspection = record(setting)
    client.force_login(setting.office)
    url = reverse("supervision:inspection_edit", args=[inspection.pk])
    with django_assert_num_queries(8):
        client.get(url)
    for _ in range(10):
        TaskFactory(campaign=setting.campaign, lead_unit=UnitFactory())
    with django_assert_num_queries(8):
        client.get(url)
