"""The ledger through the pages, as the office, the unit and the leader use them."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns.models import Membership
from campaigns.tests.factories import MembershipFactory, UnitFactory
from supervision import services
from supervision.models import Inspection, RectificationItem, RectificationResponse
from tasks.tests.factories import TaskFactory

from .conftest import NOW, PDF, pdf, record

Status = RectificationItem.Status


def inspection_post(setting, *, findings, **extra):
    data = {
        "kind": "on_site",
        "inspected_on": "2026-01-12",
        "inspectors": "樊丽娜、李蓉",
        "summary": "现场检查执法文书和公示栏。",
        f"unit_{setting.unit.pk}": "on",
        f"score_{setting.unit.pk}": "86.5",
        f"unit_{setting.other_unit.pk}": "on",
        f"score_{setting.other_unit.pk}": "",
        "findings-TOTAL_FORMS": str(len(findings) + 1),
        "findings-INITIAL_FORMS": "0",
        "findings-MIN_NUM_FORMS": "0",
        "findings-MAX_NUM_FORMS": "50",
    }
    for number, (unit, description, requirement, deadline) in enumerate(findings):
        data.update(
            {
                f"findings-{number}-unit": unit.pk,
                f"findings-{number}-description": description,
                f"findings-{number}-requirement": requirement,
                f"findings-{number}-deadline": deadline,
            }
        )
    data.update(extra)
    return data


def test_two_findings_one_answered_and_verified_leave_one_closed_and_one_open(client, setting):
    # The office records an inspection with two findings.
    client.force_login(setting.office)
    create = reverse("supervision:inspection_create", args=[setting.campaign.pk])
    assert client.get(create).status_code == 200
    response = client.post(
        create,
        inspection_post(
            setting,
            findings=[
                (setting.unit, "执法文书填写不规范。", "规范执法文书填写。", "2026-01-16"),
                (setting.unit, "公示栏信息未更新。", "更新公示栏信息。", "2026-01-20"),
            ],
        ),
    )
    inspection = Inspection.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("supervision:inspection_detail", args=[inspection.pk])
    assert str(inspection.inspected_units.get(unit=setting.unit).score) == "86.5"
    first, second = RectificationItem.objects.order_by("deadline")

    # The unit's liaison sees the two items, on the home page and the list.
    client.force_login(setting.liaison)
    home = client.get(reverse("reports:unit_home"))
    assert [item.pk for item in home.context["rectifications"]["items"]] == [first.pk, second.pk]
    assert "规范执法文书填写" in home.content.decode()
    listed = client.get(reverse("supervision:unit_items"))
    assert {item.pk for item in listed.context["items"]} == {first.pk, second.pk}

    # ...and answers the first with evidence.
    response = client.post(
        reverse("supervision:item_answer", args=[first.pk]),
        {"text": "已组织执法文书规范培训，整改到位。", "files": [pdf("培训签到表.pdf")]},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == Status.SUBMITTED
    assert first.responses.get().evidence.get().original_name == "培训签到表.pdf"

    # The office sees it awaiting verification and verifies it.
    client.force_login(setting.office)
    today = client.get(reverse("dashboards:today"))
    assert [item.pk for item in today.context["rectifications"]["awaiting"]] == [first.pk]
    response = client.post(reverse("supervision:item_decide", args=[first.pk]), {"decision": "verify"})
    assert response.status_code == 302

    ledger = client.get(reverse("supervision:ledger", args=[setting.campaign.pk]))
    counts = ledger.context["counts"]
    assert (counts["closed"], counts["open"], counts["total"]) == (1, 1, 2)
    rows = {item.pk: item.status for item in ledger.context["page"]}
    assert rows == {first.pk: Status.CLOSED, second.pk: Status.OPEN}
    content = ledger.content.decode()
    assert "已销号" in content and "待整改" in content


def test_a_rejection_needs_a_reason_and_the_unit_answers_again(client, setting):
    record(setting)
    item = RectificationItem.objects.order_by("deadline").first()
    services.submit_response(item=item, by=setting.liaison, at=NOW, text="已整改。")
    client.force_login(setting.office)

    client.post(reverse("supervision:item_decide", args=[item.pk]), {"decision": "reject", "comment": ""})
    item.refresh_from_db()
    assert item.status == Status.SUBMITTED

    client.post(reverse("supervision:item_decide", args=[item.pk]), {"decision": "reject", "comment": "缺少照片。"})
    item.refresh_from_db()
    assert item.status == Status.REJECTED

    client.force_login(setting.liaison)
    page = client.get(reverse("supervision:item_detail", args=[item.pk]))
    assert "缺少照片。" in page.content.decode()
    assert page.context["answer_form"] is not None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"findings-0-deadline": "2026-01-12"}, "整改期限须晚于今天"),
        ({"findings-0-deadline": "2025-12-01"}, "整改期限须晚于今天"),
        ({"findings-0-requirement": ""}, "请填写整改要求"),
        ({"unit_{other}": ""}, "不在被检查单位中"),
        ({"kind": "unannounced"}, "不评分"),
        ({"score": "120"}, "0 到 100"),
        ({"findings-0-deadline": "9999-12-31"}, "整改期限应在"),
        ({"inspected_on": "1900-01-01"}, "检查日期不能早于10年前"),
    ],
    ids=["deadline today", "deadline past", "empty requirement", "unit not inspected", "score on unannounced", "score too high",
         "deadline in 9999", "inspected in 1900"],
)
def test_bad_inspection_input_shows_a_message_and_changes_nothing(client, setting, change, message):
    client.force_login(setting.office)
    data = inspection_post(
        setting, findings=[(setting.other_unit, "公示栏信息未更新。", "更新公示栏信息。", "2026-01-20")]
    )
    for key, value in change.items():
        if key == "score":
            data[f"score_{setting.unit.pk}"] = value
        else:
            data[key.replace("{other}", str(setting.other_unit.pk))] = value

    response = client.post(reverse("supervision:inspection_create", args=[setting.campaign.pk]), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Inspection.objects.exists() and not RectificationItem.objects.exists()


def test_a_bad_evidence_file_shows_a_message_and_changes_nothing(client, setting):
    record(setting)
    item = RectificationItem.objects.order_by("deadline").first()
    client.force_login(setting.liaison)

    response = client.post(
        reverse("supervision:item_answer", args=[item.pk]),
        {"text": "已整改。", "files": [pdf(), SimpleUploadedFile("照片.png", PDF)]},
    )

    assert response.status_code == 400
    assert "内容与扩展名 .png 不符" in response.content.decode()
    item.refresh_from_db()
    assert item.status == Status.OPEN and not RectificationResponse.objects.exists()


# Who sees what


@pytest.fixture
def items(setting):
    """An item of each unit; the first unit's is submitted, awaiting the office."""
    record(
        setting,
        findings=[
            services.FindingInput(setting.unit, "问题甲。", "整改甲。", datetime.date(2026, 1, 20)),
            services.FindingInput(setting.other_unit, "问题乙。", "整改乙。", datetime.date(2026, 1, 20)),
        ],
    )
    own = RectificationItem.objects.get(unit=setting.unit)
    services.submit_response(item=own, by=setting.liaison, at=NOW, text="已整改。", files=[pdf()])
    return own, RectificationItem.objects.get(unit=setting.other_unit)


def test_a_unit_sees_only_its_own_items(client, setting, items):
    own, other = items
    client.force_login(setting.other_liaison)

    assert [i.pk for i in client.get(reverse("supervision:unit_items")).context["items"]] == [other.pk]
    assert client.get(reverse("supervision:item_detail", args=[own.pk])).status_code == 404
    evidence = own.responses.get().evidence.get()
    assert client.get(reverse("supervision:evidence_download", args=[evidence.pk])).status_code == 404
    assert client.get(reverse("supervision:ledger", args=[setting.campaign.pk])).status_code == 404
    assert client.get(reverse("supervision:inspection_detail", args=[own.finding.inspection_id])).status_code == 404
    assert client.post(reverse("supervision:item_answer", args=[own.pk]), {"text": "冒充。"}).status_code == 404


def test_a_liaison_cannot_verify_the_own_units_item(client, setting, items):
    own, _ = items
    client.force_login(setting.liaison)

    assert client.post(reverse("supervision:item_decide", args=[own.pk]), {"decision": "verify"}).status_code == 403
    own.refresh_from_db()
    assert own.status == Status.SUBMITTED


def test_a_leader_reads_the_ledger_but_cannot_write(client, setting, items):
    own, _ = items
    client.force_login(setting.leader)

    assert client.get(reverse("supervision:ledger", args=[setting.campaign.pk])).status_code == 200
    assert client.get(reverse("supervision:item_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("supervision:inspection_create", args=[setting.campaign.pk])).status_code == 403
    assert client.post(reverse("supervision:item_decide", args=[own.pk]), {"decision": "verify"}).status_code == 403
    assert client.post(reverse("supervision:item_answer", args=[own.pk]), {"text": "x"}).status_code == 404
    own.refresh_from_db()
    assert own.status == Status.SUBMITTED


# Query counts do not grow with the number of units


def grow(setting, count):
    """`count` more units with a task each, inspected once with a finding each;
    the first unit's liaison also answers for every one of them."""
    units = [UnitFactory() for _ in range(count)]
    for unit in units:
        TaskFactory(campaign=setting.campaign, lead_unit=unit)
        MembershipFactory(unit=unit, role=Membership.Role.LIAISON, user=setting.liaison)
    services.record_inspection(
        campaign=setting.campaign,
        by=setting.office,
        at=NOW,
        kind=Inspection.Kind.ON_SITE,
        inspected_on=NOW.date(),
        inspectors="樊丽娜",
        units=[(unit, 80) for unit in units],
        findings=[services.FindingInput(unit, "问题。", "整改。", datetime.date(2026, 1, 20)) for unit in units],
    )
    items = list(RectificationItem.objects.filter(unit__in=units).order_by("pk"))
    for item in items[::3]:
        services.submit_response(item=item, by=setting.liaison, at=NOW, text="已整改。")
    return items


@pytest.mark.parametrize("count", [3, 30])
def test_the_ledger_and_item_lists_cost_the_same_queries_whatever_the_number_of_units(
    client, setting, count, django_assert_max_num_queries
):
    items = grow(setting, count)
    client.force_login(setting.office)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("supervision:ledger", args=[setting.campaign.pk]))
    assert len(response.context["page"]) == count
    # 17: one of them lists the office's draft campaigns waiting in 活动设置.
    with django_assert_max_num_queries(17):
        response = client.get(reverse("dashboards:today"))
    assert response.context["rectifications"]["awaiting_count"] == len(items[::3])

    client.force_login(setting.liaison)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("supervision:unit_items"))
    assert len(response.context["items"]) == count
    # 16: the tasks' progress takes 1 to 3 of them, as many lead units' latest
    # reports lack a task's figure (reports.progress.task_progress).
    with django_assert_max_num_queries(16):
        response = client.get(reverse("reports:unit_home"))
    assert response.context["rectifications"]["count"] == count - len(items[::3])
    with django_assert_max_num_queries(11):
        response = client.get(reverse("supervision:item_detail", args=[items[0].pk]))
    assert response.status_code == 200

    client.force_login(setting.office)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("supervision:inspection_create", args=[setting.campaign.pk]))
    assert len(response.context["form"].units) == count + 2
    # 11: two of them are the edit history and whether the user may edit.
    with django_assert_max_num_queries(11):
        response = client.get(reverse("supervision:inspection_detail", args=[items[0].finding.inspection_id]))
    assert len(response.context["findings"]) == count


def test_adding_a_finding_row_without_javascript_keeps_what_was_typed(client, setting):
    client.force_login(setting.office)
    url = reverse("supervision:inspection_create", args=[setting.campaign.pk])
    typed = inspection_post(
        setting,
        findings=[(setting.unit, "执法文书填写不规范。", "规范执法文书填写。", "2026-01-16")],
        summary="现场检查执法文书。",
        add_finding="1",
    )
    typed["findings-1-description"] = "公示栏信息"  # a second row begun, not finished

    page = client.post(url, typed)

    assert page.status_code == 200
    assert not Inspection.objects.exists(), "adding a row saves nothing"
    form, findings = page.context["form"], page.context["findings"]
    assert not form.is_bound and form["inspectors"].value() == "樊丽娜、李蓉"
    assert form[f"unit_{setting.unit.pk}"].value() is True and form[f"score_{setting.unit.pk}"].value() == "86.5"
    assert findings.total_form_count() == 3
    assert findings.forms[0]["description"].value() == "执法文书填写不规范。"
    assert findings.forms[1]["description"].value() == "公示栏信息"
    assert not findings.forms[2]["description"].value()
    text = page.content.decode()
    assert "问题 3" in text and "执法文书填写不规范。" in text and "现场检查执法文书。" in text
    assert f'<option value="{setting.unit.pk}" selected>' in text
    assert "请填写" not in text, "nothing is checked yet"

    # The form then saves as usual, with the rows added.
    saved = client.post(
        url,
        {
            **{key: value for key, value in typed.items() if key != "add_finding"},
            "findings-TOTAL_FORMS": "3",
            "findings-INITIAL_FORMS": "2",
            "findings-1-unit": setting.other_unit.pk,
            "findings-1-requirement": "更新公示栏。",
            "findings-1-deadline": "2026-01-20",
        },
    )
    assert saved.status_code == 302
    assert sorted(RectificationItem.objects.values_list("finding__description", flat=True)) == [
        "公示栏信息", "执法文书填写不规范。",
    ]


def test_the_inspection_form_carries_an_empty_finding_to_clone(client, setting):
    client.force_login(setting.office)
    page = client.get(reverse("supervision:inspection_create", args=[setting.campaign.pk])).content.decode()
    assert '<template id="findings-empty">' in page
    assert 'name="findings-__prefix__-description"' in page and "问题 __number__" in page
    assert 'data-formset-add="findings"' in page and "js/formset.js" in page
