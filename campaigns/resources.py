"""Units from a spreadsheet (django-import-export), and what the unit and the
people imports share: reading .xlsx/.csv, checking a whole sheet before any
row is written, the admin pages' plumbing.

A sheet is checked as a whole in `before_import` (every bad row named with its
line and a reason); rows are then written in bulk, so an import of a city's
hundreds of units costs a handful of queries, not several per row.
"""

import io
import logging
from collections import defaultdict
from urllib.parse import quote

import openpyxl
import tablib
from django import forms
from django.contrib import messages
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from import_export import fields, resources, widgets
from import_export.admin import ImportMixin
from import_export.formats import base_formats
from import_export.forms import ImportForm
from import_export.instance_loaders import CachedInstanceLoader
from import_export.results import RowResult
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.errors import Refused

from .models import Unit

logger = logging.getLogger(__name__)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A city has hundreds of units and people; a sheet far larger than that is a
# mistake (a wrong file), and is refused before it is parsed.
MAX_SHEET_BYTES = 5 * 1024 * 1024
MAX_SHEET_ROWS = 5000


class SheetError(Refused):
    """The sheet as a whole cannot be imported (a missing column, too many rows)."""


def cell_text(value):
    """A cell as the clerk sees it: Excel gives a phone number or an order as
    a number (13800138000.0), a CSV gives text with stray spaces."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def workbook_bytes(title, header, rows):
    """An .xlsx of one sheet. Text stays text: a name such as "=HYPERLINK(...)"
    taken from an imported sheet is never written as a formula."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in [header, *rows]:
        sheet.append(list(row))
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.data_type == "f":
                cell.data_type = "s"
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = 22
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Formats: a CSV saved by Excel on a Chinese Windows is GB18030 (GBK), one
# saved elsewhere UTF-8 with or without BOM; both are read.


class SheetCSV(base_formats.CSV):
    def get_title(self):
        return "csv"

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            for encoding in ("utf-8-sig", "gb18030"):
                try:
                    in_stream = in_stream.decode(encoding)
                    break
                except UnicodeDecodeError:
                    continue
            else:
                raise ValueError("undecodable CSV")
        if "\x00" in in_stream:
            raise ValueError("binary data in CSV")
        return tablib.import_set(in_stream, format="csv")


class SheetXLSX(base_formats.XLSX):
    def get_title(self):
        return "xlsx"


SHEET_FORMATS = [SheetXLSX, SheetCSV]
FORMAT_BY_EXTENSION = {".xlsx": 0, ".csv": 1}


class SheetImportForm(ImportForm):
    """Upload of a sheet: the format follows from the file's name, and a file
    that is not a readable sheet, or holds no rows, is refused here with a
    message, before anything is imported."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.formats = formats
        self.fields["import_file"].label = "选择文件"
        self.fields["import_file"].help_text = "Excel（.xlsx）或 CSV 文件，第一行为表头，请使用上方的导入模板。"
        self.fields["import_file"].error_messages.update(
            {"required": "请选择要导入的文件。", "empty": "文件是空的，请检查后重新选择。"}
        )
        self.fields["format"].required = False
        self.fields["format"].widget = forms.HiddenInput()

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("import_file")
        if upload is None:
            return cleaned
        name = upload.name.lower()
        extension = name[name.rfind(".") :] if "." in name else ""
        if extension == ".xls":
            raise ValidationError({"import_file": "不支持旧版 Excel（.xls）文件，请在 Excel 中“另存为” .xlsx 格式后再导入。"})
        if extension not in FORMAT_BY_EXTENSION:
            raise ValidationError({"import_file": "只能导入 Excel（.xlsx）或 CSV（.csv）文件。"})
        if upload.size > MAX_SHEET_BYTES:
            raise ValidationError({"import_file": f"文件超过 {MAX_SHEET_BYTES // 1024 // 1024} MB，请分成几个表格分别导入。"})
        index = FORMAT_BY_EXTENSION[extension]
        data = b"".join(upload.chunks())
        upload.seek(0)
        try:
            dataset = self.formats[index]().create_dataset(data)
        except Exception:
            raise ValidationError(
                {"import_file": "无法读取该文件：它不是有效的 Excel（.xlsx）或 CSV 表格。请使用导入模板填写后再试。"}
            ) from None
        if not any(any(cell_text(value) for value in row) for row in dataset):
            raise ValidationError({"import_file": "表格中没有数据行：请在表头下方逐行填写后再导入。"})
        cleaned["format"] = str(index)
        return cleaned


class SheetResource(resources.ModelResource):
    """A resource whose sheet is checked as a whole before any row is written.

    Subclasses name their columns (`COLUMNS`, `REQUIRED`) and implement
    `check_rows(records)` ({line: {column: cell}}), returning {line: {column: [reasons]}}; lines are the
    row numbers the clerk sees in Excel (the header is line 1).
    """

    COLUMNS = ()
    REQUIRED = ()
    EXAMPLE = ()

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.row_errors = {}
        self.blank_rows = set()
        self.user = None

    @classmethod
    def template_workbook(cls):
        """The import template: the headers and one example row, as .xlsx bytes."""
        return workbook_bytes(cls._meta.name, cls.COLUMNS, [cls.EXAMPLE])

    def before_import(self, dataset, **kwargs):
        self.user = kwargs.get("user")
        headers = [cell_text(header) for header in (dataset.headers or [])]
        rows = [[cell_text(value) for value in row] for row in dataset]
        dataset.wipe()
        dataset.headers = headers
        missing = [column for column in self.REQUIRED if column not in headers]
        if missing:
            raise SheetError(
                "表头缺少“{}”列。第一行应为：{}。请使用导入模板。".format("”“".join(missing), "、".join(self.COLUMNS))
            )
        if len(rows) > MAX_SHEET_ROWS:
            raise SheetError(f"一次最多导入 {MAX_SHEET_ROWS} 行，本表有 {len(rows)} 行，请分成几个表格分别导入。")
        records = {}
        for number, row in enumerate(rows, 1):
            record = dict(zip(headers, row))
            if any(record.values()):
                records[number + 1] = record
            else:
                self.blank_rows.add(number)
        if not records:
            raise SheetError("表格中没有数据行：请在表头下方逐行填写后再导入。")
        self.normalize_records(records)
        for line, record in records.items():
            rows[line - 2] = [record.get(header, "") for header in headers]
        errors = self.check_rows(records)
        # Rows are numbered by import-export from 1 for the first data row.
        self.row_errors = {line - 1: problems for line, problems in errors.items() if problems}
        if not self.row_errors:
            # Nothing to point at by line any more: the rows may be reordered, blank ones dropped.
            self.blank_rows = set()
            rows = self.order_rows(rows, records)
        for row in rows:
            dataset.append(row)

    def order_rows(self, rows, records):
        """The non-blank rows of a valid sheet, in the order they are written."""
        return [rows[line - 2] for line in sorted(records)]

    def normalize_records(self, records):
        """Rewrite cells to the form the checks and the import expect (in place)."""

    def check_rows(self, records):
        raise NotImplementedError

    def history_user(self):
        return self.user if getattr(self.user, "is_authenticated", False) else None

    def handle_import_error(self, result, error, raise_errors=False):
        if not isinstance(error, SheetError):
            # A database refusal: the clerk gets a sentence, the log keeps the detail.
            logger.warning("sheet import failed: %r", error)
            error = SheetError("写入数据库时出错，已全部撤销，没有写入任何数据。请重新上传；如反复出现，请联系系统管理员。")
        super().handle_import_error(result, error, raise_errors)

    def import_row(self, row, instance_loader, **kwargs):
        number = kwargs["row_number"]
        # A sheet with a bad row is not written at all: only its bad rows are shown.
        if number in self.blank_rows or (self.row_errors and number not in self.row_errors):
            result = self.get_row_result_class()()
            result.import_type = RowResult.IMPORT_TYPE_SKIP
            return result
        return super().import_row(row, instance_loader, **kwargs)

    def before_import_row(self, row, **kwargs):
        problems = self.row_errors.get(kwargs["row_number"])
        if problems:
            raise ValidationError(problems)


class UnitResource(SheetResource):
    NAME, SHORT_NAME, PARENT, SORT_ORDER = "单位名称", "简称", "上级单位", "排序"
    COLUMNS = (NAME, SHORT_NAME, PARENT, SORT_ORDER)
    REQUIRED = (NAME,)
    EXAMPLE = ("区卫生监督所", "监督所", "区卫计委", "10")

    name = fields.Field(attribute="name", column_name=NAME)
    short_name = fields.Field(attribute="short_name", column_name=SHORT_NAME)
    parent = fields.Field(attribute="parent", column_name=PARENT, widget=widgets.ForeignKeyWidget(Unit, "name"))
    sort_order = fields.Field(
        attribute="sort_order", column_name=SORT_ORDER, widget=widgets.IntegerWidget(coerce_to_string=False)
    )

    class Meta:
        model = Unit
        name = "责任单位"
        fields = ("name", "short_name", "parent", "sort_order")
        import_id_fields = ("name",)
        instance_loader_class = CachedInstanceLoader
        use_bulk = True
        # Rows are written once, after the whole sheet (bulk_create below),
        # so that a parent is created before the units under it.
        batch_size = MAX_SHEET_ROWS + 1
        skip_unchanged = True
        report_skipped = True

    def get_queryset(self):
        return Unit.objects.select_related("parent")

    def normalize_records(self, records):
        # Clerks write parents as offices speak of them, by short name (区卫计委):
        # a short name that stands for exactly one unit means that unit.
        self.existing = list(Unit.objects.values_list("name", "short_name", "parent__name"))
        full_names = {name for name, _, _ in self.existing} | {record.get(self.NAME) for record in records.values()}
        by_short = defaultdict(set)
        for name, short, _ in self.existing:
            if short:
                by_short[short].add(name)
        for record in records.values():
            if record.get(self.SHORT_NAME) and record.get(self.NAME):
                by_short[record[self.SHORT_NAME]].add(record[self.NAME])
        self.ambiguous_short_names = {short: names for short, names in by_short.items() if len(names) > 1}
        for record in records.values():
            parent = record.get(self.PARENT)
            if parent and parent not in full_names and len(by_short.get(parent, ())) == 1:
                record[self.PARENT] = next(iter(by_short[parent]))

    def check_rows(self, records):
        errors = defaultdict(lambda: defaultdict(list))
        max_name = Unit._meta.get_field("name").max_length
        max_short = Unit._meta.get_field("short_name").max_length
        lines_of = defaultdict(list)
        for line, record in records.items():
            if record.get(self.NAME):
                lines_of[record[self.NAME]].append(line)
        # The tree as it will be: the units in the database, moved by the sheet.
        parent_of = {name: parent for name, _, parent in self.existing}
        known = set(parent_of) | set(lines_of)
        for line, record in records.items():
            name, parent = record.get(self.NAME, ""), record.get(self.PARENT, "")
            if not name:
                errors[line][self.NAME].append("单位名称不能为空。")
            elif len(name) > max_name:
                errors[line][self.NAME].append(f"单位名称不能超过 {max_name} 个字（现有 {len(name)} 个字）。")
            elif len(lines_of[name]) > 1:
                others = "、".join(f"第 {other} 行" for other in lines_of[name] if other != line)
                errors[line][self.NAME].append(f"单位“{name}”在表中重复出现（另见{others}），每个单位只能占一行。")
            if len(record.get(self.SHORT_NAME, "")) > max_short:
                errors[line][self.SHORT_NAME].append(f"简称不能超过 {max_short} 个字。")
            if parent and parent == name:
                errors[line][self.PARENT].append("上级单位不能是本单位。")
            elif parent and parent not in known and parent in getattr(self, "ambiguous_short_names", {}):
                names = "、".join(sorted(self.ambiguous_short_names[parent]))
                errors[line][self.PARENT].append(f"简称“{parent}”对应多个单位（{names}），请填写上级单位的全称。")
            elif parent and parent not in known:
                errors[line][self.PARENT].append(
                    f"上级单位“{parent}”在系统和本表中都不存在：请检查名称，或在表中增加一行该单位。"
                )
            sort_order = record.get(self.SORT_ORDER, "")
            if sort_order and not sort_order.isdigit():
                errors[line][self.SORT_ORDER].append("排序须填写不小于 0 的整数。")
            if name and parent:
                parent_of[name] = parent
        for line, record in records.items():
            name = record.get(self.NAME, "")
            if name and record.get(self.PARENT) and not errors[line][self.PARENT]:
                chain = self.ancestors(name, parent_of)
                if chain and chain[-1] == name:
                    errors[line][self.PARENT].append("上级单位形成循环：{}。".format(" → ".join([name, *chain])))
        return {line: {column: reasons for column, reasons in problems.items() if reasons} for line, problems in errors.items()}

    @staticmethod
    def ancestors(name, parent_of):
        """The chain of parents above `name`, stopping where it comes back to a unit already seen."""
        chain, seen = [], {name}
        current = parent_of.get(name)
        while current:
            chain.append(current)
            if current in seen:
                break
            seen.add(current)
            current = parent_of.get(current)
        return chain

    def order_rows(self, rows, records):
        # Parents first, each in the sheet's order: a child may stand above its parent in the sheet.
        names_in_sheet = {record[self.NAME] for record in records.values()}
        placed, ordered, pending = set(), [], [(line, rows[line - 2]) for line in sorted(records)]
        while pending:
            waiting = []
            for line, row in pending:
                parent = records[line].get(self.PARENT, "")
                if parent in names_in_sheet and parent not in placed:
                    waiting.append((line, row))
                else:
                    placed.add(records[line][self.NAME])
                    ordered.append(row)
            pending = waiting
        return ordered

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        parent_names = {cell_text(value) for value in dataset[self.PARENT]} - {""} if self.PARENT in dataset.headers else set()
        self.units_by_name = {unit.name: unit for unit in Unit.objects.filter(name__in=parent_names)}

    def after_init_instance(self, instance, new, row, **kwargs):
        # New units are parents of later rows before they have an id.
        self.units_by_name[row[self.NAME]] = instance

    def import_instance(self, instance, row, **kwargs):
        # An empty cell keeps what the unit already has: a sheet of names and
        # parents does not erase the short names typed in the admin.
        new = instance.pk is None
        instance.name = row[self.NAME]
        if row.get(self.SHORT_NAME) or new:
            instance.short_name = row.get(self.SHORT_NAME, "")
        if row.get(self.PARENT):
            instance.parent = self.units_by_name[row[self.PARENT]]
        if row.get(self.SORT_ORDER):
            instance.sort_order = int(row[self.SORT_ORDER])

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if not self.create_instances or not (using_transactions or not dry_run):
            return
        try:
            # Level by level: a unit's parent has its id before the unit is written.
            created = {id(unit) for unit in self.create_instances}
            level_of = {}
            for unit in self.create_instances:
                parent = unit.parent
                level_of[id(unit)] = level_of[id(parent)] + 1 if parent is not None and id(parent) in created else 0
            for level in sorted(set(level_of.values())):
                batch = [unit for unit in self.create_instances if level_of[id(unit)] == level]
                bulk_create_with_history(batch, Unit, default_user=self.history_user())
        except Exception as error:
            self.handle_import_error(result, error, raise_errors)
        finally:
            self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if not self.update_instances or not (using_transactions or not dry_run):
            return
        try:
            bulk_update_with_history(
                self.update_instances, Unit, ["short_name", "parent", "sort_order"], default_user=self.history_user()
            )
        except Exception as error:
            self.handle_import_error(result, error, raise_errors)
        finally:
            self.update_instances.clear()


# Admin plumbing shared by the units and the people imports.


class SheetImportAdminMixin(ImportMixin):
    """Import from a sheet in the admin: upload, preview (nothing written yet),
    confirm. Everything or nothing is written: a sheet with one bad row, or a
    database refusal while writing, leaves the database as it was."""

    import_template_name = "admin/sheet_import/import.html"
    import_export_change_list_template = "admin/sheet_import/change_list.html"
    import_form_class = SheetImportForm
    import_error_display = ("message",)
    # The uploaded sheet waits between preview and confirmation in Django's
    # storage (MEDIA_ROOT or its replacement), not on one host's /tmp.
    tmp_storage_class = "import_export.tmp_storages.MediaStorage"
    # Whether the changelist offers the rows as a sheet in the import's columns.
    sheet_export = False
    sheet_help = ""

    @property
    def import_formats(self):
        return SHEET_FORMATS

    def has_import_permission(self, request):
        # An import adds and changes rows: it needs both rights.
        return self.has_add_permission(request) and self.has_change_permission(request)

    def get_urls(self):
        info = self.get_model_info()
        return [
            path(
                "import-template/",
                self.admin_site.admin_view(self.import_template_view),
                name="%s_%s_import_template" % info,
            ),
            *(
                [path("export-sheet/", self.admin_site.admin_view(self.export_sheet_view), name="%s_%s_export_sheet" % info)]
                if self.sheet_export
                else []
            ),
            *super().get_urls(),
        ]

    def import_template_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        resource_class = self.get_import_resource_classes(request)[0]
        response = HttpResponse(resource_class.template_workbook(), content_type=XLSX_CONTENT_TYPE)
        filename = f"{resource_class._meta.name}导入模板.xlsx"
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
        return response

    def export_sheet_view(self, request):
        # The same columns as the import: export, edit in Excel, import back.
        if not self.has_view_permission(request):
            raise PermissionDenied
        resource = self.get_import_resource_classes(request)[0]()
        dataset = resource.export(queryset=resource.get_queryset())
        response = HttpResponse(workbook_bytes(resource._meta.name, dataset.headers, dataset), content_type=XLSX_CONTENT_TYPE)
        filename = f"{resource._meta.name}.xlsx"
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
        return response

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "has_sheet_export": self.sheet_export}
        return super().changelist_view(request, extra_context)

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs.pop("request", None)
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def add_data_read_fail_error_to_form(self, form, e):
        form.add_error("import_file", "无法读取该文件：它不是有效的 Excel（.xlsx）或 CSV 表格。")

    def get_import_context_data(self, **kwargs):
        context = super().get_import_context_data(**kwargs)
        context.update(self.sheet_context())
        return context

    def sheet_context(self):
        resource_class = self.get_import_resource_classes(None)[0]
        return {
            "sheet_columns": resource_class.COLUMNS,
            "sheet_required": resource_class.REQUIRED,
            "sheet_help": getattr(self, "sheet_help", ""),
        }

    def write_to_tmp_storage(self, import_file, input_format):
        tmp_storage = super().write_to_tmp_storage(import_file, input_format)
        import_file.sheet_tmp_storage = tmp_storage
        return tmp_storage

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        form = context.get("form")
        upload = form.cleaned_data.get("import_file") if form is not None and hasattr(form, "cleaned_data") else None
        if hasattr(upload, "sheet_tmp_storage") and not context.get("confirm_form"):
            # Nothing to confirm: the stored copy of the sheet (names, phone numbers) goes at once.
            upload.sheet_tmp_storage.remove()
        return response

    def _create_log_entry(self, user_pk, rows, import_type, action_flag):
        # The object's 历史 page shows this message.
        if rows:
            message = {RowResult.IMPORT_TYPE_NEW: "通过表格导入新增", RowResult.IMPORT_TYPE_UPDATE: "通过表格导入修改"}
            LogEntry.objects.log_actions(
                user_pk, rows, action_flag, change_message=message.get(import_type, "通过表格导入"), single_object=len(rows) == 1
            )

    def process_import(self, request, **kwargs):
        response = super().process_import(request, **kwargs)
        if getattr(response, "context_data", None) is not None and "confirm_form" in response.context_data:
            response.context_data.update(self.sheet_context())
            response.context_data["title"] = "导入"
        return response

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # The whole import was rolled back (IMPORT_EXPORT_USE_TRANSACTIONS).
            reasons = [str(error.error) for error in result.base_errors]
            reasons += [
                f"第 {row.number + 1} 行：" + "；".join(message for messages_ in row.error_dict.values() for message in messages_)
                for row in result.invalid_rows
            ]
            messages.error(request, "导入没有完成，没有写入任何数据。" + " ".join(reasons[:5]))
            return HttpResponseRedirect(reverse("admin:%s_%s_import" % self.get_model_info()))
        self.generate_log_entries(result, request)
        totals = result.totals
        messages.success(
            request,
            "导入完成：新增 {} 条，修改 {} 条，无变化 {} 条。".format(
                totals[RowResult.IMPORT_TYPE_NEW], totals[RowResult.IMPORT_TYPE_UPDATE], totals[RowResult.IMPORT_TYPE_SKIP]
            ),
        )
        return HttpResponseRedirect(reverse("admin:%s_%s_changelist" % self.get_model_info()))
