"""What changed between two submitted versions of a report, so that the
office reviewing a resubmission reads only what the unit fixed.

Pure functions returning plain data; templates render it and escape the
unit's text. Text is compared character by character: Chinese has no spaces
between words, so a word-level diff would mark whole sentences as changed.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher

from .models import TaskProgress

EQUAL, DELETE, INSERT = "equal", "delete", "insert"

# Text fields a unit writes, in the order the report page shows them.
TEXT_FIELDS = [("work_done", "开展情况"), ("problems", "存在问题"), ("next_steps", "下步打算")]

# A single unchanged character between two changes (often "的" or "，") is
# folded into them: "<del>甲的乙</del><ins>丙的丁</ins>" reads better than
# four fragments around a lone "的".
MIN_EQUAL_RUN = 2


@dataclass(frozen=True)
class Segment:
    kind: str  # EQUAL, DELETE or INSERT
    text: str


@dataclass(frozen=True)
class TextChange:
    name: str
    label: str
    segments: list

    @property
    def changed(self):
        return any(s.kind != EQUAL for s in self.segments)


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str
    segments: list = field(default_factory=list)  # for free text, a character diff


@dataclass(frozen=True)
class RowChange:
    """A task's progress or an indicator's value: added, removed or changed."""

    ADDED, REMOVED, CHANGED = "added", "removed", "changed"

    kind: str
    title: str
    changes: list  # FieldChange


@dataclass(frozen=True)
class VersionDiff:
    texts: list  # TextChange, every text field
    tasks: list  # RowChange
    indicators: list  # RowChange
    attachments_added: list
    attachments_removed: list

    @property
    def changed_texts(self):
        return [t for t in self.texts if t.changed]

    @property
    def has_changes(self):
        return bool(
            self.changed_texts or self.tasks or self.indicators or self.attachments_added or self.attachments_removed
        )


def diff_text(old, new):
    """Segments that turn `old` into `new`: unchanged, deleted and inserted
    runs, deletions before insertions where text was replaced."""
    old, new = old or "", new or ""
    segments = []
    # Lines first, then characters within the lines that differ: unchanged
    # paragraphs stay whole, and long texts stay fast to compare.
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes():
        before, after = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        if tag == "equal":
            segments.append(Segment(EQUAL, before))
        else:
            segments.extend(_diff_chars(before, after))
    return _merge(_fold_short_equal_runs(_merge(segments)))


def _diff_chars(old, new):
    # autojunk off: with it, characters frequent in Chinese prose ("的",
    # "，") would be treated as noise in texts over 200 characters.
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            yield Segment(EQUAL, old[i1:i2])
            continue
        if i2 > i1:
            yield Segment(DELETE, old[i1:i2])
        if j2 > j1:
            yield Segment(INSERT, new[j1:j2])


def _merge(segments):
    """Join neighbours of one kind, keeping deletions before insertions
    inside each changed stretch, and drop empty segments."""
    merged = []
    stretch = {DELETE: "", INSERT: ""}

    def flush():
        for kind in (DELETE, INSERT):
            if stretch[kind]:
                merged.append(Segment(kind, stretch[kind]))
                stretch[kind] = ""

    for segment in segments:
        if not segment.text:
            continue
        if segment.kind == EQUAL:
            flush()
            if merged and merged[-1].kind == EQUAL:
                merged[-1] = Segment(EQUAL, merged[-1].text + segment.text)
            else:
                merged.append(segment)
        else:
            stretch[segment.kind] += segment.text
    flush()
    return merged


def _fold_short_equal_runs(segments):
    folded = []
    for index, segment in enumerate(segments):
        between_changes = 0 < index < len(segments) - 1 and all(
            s.kind != EQUAL for s in (segments[index - 1], segments[index + 1])
        )
        if segment.kind == EQUAL and between_changes and len(segment.text) < MIN_EQUAL_RUN and segment.text != "\n":
            folded += [Segment(DELETE, segment.text), Segment(INSERT, segment.text)]
        else:
            folded.append(segment)
    return folded


def _status_label(value):
    try:
        return TaskProgress.Status(value).label
    except ValueError:
        return value or ""


def _task_title(row):
    return f"{row.get('code') or ''} {row.get('title') or ''}".strip()


def diff_task_progress(old_rows, new_rows):
    """Compare two versions' task progress snapshots, by task."""
    old_by_task = {row["task"]: row for row in old_rows}
    new_by_task = {row["task"]: row for row in new_rows}
    changes = []
    for task_id in list(new_by_task) + [t for t in old_by_task if t not in new_by_task]:
        old, new = old_by_task.get(task_id), new_by_task.get(task_id)
        if old is None or new is None:
            row = new or old
            kind = RowChange.ADDED if old is None else RowChange.REMOVED
            changes.append(
                RowChange(
                    kind,
                    _task_title(row),
                    [
                        FieldChange(
                            "进展",
                            "" if old is None else _progress_summary(old),
                            "" if new is None else _progress_summary(new),
                        )
                    ],
                )
            )
            continue
        fields = []
        if old.get("status") != new.get("status"):
            fields.append(FieldChange("进展状态", _status_label(old.get("status")), _status_label(new.get("status"))))
        if old.get("percent") != new.get("percent"):
            fields.append(FieldChange("完成进度", f"{old.get('percent', 0)}%", f"{new.get('percent', 0)}%"))
        if (old.get("note") or "") != (new.get("note") or ""):
            old_note, new_note = old.get("note") or "", new.get("note") or ""
            fields.append(FieldChange("进展说明", old_note, new_note, diff_text(old_note, new_note)))
        if fields:
            changes.append(RowChange(RowChange.CHANGED, _task_title(new), fields))
    return changes


def _progress_summary(row):
    return f"{_status_label(row.get('status'))} {row.get('percent', 0)}%"


def _number(text):
    try:
        return Decimal(text)
    except (InvalidOperation, TypeError):
        return None


def _value_display(row):
    value = _number(row.get("value"))
    text = row.get("value") if value is None else f"{value.normalize():f}"
    unit = row.get("measure_unit") or ""
    return f"{text} {unit}".strip()


def diff_indicator_values(old_rows, new_rows):
    """Compare two versions' figures, by indicator; "3" and "3.00" are equal."""
    old_by_indicator = {row["indicator"]: row for row in old_rows}
    new_by_indicator = {row["indicator"]: row for row in new_rows}
    changes = []
    for indicator_id in list(new_by_indicator) + [i for i in old_by_indicator if i not in new_by_indicator]:
        old, new = old_by_indicator.get(indicator_id), new_by_indicator.get(indicator_id)
        if old is not None and new is not None and _number(old.get("value")) == _number(new.get("value")):
            continue
        kind = RowChange.ADDED if old is None else RowChange.REMOVED if new is None else RowChange.CHANGED
        before = "" if old is None else _value_display(old)
        after = "" if new is None else _value_display(new)
        changes.append(RowChange(kind, (new or old).get("name", ""), [FieldChange("数值", before, after)]))
    return changes


def diff_attachments(old_attachments, new_attachments):
    """(added, removed): attachments in one version and not the other, by id."""
    old_ids = {a.pk for a in old_attachments}
    new_ids = {a.pk for a in new_attachments}
    added = [a for a in new_attachments if a.pk not in old_ids]
    removed = [a for a in old_attachments if a.pk not in new_ids]
    return added, removed


def compare_versions(old, new):
    """What the unit changed between version `old` and version `new`."""
    added, removed = diff_attachments(list(old.attachments.all()), list(new.attachments.all()))
    return VersionDiff(
        texts=[
            TextChange(name, label, diff_text(getattr(old, name), getattr(new, name))) for name, label in TEXT_FIELDS
        ],
        tasks=diff_task_progress(old.task_progress, new.task_progress),
        indicators=diff_indicator_values(old.indicator_values, new.indicator_values),
        attachments_added=added,
        attachments_removed=removed,
    )
