"""Spreadsheets as a clerk uploads them, and the admin's two import steps."""

import csv
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse


def xlsx(rows, name="导入.xlsx"):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def csv_file(rows, name="导入.csv", encoding="utf-8-sig"):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode(encoding))


def upload(client, model_name, sheet):
    """Step 1: upload; the page shows the preview or the errors, nothing is written."""
    return client.post(reverse(f"admin:{model_name}_import"), {"import_file": sheet, "resource": "0"})


def confirm(client, model_name, preview):
    """Step 2: confirm the preview shown by `upload`."""
    form = preview.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    return client.post(reverse(f"admin:{model_name}_process_import"), data)


def import_sheet(client, model_name, sheet):
    preview = upload(client, model_name, sheet)
    assert preview.status_code == 200
    assert preview.context.get("confirm_form") is not None, page_errors(preview)
    return confirm(client, model_name, preview)


def page_errors(response):
    context = response.context
    result = context.get("result")
    form = context.get("form")
    return {
        "form": form.errors if form is not None else None,
        "base": [str(e.error) for e in result.base_errors] if result else None,
        "rows": [(row.number + 1, row.error_dict) for row in result.invalid_rows] if result else None,
    }


def invalid_lines(response):
    """{excel line: [reasons]} shown on the preview page."""
    result = response.context["result"]
    return {
        row.number + 1: [reason for reasons in row.error_dict.values() for reason in reasons]
        for row in result.invalid_rows
    }
