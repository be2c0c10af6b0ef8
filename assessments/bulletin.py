"""The draft of a mock assessment's bulletin (关于××模拟测评情况的通报), a
GB/T 9704 document (core.official) written from what the assessment found:
when, which sites, who observed, the 得分率 and the weakest items and units,
then each responsible unit's 问题清单 with its rectification deadline once
the assessment is closed. The office edits the .docx before it is issued."""

from django.utils import timezone

from core.dates import date_text
from core.numerals import chinese_numeral
from core.official import Heading, OfficialDocument, Paragraph, Table, render_docx

from .outcome import outcome


def _percent(rate):
    return "—" if rate.rate is None else f"{rate.rate}%"


def _listed(rows):
    return "、".join(f"{row.name}（{_percent(row.rate)}）" for row in rows)


def _sentence(text):
    return text.strip().rstrip("。；;，,. ") + "。"


def title_of(assessment):
    name = assessment.name if "模拟测评" in assessment.name else f"{assessment.name}模拟测评"
    return f"关于{name}情况的通报"


def _situation(found):
    assessment, overall = found.assessment, found.results.overall
    types = "、".join(f"{name}{count}个" for name, count in found.site_type_counts)
    observers = found.observers
    who = f"由{'、'.join(observers)}{len(observers)}名测评员" if observers else "由测评员"
    weighted = "（按分值计算）" if assessment.system.weighted else ""
    return [
        Paragraph(
            f"{date_text(assessment.held_on)}，{assessment.campaign.leading_group_office}组织开展了{assessment.name}。"
            f"本次测评对照{assessment.system}，抽取{types}，共{len(found.sampled)}个点位，涉及{found.unit_count}个责任单位，"
            f"{who}实地测评。"
        ),
        Paragraph(
            f"共测评{overall.made}项次，达标{overall.met}项次，不达标{overall.failed}项次，总得分率{_percent(overall)}{weighted}。"
        ),
    ]


def _results(found):
    blocks = []
    items, units = found.weakest(found.by_item), found.weakest(found.by_unit)
    if items:
        blocks.append(Paragraph(f"从测评项目看，得分率低于总得分率的有：{_listed(items)}。"))
    if units:
        blocks.append(Paragraph(f"从责任单位看，得分率低于总得分率的有：{_listed(units)}。"))
    if not items and not units:
        blocks.append(Paragraph("各测评项目、各责任单位得分率均不低于总得分率。"))
    blocks.append(
        Table(
            header=["责任单位", "测评项次", "不达标", "得分率"],
            rows=[
                [row.name, row.rate.made, row.rate.failed, _percent(row.rate)]
                for row in sorted(found.by_unit, key=lambda row: (row.rate.rate is None, -(row.rate.rate or 0), row.name))
            ],
        )
    )
    return blocks


def _problems(found):
    grouped = found.problems_by_unit()
    if not grouped:
        return [Paragraph("本次测评各点位均达标，未发现问题。")]
    blocks = []
    for number, (unit, problems) in enumerate(grouped, 1):
        blocks.append(Heading(f"（{chinese_numeral(number)}）{unit}（不达标{len(problems)}处）", level=2))
        deadlines = {p.deadline for p in problems}
        one_deadline = len(deadlines) == 1
        for index, problem in enumerate(problems, 1):
            due = "" if one_deadline or problem.deadline is None else f"整改期限：{date_text(problem.deadline)}。"
            blocks.append(
                Paragraph(f"{index}.{problem.site}（{problem.site_type}）：{_sentence(problem.standard)}存在问题：{_sentence(problem.note)}{due}")
            )
        if one_deadline and None not in deadlines:
            blocks.append(Paragraph(f"以上问题已列入整改台账，请于{date_text(problems[0].deadline)}前整改到位，并在平台上传整改情况。"))
    return blocks


def _requirements(found):
    deadlines = sorted({p.deadline for p in found.problems if p.deadline})
    if found.assessment.status == found.assessment.Status.CLOSED:
        if not found.problems:
            return [Paragraph("各责任单位要保持现有成效，巩固测评成果。")]
        last = f"，最迟于{date_text(deadlines[-1])}前" if deadlines else ""
        return [
            Paragraph(
                f"各责任单位要对照问题清单逐条整改{last}完成，整改情况在平台上报；领导小组办公室将逐项核验销号，"
                "对逾期未整改的予以督办。"
            )
        ]
    return [Paragraph("本次模拟测评尚未结束，以上为截至目前的测评情况，结束后问题将列入整改台账。")]


def bulletin_document(assessment, *, at=None):
    """The bulletin as a core.official document (`assessment` with its campaign's
    office and issuing units and its system loaded); 3 queries."""
    found = outcome(assessment)
    blocks = [
        Paragraph(f"为检验{assessment.campaign.work_name}工作成效，查找薄弱环节，现将{assessment.name}情况通报如下。"),
        Heading("一、基本情况"),
        *_situation(found),
        Heading("二、测评结果"),
        *_results(found),
        Heading("三、存在的问题"),
        *_problems(found),
        Heading("四、整改要求"),
        *_requirements(found),
    ]
    return OfficialDocument(
        title=title_of(assessment),
        recipients="各责任单位：",
        issuer=assessment.campaign.leading_group_office,
        issued_on=timezone.localdate(at),
        blocks=blocks,
    )


def render(assessment, *, at=None):
    return render_docx(bulletin_document(assessment, at=at))
