"""Writing drafts: the first version, every later one, restoring and
regenerating. Versions are only ever added, each with the next number,
taken under a lock on the draft's row so that two clerks saving at once
get 2 and 3 instead of a clash."""

from django.db import IntegrityError, transaction
from django.db.models import Max

from core.errors import Refused
from core.official import to_data

from .drafting import build_document
from .kinds import Kind
from .models import Draft, DraftVersion

FIRST_DRAFT = "生成初稿"
EDITED = "编辑"
REGENERATED = "按最新数据重新生成"


class DraftRefused(Refused):
    pass


def draft_document(draft, *, at):
    """The document drafted afresh from the campaign's data."""
    try:
        return build_document(draft.kind, campaign=draft.campaign, year=draft.year, phase=draft.phase, at=at)
    except ValueError:
        # The builders of a kind arrive one at a time (documents.drafting).
        raise DraftRefused(f"暂不能自动生成{Kind(draft.kind).label}的初稿，请稍后再试或联系系统管理员。") from None


def add_version(*, draft, data, note, by, at):
    """The draft's next version, holding `data` (core.official.to_data)."""
    with transaction.atomic():
        Draft.objects.select_for_update().filter(pk=draft.pk).values_list("pk", flat=True).get()
        last = draft.versions.aggregate(last=Max("number"))["last"] or 0
        return DraftVersion.objects.create(
            draft=draft, number=last + 1, data=data, note=note[:100], created_by=by, created_at=at
        )


def start_draft(*, campaign, kind, year=None, phase=None, by, at):
    """The draft of one scope, with its first version drafted from the data;
    a scope already drafted is returned as it is, with `created` False."""
    existing = Draft.objects.filter(campaign=campaign, kind=kind, year=year, phase=phase).first()
    if existing is not None:
        return existing, False
    draft = Draft(campaign=campaign, kind=kind, year=year, phase=phase, created_by=by)
    document = draft_document(draft, at=at)
    try:
        with transaction.atomic():
            draft.save()
            add_version(draft=draft, data=to_data(document), note=FIRST_DRAFT, by=by, at=at)
    except IntegrityError:
        # Another clerk started it a moment ago: theirs is the draft.
        found = Draft.objects.filter(campaign=campaign, kind=kind, year=year, phase=phase).first()
        if found is None:
            raise
        return found, False
    return draft, True


def save_edit(*, draft, document, note, by, at):
    return add_version(draft=draft, data=to_data(document), note=note or EDITED, by=by, at=at)


def restore(*, draft, version, by, at):
    """A new version with an older one's text."""
    return add_version(draft=draft, data=version.data, note=f"恢复第{version.number}版", by=by, at=at)


# What the office typed into the header and no figure can change: a
# regenerated version keeps them from the latest one.
KEPT_ON_REGENERATION = ("masthead", "number", "title", "recipients", "issuer", "issued_on")


def regenerate(*, draft, by, at):
    """A new version drafted afresh from the latest accepted figures; the
    clerks' edits of the body stay in the older versions."""
    data = to_data(draft_document(draft, at=at))
    with transaction.atomic():
        # Read under the draft's lock, so a save landing meanwhile is the one kept from.
        Draft.objects.select_for_update().filter(pk=draft.pk).values_list("pk", flat=True).get()
        latest = draft.versions.order_by("-number").first()
        if latest is not None:
            data.update({key: latest.data[key] for key in KEPT_ON_REGENERATION if latest.data.get(key)})
        return add_version(draft=draft, data=data, note=REGENERATED, by=by, at=at)
