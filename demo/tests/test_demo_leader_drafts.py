"""The demo's leader reads the demo campaign's drafts (文稿起草), as the README says."""

import datetime
import zoneinfo

from demo.campaign import Demo
from documents.models import Draft
from documents.tests.test_drafts import page, post


def test_the_demo_leader_reads_the_demo_campaigns_drafts(client, db):
    now = datetime.datetime(2026, 11, 22, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    demo = Demo(now=now, password="Demo@2026!")
    demo.build_units()
    demo.build_users()
    demo.build_campaign()
    demo.build_tasks_and_rules()
    leader, office = demo.users["zhangyanjun"], demo.users["fanlina"]
    year = demo.campaign.starts_on.year

    index = page(client, leader, "annual")
    assert index.status_code == 200 and demo.campaign.title in index.content.decode()
    assert post(client, office, "start", demo.campaign.pk, data={"scope": f"annual:{year}"}).status_code == 302
    found = Draft.objects.get(campaign=demo.campaign)

    shown = page(client, leader, "draft", found.pk)
    assert shown.status_code == 200 and f"{year}年度情况报告" in shown.content.decode()
    assert page(client, leader, "docx", found.pk, 1).status_code == 200
    assert post(client, leader, "regenerate", found.pk).status_code == 404


# The index
