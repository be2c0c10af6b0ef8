"""What a campaign's leading group office is called when it signs."""

import pytest

from campaigns.models import Campaign, Unit


def campaign(title, short_title="", office="区卫健委办公室"):
    return Campaign(
        title=title,
        short_title=short_title,
        issuing_unit=Unit(name="东湖区卫生健康委员会"),
        office_unit=Unit(name=office),
    )


@pytest.mark.parametrize(
    ("title", "work"),
    [
        ("东湖区健康城市建设三年行动计划（2021—2023年）", "东湖区健康城市建设三年行动"),
        ("全区卫生系统文明执法素养提升三年行动方案（2016—2018）", "全区卫生系统文明执法素养提升三年行动"),
        ("关于印发《城区市容环境集中整治百日行动实施方案》的通知", "城区市容环境集中整治百日行动"),
        ("法治政府建设", "法治政府建设"),
    ],
)
def test_work_name_is_the_plan_without_its_genre_and_years(title, work):
    assert campaign(title).work_name == work


def test_the_office_signs_as_the_leading_group_office_not_its_section():
    assert campaign("东湖区健康城市建设三年行动计划（2021—2023年）", office="区卫健委组宣处").leading_group_office == (
        "东湖区健康城市建设三年行动领导小组办公室"
    )


def test_a_short_title_names_the_office_after_the_issuer():
    assert campaign("卫滨区法治政府建设实施方案", "法治政府建设").leading_group_office == (
        "东湖区卫生健康委员会法治政府建设领导小组办公室"
    )


def test_an_office_unit_already_named_so_signs_as_it_is():
    named = campaign("健康城市建设方案", office="东湖区健康城市建设领导小组办公室")
    assert named.leading_group_office == "东湖区健康城市建设领导小组办公室"
