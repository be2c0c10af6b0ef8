"""分解责任 and editing the current edition in the product: the office assigns
standards to the campaign's units (in bulk and one by one), edits the tree
while past results stay true, and copies the edition into a new one."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import editing
from assessments.models import (
    AssessmentContent,
    AssessmentItem,
    AssessmentSystem,
    MockAssessment,
    Observation,
    SampledSite,
    Site,
    SiteType,
    Standard,
)
from assessments.services import AssessmentError
from audit.models import AuditEvent
from campaigns.models import Membership
from campaigns.tests.factories import CampaignFactory, MembershipFactory, UnitFactory, UserFactory
from tasks.tests.factories import TaskFactory


@pytest.fixture
def world(db):
    office_unit = UnitFactory(name="市文明办")
    campaign = CampaignFactory(office_unit=office_unit)
    police, city = UnitFactory(name="市公安局"), UnitFactory(name="市城管局")
    TaskFactory(campaign=campaign, lead_unit=police)
    TaskFactory(campaign=campaign, lead_unit=city)
    foreign = UnitFactory(name="邻市公安局")
    TaskFactory(campaign=CampaignFactory(), lead_unit=foreign)
    clerk, leader, liaison = UserFactory(username="clerk"), UserFactory(username="leader"), UserFactory(username="liaison")
    MembershipFactory(user=clerk, unit=office_unit, role=Membership.Role.OFFICE_STAFF)
    MembershipFactory(user=leader, unit=office_unit, role=Membership.Role.LEADER)
    MembershipFactory(user=liaison, unit=police, role=Membership.Role.LIAISON)
    market, road = SiteType.objects.create(campaign=campaign, name="农贸市场"), SiteType.objects.create(campaign=campaign, name="主次干道")
    system = AssessmentSystem.objects.create(campaign=campaign, name="测评体系", edition="2026年版", created_by=clerk)
    order = AssessmentItem.objects.create(system=system, position=1, name="公共秩序")
    traffic = AssessmentContent.objects.create(item=order, position=1, name="交通秩序")
    look = AssessmentItem.objects.create(system=system, position=2, name="市容环境")
    markets = AssessmentContent.objects.create(item=look, position=1, name="农贸市场")
    texts = [(traffic, "礼让斑马线", road), (traffic, "不闯红灯", road), (markets, "无占道经营", market)]
    standards = []
    for n, (content, text, site_type) in enumerate(texts, 1):
        standard = Standard.objects.create(system=system, content=content, position=n, text=text, score=2, methods=["实地考察"])
        standard.site_types.add(site_type)
        standards.append(standard)
    return dict(
        campaign=campaign, police=police, city=city, foreign=foreign, clerk=clerk, leader=leader, liaison=liaison,
        market=market, road=road, system=system, traffic=traffic, markets=markets, order=order, standards=standards,
    )


def observe(world, standard):
    """A mock assessment that observed `standard` (不达标) at a market."""
    site = Site.objects.create(campaign=world["campaign"], site_type=world["market"], name=f"市场{standard.pk}", unit=world["city"])
    mock = MockAssessment.objects.create(
        campaign=world["campaign"], system=world["system"], name="模拟测评", held_on=datetime.date(2026, 1, 10),
        created_by=world["clerk"], status="open",
    )
    sampled = SampledSite.objects.create(assessment=mock, site=site, observer=world["clerk"])
    return Observation.objects.create(sampled_site=sampled, standard=standard, result="not_met", note="有占道", observed_by=world["clerk"])


def leads(world):
    return {s.text: (s.lead_unit and s.lead_unit.name, sorted(u.name for u in s.co_units.all())) for s in Standard.objects.filter(system=world["system"])}


# 分解责任


def test_the_office_assigns_ticked_standards_to_a_lead_and_co_units(client, world):
    first, second, third = world["standards"]
    third.co_units.add(world["police"])
    client.force_login(world["clerk"])
    url = reverse("assessments:assign", args=[world["campaign"].pk])
    response = client.post(url, {"standards": [first.pk, second.pk], "lead_unit": world["police"].pk, "co_units": [world["city"].pk]}, follow=True)
    assert "已分解 2 条测评标准：牵头单位设为市公安局；增加配合单位市城管局。" in response.content.decode()
    # The lead of a standard is not also its co-unit: setting 公安局 as 3's lead takes it off 3's co-units.
    client.post(url, {"standards": [third.pk], "lead_unit": world["police"].pk})
    assert leads(world) == {
        "礼让斑马线": ("市公安局", ["市城管局"]),
        "不闯红灯": ("市公安局", ["市城管局"]),
        "无占道经营": ("市公安局", []),
    }
    # Adding a co-unit keeps the ones already there and the lead unit.
    client.post(url, {"standards": [first.pk], "co_units": [world["police"].pk, world["city"].pk]})
    assert leads(world)["礼让斑马线"] == ("市公安局", ["市城管局"])
    events = AuditEvent.objects.filter(object_type="assessments.assessmentsystem", action="changed").order_by("pk")
    assert [e.description for e in events] == ["分解责任：第 1、2 条测评标准", "分解责任：第 3 条测评标准", "分解责任：第 1 条测评标准"]
    assert events[0].changes == {"牵头单位": [None, "市公安局"], "增加配合单位": [None, ["市城管局"]]}


def test_a_unit_of_another_campaign_is_refused_and_nothing_changes(client, world):
    first = world["standards"][0]
    client.force_login(world["clerk"])
    url = reverse("assessments:assign", args=[world["campaign"].pk])
    response = client.post(url, {"standards": [first.pk], "lead_unit": world["foreign"].pk}, follow=True)
    assert "所选单位不是本活动的责任单位，请从列表中选择。" in response.content.decode()
    response = client.post(url, {"standards": [first.pk], "lead_unit": world["police"].pk, "co_units": [world["foreign"].pk]}, follow=True)
    assert "所选单位不是本活动的责任单位" in response.content.decode()
    assert leads(world)["礼让斑马线"] == (None, [])
    with pytest.raises(AssessmentError, match="邻市公安局不是本活动的责任单位"):
        editing.assign_units(system=world["system"], standard_ids=[first.pk], lead_unit=world["foreign"])
    assert not AuditEvent.objects.filter(action="changed").exists()


def test_an_empty_bulk_action_says_what_is_missing(client, world):
    client.force_login(world["clerk"])
    url = reverse("assessments:assign", args=[world["campaign"].pk])
    page = client.post(url, {"lead_unit": world["police"].pk}, follow=True).content.decode()
    assert "请先勾选要分解的测评标准。" in page
    page = client.post(url, {"standards": [world["standards"][0].pk]}, follow=True).content.decode()
    assert "请选择要设置的牵头单位，或要增加的配合单位。" in page
    assert all(lead is None for lead, _ in leads(world).values())


def _grow(world, count):
    content = AssessmentContent.objects.get(item__system__campaign=world["campaign"], item__system__is_current=True, name="农贸市场")
    for n in range(count):
        Standard.objects.create(
            system=content.item.system, content=content, position=100 + n, text=f"标准{n}", score=1, methods=["实地考察"],
            lead_unit=world["city"] if n % 2 else None,
        ).co_units.add(world["police"])


def _queries(call):
    with CaptureQueriesContext(connection) as context:
        call()
    return len(context.captured_queries)


def test_the_bulk_action_and_the_page_cost_the_same_queries_for_3_standards_or_43(client, world, django_assert_num_queries):
    client.force_login(world["clerk"])
    page_url = reverse("assessments:assignment", args=[world["campaign"].pk])
    assign_url = reverse("assessments:assign", args=[world["campaign"].pk])
    for grown in (0, 40):
        _grow(world, grown)
        ids = list(Standard.objects.filter(system=world["system"]).values_list("pk", flat=True))
        # Session, user, campaign, current system, the office check, the units,
        # the tree (items, contents, standards, co-units, site types), the menu's two.
        with django_assert_num_queries(13):
            assert client.get(page_url).status_code == 200
        # Session, user, the user's memberships (campaigns.access.unit_ids), campaign,
        # system, the form's standards, lead and co-units; a savepoint around the
        # service's standards, unit check, update, delete, insert, audit.
        with django_assert_num_queries(16):
            response = client.post(assign_url, {"standards": ids, "lead_unit": world["police"].pk, "co_units": [world["city"].pk]})
        assert response.status_code == 302
    assert Standard.objects.filter(system=world["system"], lead_unit=world["police"]).count() == 43
    assert Standard.co_units.through.objects.filter(standard__system=world["system"], unit=world["city"]).count() == 43


def test_each_unit_s_share_and_the_standards_still_without_a_lead(client, world):
    first, second, third = world["standards"]
    first.lead_unit = second.lead_unit = world["police"]
    first.save()
    second.save()
    first.co_units.add(world["city"])
    third.co_units.add(world["city"])
    rows, unassigned = editing.unit_summary(world["system"])
    assert unassigned == 1
    assert [(u.name, led, co, points) for u, led, co, points in rows] == [
        ("市公安局", 2, 0, Decimal("4")),
        ("市城管局", 0, 2, None),
        ("市文明办", 0, 0, None),
    ]
    client.force_login(world["leader"])
    page = client.get(reverse("assessments:unit_summary", args=[world["campaign"].pk])).content.decode()
    assert "还有 <strong>1</strong> 条测评标准未分解" in page
    page = client.get(reverse("assessments:assignment", args=[world["campaign"].pk]) + "?unassigned=1").content.decode()
    assert "无占道经营" in page and "礼让斑马线" not in page and "未分解" in page
    page = client.get(reverse("assessments:assignment", args=[world["campaign"].pk]) + f"?unit={world['city'].pk}").content.decode()
    assert "礼让斑马线" in page and "无占道经营" in page and "不闯红灯" not in page
    # Leaders read: no checkboxes, no bulk form.
    assert 'name="standards"' not in page


# Editing the tree


def _form(standard, world, **changes):
    data = {
        "text": standard.text, "score": str(standard.score), "methods": list(standard.methods),
        "site_types": [t.pk for t in standard.site_types.all()], "lead_unit": "", "co_units": [],
    }
    data.update(changes)
    return data


def test_the_office_edits_a_standard_not_yet_observed(client, world):
    first = world["standards"][0]
    client.force_login(world["clerk"])
    data = _form(first, world, text="礼让行人", score="3", methods=["实地考察", "网络调查"], site_types=[world["market"].pk],
                 needs_photo="on", lead_unit=world["police"].pk, co_units=[world["city"].pk, world["police"].pk])
    response = client.post(reverse("assessments:standard_edit", args=[first.pk]), data)
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.text, first.score, first.methods, first.needs_photo) == ("礼让行人", Decimal("3"), ["实地考察", "网络调查"], True)
    assert [t.name for t in first.site_types.all()] == ["农贸市场"]
    # The lead unit is not kept as its own co-unit.
    assert (first.lead_unit, [u.name for u in first.co_units.all()]) == (world["police"], ["市城管局"])
    event = AuditEvent.objects.get(object_type="assessments.standard", object_id=str(first.pk))
    assert event.changes["分值"] == ["2", "3"] and event.changes["测评标准"] == ["礼让斑马线", "礼让行人"]


def test_saving_an_unchanged_standard_records_nothing(client, world):
    third = world["standards"][2]
    third.methods = ["实地考察", "材料审核"]  # the sheet's order, not the form's
    third.save()
    observe(world, third)
    client.force_login(world["clerk"])
    response = client.post(reverse("assessments:standard_edit", args=[third.pk]), _form(third, world), follow=True)
    assert "没有改动。" in response.content.decode()
    third.refresh_from_db()
    assert third.methods == ["实地考察", "材料审核"]
    assert not AuditEvent.objects.filter(object_type="assessments.standard").exists()


def test_an_observed_standard_keeps_its_text_points_and_site_types(client, world):
    third = world["standards"][2]
    observe(world, third)
    client.force_login(world["clerk"])
    url = reverse("assessments:standard_edit", args=[third.pk])
    assert "已有 1 条模拟测评记录" in client.get(url).content.decode()
    for change in ({"score": "5"}, {"text": "无占道经营、无乱摆卖"}, {"site_types": [world["road"].pk]}, {"methods": ["材料审核"]}):
        response = client.post(url, _form(third, world, **change))
        assert response.status_code == 200
        assert "已有模拟测评记录，不能修改其" in response.content.decode() and "复制为新版本" in response.content.decode()
    third.refresh_from_db()
    assert (third.text, third.score, [t.name for t in third.site_types.all()]) == ("无占道经营", Decimal("2"), ["农贸市场"])
    assert third.methods == ["实地考察"]
    # What does not change past results still may: the photo rule, the methods, the units.
    response = client.post(url, _form(third, world, needs_photo="on", methods=["实地考察", "材料审核"], lead_unit=world["city"].pk))
    assert response.status_code == 302
    third.refresh_from_db()
    assert (third.needs_photo, third.methods, third.lead_unit) == (True, ["材料审核", "实地考察"], world["city"])
    # Nor is it deleted in place.
    response = client.post(reverse("assessments:standard_delete", args=[third.pk]), follow=True)
    assert "已有模拟测评记录，不能删除" in response.content.decode()
    assert Standard.objects.filter(pk=third.pk).exists()


def test_a_standard_is_added_at_the_end_of_its_content_and_one_not_observed_is_deleted(client, world):
    first, second, third = world["standards"]
    client.force_login(world["clerk"])
    response = client.post(
        reverse("assessments:standard_add", args=[world["traffic"].pk]),
        {"text": "不乱停车", "score": "1.5", "methods": ["实地考察"], "site_types": [world["road"].pk]},
    )
    assert response.status_code == 302
    order = list(Standard.objects.filter(system=world["system"]).order_by("position").values_list("text", "position"))
    assert order == [("礼让斑马线", 1), ("不闯红灯", 2), ("不乱停车", 3), ("无占道经营", 4)]
    added = Standard.objects.get(text="不乱停车")
    assert (added.content, added.score, [t.name for t in added.site_types.all()]) == (world["traffic"], Decimal("1.5"), ["主次干道"])
    client.post(reverse("assessments:standard_delete", args=[second.pk]))
    assert not Standard.objects.filter(pk=second.pk).exists()
    assert list(AuditEvent.objects.filter(object_type="assessments.standard").values_list("action", flat=True).order_by("pk")) == ["created", "deleted"]


def test_a_standard_without_text_or_with_negative_points_is_refused(client, world):
    first = world["standards"][0]
    client.force_login(world["clerk"])
    url = reverse("assessments:standard_edit", args=[first.pk])
    assert "请填写测评标准的内容。" in client.post(url, _form(first, world, text="  ")).content.decode()
    assert "分值不能为负数。" in client.post(url, _form(first, world, score="-1")).content.decode()
    assert "所选单位不是本活动的责任单位" in client.post(url, _form(first, world, lead_unit=world["foreign"].pk)).content.decode()
    first.refresh_from_db()
    assert (first.text, first.score, first.lead_unit) == ("礼让斑马线", Decimal("2"), None)


def test_items_and_contents_are_renamed(client, world):
    client.force_login(world["clerk"])
    client.post(reverse("assessments:item_rename", args=[world["order"].pk]), {"name": "公共秩序与交通"})
    client.post(reverse("assessments:content_rename", args=[world["traffic"].pk]), {"name": "文明交通"})
    page = client.post(reverse("assessments:item_rename", args=[world["order"].pk]), {"name": " "}, follow=True).content.decode()
    assert "测评项目名称不能为空。" in page
    world["order"].refresh_from_db()
    world["traffic"].refresh_from_db()
    assert (world["order"].name, world["traffic"].name) == ("公共秩序与交通", "文明交通")
    assert AuditEvent.objects.get(object_type="assessments.assessmentcontent").changes == {"测评内容": ["交通秩序", "文明交通"]}


def test_copy_as_a_new_edition_then_change_what_the_old_one_keeps(client, world):
    first, second, third = world["standards"]
    third.lead_unit = world["city"]
    third.save()
    third.co_units.add(world["police"])
    observe(world, third)
    client.force_login(world["clerk"])
    response = client.post(reverse("assessments:copy", args=[world["campaign"].pk]), {"edition": "2026年修订版"}, follow=True)
    assert "已复制为新版本《测评体系（2026年修订版）》" in response.content.decode()
    old, new = world["system"], AssessmentSystem.objects.get(edition="2026年修订版")
    old.refresh_from_db()
    assert (old.is_current, new.is_current) == (False, True)
    copied = list(Standard.objects.filter(system=new).order_by("position"))
    assert [(s.position, s.text, s.content.name, s.content.item.name) for s in copied] == [
        (1, "礼让斑马线", "交通秩序", "公共秩序"), (2, "不闯红灯", "交通秩序", "公共秩序"), (3, "无占道经营", "农贸市场", "市容环境"),
    ]
    new_third = copied[2]
    assert (new_third.lead_unit, [u.name for u in new_third.co_units.all()], [t.name for t in new_third.site_types.all()]) == (
        world["city"], ["市公安局"], ["农贸市场"],
    )
    # The copy has no observations: its 分值 changes; the old edition's standard keeps its own.
    response = client.post(reverse("assessments:standard_edit", args=[new_third.pk]), _form(new_third, world, score="4"))
    assert response.status_code == 302
    third.refresh_from_db()
    new_third.refresh_from_db()
    assert (third.score, new_third.score) == (Decimal("2"), Decimal("4"))
    # The old edition is read only: its standards are no longer offered for editing.
    assert client.get(reverse("assessments:standard_edit", args=[third.pk])).status_code == 404
    with pytest.raises(AssessmentError, match="往期版本只供查阅"):
        editing.assign_units(system=old, standard_ids=[first.pk], lead_unit=world["police"])
    assert AuditEvent.objects.filter(object_type="assessments.assessmentsystem", action="created", object_id=str(new.pk)).exists()


def test_the_copy_costs_the_same_queries_for_3_standards_or_43(world):
    def copy():
        system = AssessmentSystem.objects.get(campaign=world["campaign"], is_current=True)
        return _queries(lambda: editing.copy_system(system=system, by=world["clerk"], at=timezone.now()))

    world["standards"][0].co_units.add(world["city"])  # every kind of row copied, small or large
    # Locks, the system, the old one made past, the new one, then a read and a write
    # for each of items, contents, standards, site types and co-units, the units'
    # material read (none here), the audit, and the savepoint opened and released
    # (the test runs in a transaction).
    assert copy() == 18
    _grow(world, 40)
    assert copy() == 18
    assert Standard.objects.filter(system__is_current=True).count() == 43


# Who may


def test_leaders_read_the_assignment_and_units_get_404(client, world):
    first = world["standards"][0]
    campaign = world["campaign"]
    reads = [reverse(f"assessments:{name}", args=[campaign.pk]) for name in ("assignment", "unit_summary")]
    edits = [
        reverse("assessments:edit", args=[campaign.pk]),
        reverse("assessments:standard_edit", args=[first.pk]),
        reverse("assessments:standard_add", args=[world["traffic"].pk]),
    ]
    client.force_login(world["leader"])
    assert [client.get(url).status_code for url in reads + edits] == [200, 200, 404, 404, 404]
    assert client.post(reverse("assessments:assign", args=[campaign.pk]), {"standards": [first.pk], "lead_unit": world["police"].pk}).status_code == 404
    client.force_login(world["liaison"])
    assert [client.get(url).status_code for url in reads + edits] == [404] * 5
    assert client.post(reverse("assessments:standard_delete", args=[first.pk])).status_code == 404
    assert Standard.objects.filter(pk=first.pk, lead_unit=None).exists()
