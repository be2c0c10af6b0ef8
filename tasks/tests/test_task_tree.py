"""A plan's task tree (一、 (一) 1、 (1)) is stored as a path, so that the
plan prints in order with one ORDER BY and a subtree moves as a whole."""

import pytest

from campaigns.tests.factories import CampaignFactory
from tasks.models import Task
from tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


def paths(campaign):
    return list(Task.objects.filter(campaign=campaign).values_list("title", "tree_path", "depth"))


def test_nested_tasks_list_depth_first_as_the_plan_prints_them():
    campaign = CampaignFactory()
    second = TaskFactory(campaign=campaign, position=2, title="二、强化监管")
    first = TaskFactory(campaign=campaign, position=1, title="一、宣传发动")
    TaskFactory(campaign=campaign, parent=second, position=1, title="（一）日常监督")
    item = TaskFactory(campaign=campaign, parent=first, position=1, title="（一）制定方案")
    TaskFactory(campaign=campaign, parent=item, position=1, title="1、召开动员会")

    assert paths(campaign) == [
        ("一、宣传发动", "0001", 0),
        ("（一）制定方案", "00010001", 1),
        ("1、召开动员会", "000100010001", 2),
        ("二、强化监管", "0002", 0),
        ("（一）日常监督", "00020001", 1),
    ]


def test_renumbering_a_task_moves_its_whole_subtree():
    campaign = CampaignFactory()
    parent = TaskFactory(campaign=campaign, position=1, title="一、宣传发动")
    child = TaskFactory(campaign=campaign, parent=parent, position=1, title="（一）制定方案")
    TaskFactory(campaign=campaign, parent=child, position=2, title="2、印发资料")

    parent.position = 3
    parent.save()

    assert paths(campaign) == [
        ("一、宣传发动", "0003", 0),
        ("（一）制定方案", "00030001", 1),
        ("2、印发资料", "000300010002", 2),
    ]


def test_moving_a_task_under_another_parent_moves_and_deepens_its_subtree():
    campaign = CampaignFactory()
    publicity = TaskFactory(campaign=campaign, position=1, title="一、宣传发动")
    supervision = TaskFactory(campaign=campaign, position=2, title="二、强化监管")
    inspection = TaskFactory(campaign=campaign, parent=supervision, position=1, title="（一）日常监督")
    TaskFactory(campaign=campaign, parent=inspection, position=1, title="1、双随机抽查")

    inspection.parent = publicity
    inspection.position = 2
    inspection.save()

    assert paths(campaign) == [
        ("一、宣传发动", "0001", 0),
        ("（一）日常监督", "00010002", 1),
        ("1、双随机抽查", "000100020001", 2),
        ("二、强化监管", "0002", 0),
    ]
    assert not supervision.children.exists()


def test_promoting_a_task_to_the_top_level_lifts_its_subtree():
    campaign = CampaignFactory()
    parent = TaskFactory(campaign=campaign, position=1, title="一、宣传发动")
    child = TaskFactory(campaign=campaign, parent=parent, position=1, title="（一）制定方案")
    TaskFactory(campaign=campaign, parent=child, position=1, title="1、召开动员会")

    child.parent = None
    child.position = 2
    child.save()

    assert paths(campaign) == [
        ("一、宣传发动", "0001", 0),
        ("（一）制定方案", "0002", 0),
        ("1、召开动员会", "00020001", 1),
    ]


def test_two_sibling_tasks_cannot_share_a_position(refused_by):
    campaign = CampaignFactory()
    parent = TaskFactory(campaign=campaign, position=1)
    TaskFactory(campaign=campaign, parent=parent, position=1)
    with refused_by(Task, "task_unique_position"):
        TaskFactory(campaign=campaign, parent=parent, position=1)


def test_the_same_position_under_different_parents_is_fine():
    campaign = CampaignFactory()
    first, second = TaskFactory(campaign=campaign, position=1), TaskFactory(campaign=campaign, position=2)
    TaskFactory(campaign=campaign, parent=first, position=1)
    TaskFactory(campaign=campaign, parent=second, position=1)
    assert Task.objects.filter(campaign=campaign, depth=1).count() == 2


def test_a_task_cannot_be_its_own_parent(refused_by):
    task = TaskFactory()
    with refused_by(Task, "task_not_own_parent"):
        Task.objects.filter(pk=task.pk).update(parent=task)
