"""Units imported from a spreadsheet in the admin: upload, preview, confirm;
every bad row named with its line, and nothing written unless the whole sheet
is valid."""

import io

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from campaigns.models import Unit
from campaigns.resources import UnitResource
from campaigns.tests.factories import UnitFactory, UserFactory
from campaigns.tests.sheets import confirm, csv_file, import_sheet, invalid_lines, page_errors, upload, xlsx

pytestmark = pytest.mark.django_db

MODEL = "campaigns_unit"
HEADER = ("单位名称", "简称", "上级单位", "排序")


def city(bureaus=10, sections=29):
    """A city's units as a clerk lists them: each bureau's sections first,
    then the bureau itself (a child above its parent), then the next bureau."""
    rows = [HEADER]
    for b in range(1, bureaus + 1):
        for s in range(1, sections + 1):
            rows.append((f"第{b}局第{s}科", f"{b}局{s}科", f"第{b}局", s))
        rows.append((f"第{b}局", f"{b}局", "市政府", b))
    return rows


def sheet_of(rows, kind):
    return xlsx(rows) if kind == "xlsx" else csv_file(rows)


def units():
    return {u.name: (u.short_name, u.parent.name if u.parent else None, u.sort_order) for u in Unit.objects.select_related("parent")}


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_city_of_300_units_is_imported_at_once_parents_after_children(admin_client, kind):
    UnitFactory(name="市政府")
    rows = city()

    response = import_sheet(admin_client, MODEL, sheet_of(rows, kind))

    assert response.status_code == 302
    assert response.url == reverse(f"admin:{MODEL}_changelist")
    found = units()
    assert len(found) == 1 + 300
    for name, short_name, parent, order in rows[1:]:
        assert found[name] == (short_name, parent, order)
    assert found["第7局第29科"] == ("7局29科", "第7局", 29)
    assert found["第10局"] == ("10局", "市政府", 10)
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["导入完成：新增 300 条，修改 0 条，无变化 0 条。"]


def test_the_preview_shows_what_will_be_created_or_changed_and_writes_nothing(admin_client):
    UnitFactory(name="市政府")
    UnitFactory(name="第1局", short_name="一局", sort_order=5)

    preview = upload(admin_client, MODEL, xlsx([HEADER, ("第1局第1科", "", "第1局", 1), ("第1局", "1局", "市政府", "")]))

    assert preview.status_code == 200
    result = preview.context["result"]
    assert [row.import_type for row in result.valid_rows()] == ["update", "new"]  # the parent first
    assert (result.totals["new"], result.totals["update"]) == (1, 1)
    assertContains(preview, "导入预览")
    assertContains(preview, "新增 1 条，修改 1 条，无变化 0 条")
    assertContains(preview, "确认导入")
    assert set(units()) == {"市政府", "第1局"}
    assert units()["第1局"] == ("一局", None, 5)

    confirm(admin_client, MODEL, preview)

    # An empty cell (排序) keeps the unit's value.
    assert units()["第1局"] == ("1局", "市政府", 5)
    assert units()["第1局第1科"] == ("", "第1局", 1)


@pytest.mark.parametrize("units_in_sheet", [30, 300])
def test_an_import_costs_a_few_queries_not_a_few_per_unit(admin_client, django_assert_max_num_queries, units_in_sheet):
    UnitFactory(name="市政府")
    rows = city(bureaus=units_in_sheet // 30, sections=29)

    # Measured on SQLite: preview 18 and 23, confirmation 19 and 25 queries for
    # 30 and 300 units. Rows are inserted in bulk, one statement per level of
    # the tree and per ~100 rows (SQLite's limit of bound parameters), with
    # their history and admin log likewise; nothing is asked per row.
    with django_assert_max_num_queries(24):
        preview = upload(admin_client, MODEL, xlsx(rows))
    with django_assert_max_num_queries(26):
        response = confirm(admin_client, MODEL, preview)

    assert response.status_code == 302
    assert Unit.objects.count() == 1 + units_in_sheet


def test_one_bad_row_in_300_imports_nothing_and_names_its_line(admin_client):
    UnitFactory(name="市政府")
    rows = city()
    rows[57] = ("第2局第27科", "", "第二局", 27)  # line 58 in Excel, an unknown parent

    preview = upload(admin_client, MODEL, xlsx(rows))

    assert preview.context.get("confirm_form") is None
    assert invalid_lines(preview) == {58: ["上级单位“第二局”在系统和本表中都不存在：请检查名称，或在表中增加一行该单位。"]}
    assertContains(preview, "表格中有 1 行需要修改")
    assertContains(preview, "第 58 行")
    assertContains(preview, "没有写入任何数据")
    assert Unit.objects.count() == 1


@pytest.mark.parametrize(
    "row, reason",
    [
        (("", "某科", "市政府", 1), "单位名称不能为空。"),
        (("局" * 101, "", "", ""), "单位名称不能超过 100 个字（现有 101 个字）。"),
        (("第2局", "简" * 31, "", ""), "简称不能超过 30 个字。"),
        (("第2局", "", "第2局", ""), "上级单位不能是本单位。"),
        (("第2局", "", "", "第一"), "排序须填写不小于 0 的整数。"),
        (("第2局", "", "", "-3"), "排序须填写不小于 0 的整数。"),
    ],
)
def test_a_bad_row_is_refused_with_its_reason(admin_client, row, reason):
    UnitFactory(name="市政府")

    preview = upload(admin_client, MODEL, xlsx([HEADER, ("第1局", "", "市政府", 1), row]))

    assert invalid_lines(preview) == {3: [reason]}
    assert Unit.objects.count() == 1


def test_a_unit_twice_in_the_sheet_is_named_on_both_lines(admin_client):
    preview = upload(admin_client, MODEL, xlsx([HEADER, ("第1局", "", "", 1), ("第2局", "", "", 2), ("第1局", "", "", 3)]))

    assert invalid_lines(preview) == {
        2: ["单位“第1局”在表中重复出现（另见第 4 行），每个单位只能占一行。"],
        4: ["单位“第1局”在表中重复出现（另见第 2 行），每个单位只能占一行。"],
    }
    assert not Unit.objects.exists()


def test_parents_that_form_a_loop_are_refused(admin_client):
    top = UnitFactory(name="第1局")
    UnitFactory(name="第1局第1科", parent=top)

    # The sheet puts 第1局 under its own section, which the database has under 第1局.
    preview = upload(admin_client, MODEL, xlsx([HEADER, ("第1局", "", "第1局第1科", 1)]))

    assert invalid_lines(preview) == {2: ["上级单位形成循环：第1局 → 第1局第1科 → 第1局。"]}
    assert units()["第1局"][1] is None


def test_reimporting_the_same_sheet_changes_nothing(admin_client):
    UnitFactory(name="市政府")
    rows = city(bureaus=2, sections=4)
    import_sheet(admin_client, MODEL, xlsx(rows))
    before = units()
    history = Unit.history.count()

    preview = upload(admin_client, MODEL, xlsx(rows))
    result = preview.context["result"]
    assert (result.totals["new"], result.totals["update"], result.totals["skip"]) == (0, 0, 10)
    assertContains(preview, "无变化")
    response = confirm(admin_client, MODEL, preview)

    assert response.status_code == 302
    assert units() == before
    assert Unit.history.count() == history


def test_an_exported_sheet_imports_back_unchanged(admin_client):
    top = UnitFactory(name="市政府", short_name="市府", sort_order=1)
    UnitFactory(name="第1局", short_name="一局", parent=top, sort_order=2)

    exported = admin_client.get(reverse(f"admin:{MODEL}_export_sheet"))
    assert exported.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(exported.content))
    assert [list(row) for row in book.active.iter_rows(values_only=True)] == [
        list(HEADER),
        ["市政府", "市府", None, 1],
        ["第1局", "一局", "市政府", 2],
    ]

    preview = upload(admin_client, MODEL, SimpleUploadedFile("单位.xlsx", exported.content))
    assert preview.context["result"].totals["skip"] == 2
    assert preview.context["result"].totals["new"] + preview.context["result"].totals["update"] == 0


def test_a_gbk_csv_saved_by_excel_is_read(admin_client):
    response = import_sheet(admin_client, MODEL, csv_file([HEADER, ("区卫生监督所", "监督所", "", "1")], encoding="gb18030"))

    assert response.status_code == 302
    assert units() == {"区卫生监督所": ("监督所", None, 1)}


def test_the_whole_sheet_is_checked_again_when_confirmed(admin_client):
    parent = UnitFactory(name="市政府")
    preview = upload(admin_client, MODEL, xlsx([HEADER, ("第1局", "", "", 1), ("第2局", "", "市政府", 2)]))
    assert preview.context.get("confirm_form") is not None
    parent.delete()  # someone else removes the parent before the clerk confirms

    response = confirm(admin_client, MODEL, preview)

    assert response.status_code == 302
    assert response.url == reverse(f"admin:{MODEL}_import")
    assert not Unit.objects.exists()
    page = admin_client.get(response.url)
    assertContains(page, "导入没有完成，没有写入任何数据。")
    assertContains(page, "第 3 行")


# Files that are not a sheet


@pytest.mark.parametrize(
    "upload_file, message",
    [
        (SimpleUploadedFile("单位.xlsx", b"%PDF-1.7\n" + b"0" * 64), "无法读取该文件：它不是有效的 Excel（.xlsx）或 CSV 表格。"),
        (SimpleUploadedFile("单位.csv", b"\x00\x01\x02\xff\xfe" * 20), "无法读取该文件：它不是有效的 Excel（.xlsx）或 CSV 表格。"),
        (SimpleUploadedFile("单位.xlsx", b""), "文件是空的，请检查后重新选择。"),
        (SimpleUploadedFile("单位.xls", b"\xd0\xcf\x11\xe0" + b"0" * 64), "不支持旧版 Excel（.xls）文件"),
        (SimpleUploadedFile("单位.docx", b"PK\x03\x04" + b"0" * 64), "只能导入 Excel（.xlsx）或 CSV（.csv）文件。"),
    ],
    ids=["pdf-named-xlsx", "binary-csv", "empty", "old-xls", "docx"],
)
def test_a_file_that_is_not_a_sheet_gets_a_message_and_nothing_is_written(admin_client, upload_file, message):
    preview = upload(admin_client, MODEL, upload_file)

    assert preview.status_code == 200
    assert preview.context.get("confirm_form") is None
    assertContains(preview, message)
    assert not Unit.objects.exists()


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_sheet_with_only_its_header_gets_a_message(admin_client, kind):
    preview = upload(admin_client, MODEL, sheet_of([HEADER], kind))

    assertContains(preview, "表格中没有数据行：请在表头下方逐行填写后再导入。")
    assert not Unit.objects.exists()


def test_a_sheet_without_the_name_column_gets_a_message(admin_client):
    preview = upload(admin_client, MODEL, xlsx([("名称", "简称"), ("区卫生监督所", "监督所")]))

    assert page_errors(preview)["base"] == ["表头缺少“单位名称”列。第一行应为：单位名称、简称、上级单位、排序。请使用导入模板。"]
    assertContains(preview, "无法导入")
    assert preview.context.get("confirm_form") is None
    assert not Unit.objects.exists()


def test_blank_lines_are_ignored_and_lines_keep_their_excel_numbers(admin_client):
    preview = upload(admin_client, MODEL, xlsx([HEADER, ("第1局", "", "", 1), (None, None, None, None), ("", "科", "", "")]))

    assert invalid_lines(preview) == {4: ["单位名称不能为空。"]}


# The template and who may import


def test_the_template_has_the_columns_and_an_example_row(admin_client):
    response = admin_client.get(reverse(f"admin:{MODEL}_import_template"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows == [HEADER, UnitResource.EXAMPLE]


def test_the_templates_example_row_imports_as_it_is_with_its_parent_by_short_name(admin_client):
    """The example names its parent 区卫计委, as offices speak: the short name of one unit."""
    commission = UnitFactory(name="管城回族区卫生和计划生育委员会", short_name="区卫计委")
    template = admin_client.get(reverse(f"admin:{MODEL}_import_template")).content

    response = import_sheet(admin_client, MODEL, SimpleUploadedFile("模板.xlsx", template))

    assert response.status_code == 302
    assert Unit.objects.get(name="区卫生监督所").parent == commission


def test_a_short_name_shared_by_two_units_asks_for_the_full_name(admin_client):
    UnitFactory(name="甲区卫生健康委员会", short_name="卫健委")
    UnitFactory(name="乙区卫生健康委员会", short_name="卫健委")

    response = upload(admin_client, MODEL, xlsx([HEADER, ("区卫生监督所", "监督所", "卫健委", 1)]))

    assert invalid_lines(response) == {2: ["简称“卫健委”对应多个单位（乙区卫生健康委员会、甲区卫生健康委员会），请填写上级单位的全称。"]}
    assert not Unit.objects.filter(name="区卫生监督所").exists()


def test_the_import_page_is_in_chinese_and_links_the_template(admin_client):
    changelist = admin_client.get(reverse(f"admin:{MODEL}_changelist"))
    page = admin_client.get(reverse(f"admin:{MODEL}_import"))

    assertContains(changelist, "从表格导入")
    assertContains(changelist, reverse(f"admin:{MODEL}_import_template"))
    assertContains(page, "上传并预览")
    assertContains(page, reverse(f"admin:{MODEL}_import_template"))
    assertContains(page, "<code>单位名称</code>（必填）", html=False)
    for english in ("This importer", "Submit", "File to import", "Format"):
        assertNotContains(page, english)


def staff(*codenames):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="campaigns", codename__in=codenames))
    return user


@pytest.mark.parametrize(
    "codenames, status",
    [((), 403), (("view_unit",), 403), (("view_unit", "add_unit"), 403), (("view_unit", "add_unit", "change_unit"), 200)],
)
def test_only_staff_who_may_add_and_change_units_reach_the_import(client, codenames, status):
    client.force_login(staff(*codenames))

    for name in ("import", "import_template"):
        assert client.get(reverse(f"admin:{MODEL}_{name}")).status_code == status
    response = client.post(reverse(f"admin:{MODEL}_import"), {"import_file": xlsx([HEADER, ("第1局", "", "", 1)])})
    assert response.status_code == status
    assert not Unit.objects.exists()


def test_a_user_who_may_only_view_units_sees_no_import_link(client):
    client.force_login(staff("view_unit"))

    changelist = client.get(reverse(f"admin:{MODEL}_changelist"))

    assert changelist.status_code == 200
    assertNotContains(changelist, "从表格导入")


@pytest.mark.parametrize("name", ["import", "import_template", "export_sheet"])
def test_signed_out_and_non_staff_users_are_sent_to_sign_in(client, name):
    assert client.get(reverse(f"admin:{MODEL}_{name}")).status_code == 302
    client.force_login(UserFactory(is_staff=False))
    assert client.get(reverse(f"admin:{MODEL}_{name}")).status_code == 302


def test_the_admin_log_says_in_chinese_that_a_unit_came_from_a_sheet(admin_client):
    from django.contrib.admin.models import LogEntry

    import_sheet(admin_client, MODEL, xlsx([HEADER, ("第1局", "", "", 1)]))

    entry = LogEntry.objects.get(object_repr="第1局")
    assert entry.get_change_message() == "通过表格导入新增"
    assert entry.user.username == "admin"
    assert Unit.history.get(name="第1局").history_user.username == "admin"


def test_a_refused_sheet_is_not_kept_in_storage_and_a_confirmed_one_is_removed(admin_client, settings):
    stored = settings.MEDIA_ROOT / "django-import-export"

    upload(admin_client, MODEL, xlsx([HEADER, ("", "", "", 1)]))
    assert not stored.exists() or not any(stored.iterdir())

    preview = upload(admin_client, MODEL, xlsx([HEADER, ("第1局", "", "", 1)]))
    assert len(list(stored.iterdir())) == 1
    confirm(admin_client, MODEL, preview)
    assert not any(stored.iterdir())
