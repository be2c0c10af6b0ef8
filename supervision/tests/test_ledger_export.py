"""The rectification ledger on its own: exported as .xlsx from its page, and
read on a phone as labelled cards."""

import io

import openpyxl
import pytest
from django.urls import reverse

from .conftest import record
from .test_pages import grow

HEADER_ROW = 3


def ledger_rows(response):
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["整改台账"]
    return list(book["整改台账"].iter_rows(min_row=HEADER_ROW + 1, values_only=True))


def test_the_office_and_the_leader_export_the_ledger_alone(client, setting):
    record(setting)
    for user in [setting.office, setting.leader]:
        client.force_login(user)
        response = client.get(reverse("supervision:ledger_export", args=[setting.campaign.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        assert "%E6%95%B4%E6%94%B9%E5%8F%B0%E8%B4%A6" in response["Content-Disposition"]  # 整改台账
        rows = ledger_rows(response)
        assert [(row[3], row[6]) for row in rows] == [("执法文书填写不规范。", "待整改"), ("公示栏信息未更新。", "待整改")]


def test_units_and_strangers_cannot_export_the_ledger(client, setting):
    record(setting)
    for user in [setting.liaison, setting.other_liaison, setting.head]:
        client.force_login(user)
        assert client.get(reverse("supervision:ledger_export", args=[setting.campaign.pk])).status_code == 404


@pytest.mark.parametrize("count", [3, 30])
def test_the_export_costs_the_same_queries_whatever_the_number_of_items(
    client, setting, count, django_assert_num_queries
):
    grow(setting, count)
    client.force_login(setting.office)
    # The user's memberships are read once (campaigns.access.unit_ids); the
    # download is on the audit trail: one INSERT.
    with django_assert_num_queries(6):
        response = client.get(reverse("supervision:ledger_export", args=[setting.campaign.pk]))
        rows = ledger_rows(response)
    assert len(rows) == count


def test_the_ledger_labels_every_cell_for_the_phone_cards(client, setting):
    record(setting)
    client.force_login(setting.office)
    page = client.get(reverse("supervision:ledger", args=[setting.campaign.pk])).content.decode()
    assert 'class="table table-sm align-middle table-cards"' in page
    for label in ["责任单位", "问题与要求", "整改期限", "状态", "销号时间"]:
        assert page.count(f'data-label="{label}"') == 2, label
    assert reverse("supervision:ledger_export", args=[setting.campaign.pk]) in page
