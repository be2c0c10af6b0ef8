"""复查: the office verifies a rectification item a mock assessment's 不达标
opened by looking at the site again, in one step.

- 复查达标: a `Recheck` (达标, by the verifier, now) of the original
  observation, and the item verified (销号) through supervision's own step.
- 复查仍不达标: a `Recheck` with what is still wrong, and the item returned
  with that note, for the unit to rectify again.

Both in one transaction: the item's move is refused (already verified by a
colleague, not awaiting verification), and nothing is recorded. The original
observation and its assessment's 得分率 stay as they were (see `Recheck`)."""

from django.db import transaction

from supervision import services as supervision
from supervision.models import RectificationItem

from .models import Recheck
from .services import AssessmentError

MET_COMMENT = "现场复查达标。"


def item_of(observation):
    """The rectification item the observation's failure opened, or None."""
    if observation.finding_id is None:
        return None
    return RectificationItem.objects.filter(finding_id=observation.finding_id).first()


@transaction.atomic
def recheck(*, observation, met, note="", by, at):
    """Record the re-check of `observation` and verify (met) or return its item."""
    note = (note or "").strip()
    if not met and not note:
        raise AssessmentError("复查仍不达标时，请写明还存在的问题，单位将据此重新整改。")
    item = item_of(observation)
    if item is None:
        raise AssessmentError("这条测评记录没有对应的整改事项，无需复查。")
    try:
        if met:
            supervision.verify(item=item, by=by, at=at, comment=f"{MET_COMMENT}{note}")
        else:
            supervision.reject(item=item, by=by, at=at, reason=f"现场复查仍不达标：{note}")
    except supervision.SupervisionError as error:
        raise AssessmentError(error.message) from error
    return Recheck.objects.create(
        observation=observation,
        result=Recheck.Result.MET if met else Recheck.Result.NOT_MET,
        note=note,
        checked_by=by,
        checked_at=at,
    )
