"""The units' material (材料审核) while the office edits the system: a
standard with material is not deleted, does not lose 材料审核 while material
was sent for it, and a new edition carries the material over, files shared."""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assessments import editing, material
from assessments.models import AssessmentSystem, MaterialEvent, MaterialFile, Standard, StandardMaterial
from assessments.services import AssessmentError
from assessments.tests.test_editing import _form, _grow, _queries
from assessments.tests.test_editing import world as edit_world  # noqa: F401 (a fixture)
from audit.models import AuditEvent

Status = StandardMaterial.Status
PDF = b"%PDF-1.7\n" + b"0" * 64
NOW = timezone.make_aware(datetime.datetime(2026, 1, 12, 10, 0))
LATER = NOW + datetime.timedelta(days=1)


@pytest.fixture
def world(edit_world):  # noqa: F811
    """test_editing's world, with its first two standards asking the police for material."""
    first, second, _ = edit_world["standards"]
    Standard.objects.filter(pk__in=[first.pk, second.pk]).update(methods=["实地考察", "材料审核"], lead_unit=edit_world["police"])
    for standard in (first, second):
        standard.refresh_from_db()
    return edit_world


def sent(world, standard, *, then=None, files=("制度.pdf",)):
    """The police's material for `standard`, submitted, then returned or accepted."""
    row = material.save_and_submit(
        standard=standard, unit=world["police"], by=world["liaison"], at=NOW, text=f"{standard.text}：已落实。",
        files=[SimpleUploadedFile(name, PDF) for name in files],
    )
    if then == "accept":
        row = material.accept_material(material=row, by=world["clerk"], at=LATER, comment="材料齐全。")
    elif then == "return":
        row = material.return_material(material=row, by=world["clerk"], at=LATER, comment="请补充照片。")
    return row


# Deleting


def test_a_standard_with_any_material_is_not_deleted_and_offers_no_delete_button(client, world):
    first, second, third = world["standards"]
    material.save_material(standard=first, unit=world["police"], by=world["liaison"], at=NOW, text="草稿")
    client.force_login(world["clerk"])
    page = client.get(reverse("assessments:edit", args=[world["campaign"].pk])).content.decode()
    assert reverse("assessments:standard_delete", args=[first.pk]) not in page
    assert reverse("assessments:standard_delete", args=[second.pk]) in page
    assert page.count("已有单位材料") == 1
    response = client.post(reverse("assessments:standard_delete", args=[first.pk]), follow=True)
    assert response.status_code == 200
    assert "这条测评标准已有单位报送的材料，不能删除" in response.content.decode()
    assert Standard.objects.filter(pk=first.pk).exists()
    assert not AuditEvent.objects.filter(object_type="assessments.standard", action="deleted").exists()
    with pytest.raises(AssessmentError, match="已有单位报送的材料"):
        editing.delete_standard(standard=first)


# Changing the methods


def test_material_review_is_not_dropped_while_material_was_submitted_or_accepted(client, world):
    first, second, _ = world["standards"]
    sent(world, first)  # 待审核
    sent(world, second, then="return")
    client.force_login(world["clerk"])
    url = reverse("assessments:standard_edit", args=[first.pk])
    response = client.post(url, _form(first, world, methods=["实地考察"], lead_unit=world["police"].pk))
    assert response.status_code == 200
    assert "不能去掉“材料审核”测评方法" in response.content.decode()
    first.refresh_from_db()
    assert first.methods == ["实地考察", "材料审核"]
    # Accepted material holds it too.
    material.accept_material(material=StandardMaterial.objects.get(standard=first), by=world["clerk"], at=LATER)
    with pytest.raises(AssessmentError, match="不能去掉“材料审核”"):
        editing.update_standard(
            standard=first, text=first.text, score=first.score, methods=["实地考察"], site_types=first.site_types.all(),
            needs_photo=False, lead_unit=world["police"], co_units=[],
        )
    # Other changes of that standard still may.
    response = client.post(url, _form(first, world, needs_photo="on", lead_unit=world["police"].pk))
    assert response.status_code == 302
    # Returned material is back with the unit: the method may go.
    response = client.post(
        reverse("assessments:standard_edit", args=[second.pk]), _form(second, world, methods=["实地考察"], lead_unit=world["police"].pk)
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.methods == ["实地考察"]


# 复制为新版本


def test_a_new_edition_carries_the_units_material_over_with_its_files_and_record(world):
    first, second, _ = world["standards"]
    accepted = sent(world, first, then="accept", files=("制度.pdf", "旧稿.pdf"))
    gone = accepted.files.get(original_name="旧稿.pdf")
    MaterialFile.objects.filter(pk=gone.pk).update(removed_at=NOW)  # taken out before it was sent again
    draft = material.save_material(
        standard=second, unit=world["police"], by=world["liaison"], at=NOW, text="草稿", files=[SimpleUploadedFile("草稿.pdf", PDF)]
    )
    assert material.accepted_rate(world["campaign"]) == {world["police"].pk: (1, 2)}

    new = editing.copy_system(system=world["system"], by=world["clerk"], at=LATER)

    new_first, new_second = Standard.objects.filter(system=new, position__in=[1, 2]).order_by("position")
    copy = StandardMaterial.objects.get(standard=new_first)
    assert (copy.unit, copy.status, copy.text, copy.submitted_by, copy.submitted_at, copy.reviewed_by, copy.reviewed_at,
            copy.review_comment) == (
        world["police"], Status.ACCEPTED, "礼让斑马线：已落实。", world["liaison"], NOW, world["clerk"], LATER, "材料齐全。",
    )
    # The same stored files (no bytes copied), the one taken out still out.
    files = {f.original_name: f for f in copy.files.all()}
    old_files = {f.original_name: f for f in accepted.files.all()}
    assert set(files) == {"制度.pdf", "旧稿.pdf"}
    assert all(files[name].file.name == old_files[name].file.name for name in files)
    assert (files["旧稿.pdf"].removed_at, files["制度.pdf"].removed_at) == (NOW, None)
    # Its review record, and a history that says where it came from.
    assert list(copy.events.values_list("action", "actor__username", "created_at", "comment")) == [
        ("submit", "liaison", NOW, ""), ("accept", "clerk", LATER, "材料齐全。"),
    ]
    assert copy.history.get().history_change_reason == "复制为新版本时自《测评体系（2026年版）》带入"
    # The old edition's material is as it was.
    assert StandardMaterial.objects.filter(standard__system=world["system"]).count() == 2
    assert accepted.events.count() == 2
    # Every read of the current edition sees it: the rate does not drop.
    assert material.accepted_rate(world["campaign"]) == {world["police"].pk: (1, 2)}
    review = material.review_rows(campaign=world["campaign"])
    assert review.system == new and review.counts == {"missing": 1, "submitted": 0, "returned": 0, "accepted": 1}
    assert AuditEvent.objects.get(object_type="assessments.assessmentsystem", object_id=str(new.pk)).description.endswith("带入 2 份单位材料")

    # The copied draft goes on in the new edition; removing its file keeps the bytes the old edition names.
    draft_copy = StandardMaterial.objects.get(standard=new_second)
    assert (draft_copy.status, draft_copy.text) == (Status.DRAFT, "草稿")
    copied_file = draft_copy.files.get()
    material.remove_file(material_file=copied_file, by=world["liaison"], at=LATER)
    assert not MaterialFile.objects.filter(pk=copied_file.pk).exists()
    kept = draft.files.get()
    stored_name = kept.file.name
    assert stored_name == copied_file.file.name and default_storage.exists(stored_name)
    # An edition's last holder of the bytes deletes them.
    material.remove_file(material_file=kept, by=world["liaison"], at=LATER)
    assert not default_storage.exists(stored_name)


def _grow_material(world, count):
    """`count` more standards asking the police for material, each with a material, a file and its events."""
    _grow(world, count)
    system = AssessmentSystem.objects.get(campaign=world["campaign"], is_current=True)
    Standard.objects.filter(system=system, position__gte=100).update(methods=["材料审核"], lead_unit=world["police"])
    for standard in Standard.objects.filter(system=system, position__gte=100):
        sent(world, standard, then="accept")


def test_the_copy_with_material_costs_the_same_queries_for_3_standards_or_43(world):
    def copy():
        system = AssessmentSystem.objects.get(campaign=world["campaign"], is_current=True)
        return _queries(lambda: editing.copy_system(system=system, by=world["clerk"], at=timezone.now()))

    first, second, _ = world["standards"]
    world["standards"][0].co_units.add(world["city"])
    sent(world, first, then="accept")
    sent(world, second, then="return")
    # The 18 of a copy without material (its read included), then 6: the materials
    # and their history written, the files and the events each read and written.
    assert copy() == 24
    _grow_material(world, 40)
    assert copy() == 24
    current = AssessmentSystem.objects.get(campaign=world["campaign"], is_current=True)
    assert StandardMaterial.objects.filter(standard__system=current).count() == 42
    assert MaterialFile.objects.filter(material__standard__system=current).count() == 42
    assert MaterialEvent.objects.filter(material__standard__system=current).count() == 84
    assert material.accepted_rate(world["campaign"]) == {world["police"].pk: (41, 42)}
