"""The importer reads the demo's own plan into the campaign the demo builds
by hand: the plan import and the demo agree."""

import datetime as dt

import pytest
from django.utils import timezone

from campaigns.models import Campaign, LeadingGroupMember, Phase, Unit
from demo.campaign import Demo
from imports.matching import match_units, unit_names
from imports.reading import propose
from imports.services import create_draft_campaign
from imports.tests.files import sample_text
from reports.models import ReportingRule
from tasks.models import Indicator, Task

pytestmark = pytest.mark.django_db

MODELS = [Campaign, Phase, Task, ReportingRule, Indicator, LeadingGroupMember, Unit]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def sample_proposal():
    return propose(sample_text()).to_dict()


@pytest.fixture
def demo(time_machine):
    """The demo campaign's structure as demo/campaign.py builds it by hand (no reports)."""
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc), tick=False)
    built = Demo(now=timezone.now(), password="Demo@2026!")
    built.build_units()
    built.build_users()
    built.build_campaign()
    built.build_tasks_and_rules()
    return built


def test_sample_becomes_the_demo_campaign_with_the_plans_own_years(demo):
    proposal = sample_proposal()
    matches = match_units(unit_names(proposal["tasks"]))
    assert matches["区卫生监督所"].unit_id == demo.institute.pk
    before = counts()

    result = create_draft_campaign(
        proposal=proposal,
        unit_matches={n: m.unit_id for n, m in matches.items()},
        by=demo.users["fanlina"],
        office_unit=demo.office,
    )

    draft = result.campaign
    assert counts()["Unit"] == before["Unit"], "no new unit: 区卫生监督所 exists"
    assert draft.status == Campaign.Status.DRAFT
    assert (draft.title, draft.document_number, draft.issued_on) == (
        demo.campaign.title, "管卫〔2016〕41号", dt.date(2016, 4, 28))
    assert (draft.office_unit, draft.issuing_unit) == (demo.office, demo.commission)
    assert (draft.starts_on, draft.ends_on) == (dt.date(2016, 1, 1), dt.date(2018, 12, 31))
    contact = ("contact_person", "contact_phone", "contact_email")
    assert [getattr(draft, f) for f in contact] == [getattr(demo.campaign, f) for f in contact] == [
        "樊丽娜", "66213720", "fangbaoke@126.com"]

    def phases(campaign):
        return list(campaign.phases.order_by("order").values_list("order", "name", "goal", "starts_on", "ends_on"))

    assert phases(draft) == [
        (1, "教育治理年", "实现文明执法到位", dt.date(2016, 1, 1), dt.date(2016, 12, 31)),
        (2, "巩固提升年", "实现文明执法到人", dt.date(2017, 1, 1), dt.date(2017, 12, 31)),
        (3, "规范深化年", "实现文明到心", dt.date(2018, 1, 1), dt.date(2018, 12, 31)),
    ]
    # The demo's phases are the same but for their years.
    assert [p[:3] for p in phases(demo.campaign)] == [p[:3] for p in phases(draft)]

    def tasks(campaign):
        return list(campaign.tasks.filter(parent=None).order_by("tree_path").values_list("title", "lead_unit__name"))

    assert tasks(draft) == tasks(demo.campaign)
    assert len(tasks(draft)) == 6 and {lead for _, lead in tasks(draft)} == {"区卫生监督所"}
    # The plan names no co-units; the demo adds five sections.
    assert not Task.co_units.through.objects.filter(task__campaign=draft).exists()
    assert Task.co_units.through.objects.filter(task__campaign=demo.campaign).exists()

    def rules(campaign):
        return sorted(campaign.reporting_rules.values_list("cadence", "weekday", "day_of_month", "due_time"))

    assert rules(draft) == rules(demo.campaign) == [
        ("monthly", None, 19, dt.time(17, 30)),
        ("weekly", 2, None, dt.time(17, 30)),
    ]
    rule = draft.reporting_rules.get(cadence="weekly")
    assert (rule.starts_on, rule.ends_on) == (dt.date(2016, 1, 1), dt.date(2018, 12, 31))

    def group(campaign):
        return list(campaign.leading_group.order_by("order").values_list("position", "name"))

    assert group(draft) == group(demo.campaign)
    assert group(draft)[0] == (LeadingGroupMember.Position.HEAD, "张彦军")
