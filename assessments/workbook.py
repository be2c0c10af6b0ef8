"""A mock assessment's results as an .xlsx, written with the office workbook's
helpers and styles (reports.workbook): 得分率, 测评标准, 问题清单. And the
workbook's own 模拟测评 sheet (added by AssessmentsConfig.ready()): each
closed mock assessment of the range with its overall and per-unit 得分率."""

from collections import defaultdict

from campaigns.models import Unit
from core.dates import date_text
from reports.workbook import WorkbookWriter, as_fraction

from . import scoring
from .models import MockAssessment, Observation, Standard
from .outcome import outcome

MOCK_SHEET = "模拟测评"
RATE_HEADERS = ["测评次数", "达标", "不达标", "得分率"]


class MockWorkbookWriter(WorkbookWriter):
    def __init__(self, *, assessment, at):
        super().__init__(campaign=assessment.campaign, date_from=None, date_to=None, at=at, progress=None)
        self.assessment = assessment

    def heading(self, name):
        return f"《{self.campaign.title}》{self.assessment.name}（{date_text(self.assessment.held_on)}）· {name}"


def _rate_cells(writer, ws, rate):
    return [rate.made, rate.met, rate.failed, writer.styles.cell(ws, as_fraction(rate.rate), "rate")]


def _rate_note(assessment):
    if assessment.system.weighted:
        return "得分率按分值计算：每条测评标准得分 = 分值 × 达标次数 ÷ 测评次数，得分率 = 得分 ÷ 应得分；不适用的不计入。"
    return "得分率 = 达标次数 ÷ 测评次数；不适用的不计入。"


def write_rates(writer, found):
    ws = writer.sheet(
        "得分率", headers=["分类", "名称", *RATE_HEADERS], widths=[12, 36, 10, 10, 10, 10], note=_rate_note(found.assessment)
    )
    cell = writer.styles.cell
    writer.append(ws, [cell(ws, "总体", "bold"), cell(ws, "全部点位", "bold"), *_rate_cells(writer, ws, found.results.overall)])
    for label, rows in (("测评项目", found.by_item), ("责任单位", found.by_unit), ("点位类型", found.by_site_type)):
        for row in rows:
            writer.append(ws, [label, writer.text(ws, row.name), *_rate_cells(writer, ws, row.rate)])


def write_standards(writer, found):
    ws = writer.sheet(
        "测评标准",
        headers=["测评项目", "测评内容", "测评标准", "分值", "测评次数", "达标", "得分率"],
        widths=[18, 20, 50, 8, 10, 8, 10],
        note="每条测评标准在本次抽中点位的测评情况（不适用的不计入）；未测评的标准测评次数为 0。",
    )
    cell = writer.styles.cell
    for standard in found.standards:
        rate = standard.rate or scoring.Rate(0, 0)
        writer.append(
            ws,
            [
                writer.text(ws, standard.content.item.name),
                writer.text(ws, standard.content.name),
                writer.wrapped(ws, standard.text),
                None if standard.score is None else cell(ws, float(standard.score), "decimal"),
                rate.made,
                rate.met,
                cell(ws, as_fraction(rate.rate), "rate"),
            ],
        )


def write_problems(writer, found):
    ws = writer.sheet(
        "问题清单",
        headers=["点位", "点位类型", "责任单位", "测评标准", "问题描述", "测评人", "测评时间", "整改期限", "整改状态"],
        widths=[20, 12, 20, 40, 40, 10, 16, 12, 12],
        note="每一处不达标；测评结束后，每处问题列入整改台账，整改状态随台账更新。",
    )
    cell = writer.styles.cell
    for problem in found.problems:
        writer.append(
            ws,
            [
                writer.text(ws, problem.site),
                writer.text(ws, problem.site_type),
                writer.text(ws, problem.unit),
                writer.wrapped(ws, problem.standard),
                writer.wrapped(ws, problem.note),
                writer.text(ws, problem.observer),
                cell(ws, writer.local(problem.observed_at), "datetime"),
                None if problem.deadline is None else cell(ws, problem.deadline, "date"),
                problem.status or None,
            ],
        )


def build(*, assessment, out, at):
    """Write the assessment's results workbook to `out` (`assessment` with its
    campaign and system loaded); 3 queries."""
    found = outcome(assessment)
    writer = MockWorkbookWriter(assessment=assessment, at=at)
    write_rates(writer, found)
    write_standards(writer, found)
    write_problems(writer, found)
    writer.wb.save(out)
    return writer.rows_written


def write_mock_assessments(writer):
    """The office workbook's 模拟测评 sheet: the campaign's closed mock
    assessments closed within the range (as the evaluation's 模拟测评得分率 counts
    them: an assessment counts once, when its results are final), each overall
    and by unit (at most 4 queries)."""
    ws = writer.sheet(
        MOCK_SHEET,
        headers=["模拟测评", "测评日期", "责任单位", *RATE_HEADERS],
        widths=[24, 12, 26, 10, 10, 10, 10],
        note="所选期间内结束的模拟测评（与综合评定的模拟测评得分率一致）的总得分率和各责任单位得分率；不适用的不计入。",
    )
    assessments = MockAssessment.objects.filter(campaign=writer.campaign, status=MockAssessment.Status.CLOSED)
    if writer.date_from:
        assessments = assessments.filter(closed_at__date__gte=writer.date_from)
    if writer.date_to:
        assessments = assessments.filter(closed_at__date__lte=writer.date_to)
    assessments = list(assessments.select_related("system").order_by("held_on", "pk"))
    if not assessments:
        return
    observed = defaultdict(list)
    for assessment_id, *row in Observation.objects.filter(sampled_site__assessment__in=assessments).values_list(
        "sampled_site__assessment_id", "standard_id", "result", "sampled_site__site__unit_id"
    ):
        standard, result, unit = row
        observed[assessment_id].append(scoring.Observation(standard, result, unit=unit))
    weighted = {a.system_id for a in assessments if a.system.weighted}
    weights = dict(Standard.objects.filter(system__in=weighted).values_list("pk", "score")) if weighted else {}
    units = {pk: short or name for pk, short, name in Unit.objects.filter(
        pk__in={o.unit for rows in observed.values() for o in rows}
    ).values_list("pk", "short_name", "name")}
    cell = writer.styles.cell
    for assessment in assessments:
        found = scoring.results(observed[assessment.pk], weights=weights if assessment.system_id in weighted else None)
        head = [writer.text(ws, assessment.name), cell(ws, assessment.held_on, "date")]
        writer.append(ws, [*head, cell(ws, "全部点位", "bold"), *_rate_cells(writer, ws, found.overall)])
        for unit_id, rate in sorted(found.by_unit.items(), key=lambda pair: units[pair[0]]):
            writer.append(ws, [*head, writer.text(ws, units[unit_id]), *_rate_cells(writer, ws, rate)])
