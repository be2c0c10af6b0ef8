"""The 整改台账 sheet of the office's workbook (reports.workbook), added by
SupervisionConfig.ready(): the workbook knows nothing of supervision."""

from .selectors import ledger_rows

LEDGER_SHEET = "整改台账"


def write_ledger(writer):
    ws = writer.sheet(
        LEDGER_SHEET,
        headers=[
            "单位", "检查日期", "检查方式", "发现问题", "整改要求", "整改期限", "状态",
            "提交整改时间", "销号时间", "按期销号", "逾期未销号",
        ],
        widths=[24, 12, 12, 40, 40, 12, 12, 16, 16, 10, 10],
        note="督导检查发现问题的整改事项（按检查日期列入所选期间）；按期销号：整改报告在整改期限前提交并经核验销号；逾期未销号：截至生成时间已过整改期限仍未销号。",
    )
    cell = writer.styles.cell
    closed = "closed"
    for row in ledger_rows(campaign=writer.campaign, start=writer.date_from, end=writer.date_to):
        is_closed = row["status"] == closed
        writer.append(
            ws,
            [
                writer.text(ws, row["unit_display"]),
                cell(ws, row["inspected_on"], "date"),
                row["inspection_kind"],
                writer.wrapped(ws, row["finding"]),
                writer.wrapped(ws, row["requirement"]),
                cell(ws, row["deadline"], "date"),
                row["status_display"],
                None if row["submitted_at"] is None else cell(ws, writer.local(row["submitted_at"]), "datetime"),
                None if row["closed_at"] is None else cell(ws, writer.local(row["closed_at"]), "datetime"),
                ("是" if row["closed_on_time"] else "否") if is_closed else None,
                "是" if not is_closed and row["due_at"] < writer.at else None,
            ],
        )
