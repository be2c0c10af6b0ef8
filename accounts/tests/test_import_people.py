"""People imported from a spreadsheet in the admin: a user (new or existing)
and their active role in a unit per row; new users get a random first
password, shown once, which they must change at first sign-in."""

import io
import json

import openpyxl
import pytest
from django.contrib.auth.hashers import identify_hasher
from django.contrib.auth.models import Permission
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from accounts.models import User
from accounts.resources import PersonResource
from campaigns.models import Membership, Unit
from campaigns.tests.factories import MembershipFactory, UnitFactory, UserFactory
from campaigns.tests.sheets import confirm, csv_file, import_sheet, invalid_lines, upload, xlsx

pytestmark = pytest.mark.django_db

MODEL = "accounts_user"
HEADER = ("姓名", "用户名", "单位", "角色", "手机", "邮箱")
Role = Membership.Role


def liaisons(count):
    """A liaison for each of `count` units; every third has no username (the phone stands in)."""
    rows = [HEADER]
    for n in range(1, count + 1):
        phone = f"139{n:08d}"
        username = "" if n % 3 == 0 else f"liaison{n:03d}"
        rows.append((f"联络员{n}", username, f"单位{n:03d}", "联络员", phone, f"l{n}@example.gov.cn"))
    return rows


def units(count):
    Unit.objects.bulk_create([Unit(name=f"单位{n:03d}") for n in range(1, count + 1)])


def people():
    return {
        (m.user.username, m.user.full_name, m.user.phone, m.user.email, m.unit.name, m.role, m.is_active)
        for m in Membership.objects.select_related("user", "unit").exclude(user__is_superuser=True)
    }


def shown_passwords(response):
    return {row["username"]: row["password"] for row in response.context["passwords"]}


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_300_liaisons_are_imported_at_once_with_passwords_shown_once(admin_client, kind):
    units(300)
    rows = liaisons(300)

    response = import_sheet(admin_client, MODEL, xlsx(rows) if kind == "xlsx" else csv_file(rows))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    expected = {
        (username or phone, name, phone, email, unit, Role.LIAISON, True)
        for name, username, unit, _, phone, email in rows[1:]
    }
    assert people() == expected
    assert User.objects.filter(is_superuser=False).count() == 300
    assert User.objects.filter(is_superuser=False, must_change_password=False).count() == 0
    passwords = shown_passwords(response)
    assert set(passwords) == {username or phone for _, username, _, _, phone, _ in rows[1:]}
    assert len(set(passwords.values())) == 300
    for username in ("liaison001", "13900000003", "liaison299"):
        user = User.objects.get(username=username)
        assert user.check_password(passwords[username])
        assertContains(response, passwords[username])
    assertContains(response, "以下初始密码只显示这一次")
    assertContains(response, "导入完成：新增 300 条，修改 0 条，无变化 0 条。")


@pytest.mark.parametrize("people_in_sheet", [30, 300])
def test_an_import_costs_a_few_queries_not_a_few_per_person(admin_client, django_assert_max_num_queries, people_in_sheet):
    units(people_in_sheet)
    sheet = liaisons(people_in_sheet)

    # Measured on SQLite: preview 18 and 24, confirmation 19 and 26 queries for
    # 30 and 300 people. Users, roles and their history are inserted in bulk
    # (one statement per ~70-100 rows, SQLite's limit of bound parameters);
    # nothing is asked per row.
    with django_assert_max_num_queries(25):
        preview = upload(admin_client, MODEL, xlsx(sheet))
    with django_assert_max_num_queries(27):
        response = confirm(admin_client, MODEL, preview)

    assert response.status_code == 200
    assert Membership.objects.count() == people_in_sheet


def test_reimporting_the_same_sheet_changes_nothing(admin_client):
    units(6)
    rows = liaisons(6)
    import_sheet(admin_client, MODEL, xlsx(rows))
    before = people()
    hashes = dict(User.objects.values_list("username", "password"))

    preview = upload(admin_client, MODEL, xlsx(rows))
    result = preview.context["result"]
    assert (result.totals["new"], result.totals["update"], result.totals["skip"]) == (0, 0, 6)
    response = confirm(admin_client, MODEL, preview)

    # No password page: nobody new, and nobody's password is touched.
    assert response.status_code == 302
    assert people() == before
    assert dict(User.objects.values_list("username", "password")) == hashes
    assert Membership.history.count() == 6


def test_an_existing_user_gets_the_new_role_and_keeps_password_and_contacts(admin_client):
    unit = UnitFactory(name="区卫生监督所")
    office = UnitFactory(name="公卫科")
    user = UserFactory(username="fanlina", full_name="樊丽娜", phone="66213720", email="fangbaoke@126.com")
    MembershipFactory(user=user, unit=unit, role=Role.LIAISON)
    password = user.password

    preview = upload(
        admin_client,
        MODEL,
        xlsx([HEADER, ("樊丽娜", "fanlina", "区卫生监督所", "联络员", "", ""), ("樊丽娜", "fanlina", "公卫科", "办公室工作人员", "", "")]),
    )
    skipped, updated = preview.context["result"].valid_rows()
    assert (skipped.import_type, updated.import_type) == ("skip", "update")
    # The new role is marked as inserted; the name, already right, is not.
    assert "<ins" in updated.diff[2] and "公卫科" in updated.diff[2]
    assert "<ins" not in updated.diff[0] and "<del" not in updated.diff[0]
    response = confirm(admin_client, MODEL, preview)

    assert response.status_code == 302  # nobody new, no passwords to show
    user.refresh_from_db()
    assert (user.password, user.phone, user.email, user.must_change_password) == (password, "66213720", "fangbaoke@126.com", False)
    assert set(user.memberships.values_list("unit__name", "role", "is_active")) == {
        ("区卫生监督所", Role.LIAISON, True),
        ("公卫科", Role.OFFICE_STAFF, True),
    }
    assert office.memberships.get().user == user


def test_a_person_with_two_roles_takes_two_rows_and_gets_one_password(admin_client):
    UnitFactory(name="法规科")
    UnitFactory(name="区卫生监督所")
    rows = [
        HEADER,
        ("李蓉", "lirong", "法规科", "单位负责人", "13800000001", ""),
        ("李蓉", "lirong", "区卫生监督所", "领导", "13800000001", ""),
    ]

    response = import_sheet(admin_client, MODEL, xlsx(rows))

    user = User.objects.get(username="lirong")
    assert set(user.memberships.values_list("unit__name", "role")) == {("法规科", Role.UNIT_HEAD), ("区卫生监督所", Role.LEADER)}
    assert list(shown_passwords(response)) == ["lirong"]


def test_an_inactive_role_is_made_active_again(admin_client):
    membership = MembershipFactory(user__username="liaison_jds", unit__name="区卫生监督所", is_active=False)

    import_sheet(admin_client, MODEL, xlsx([HEADER, (membership.user.full_name, "liaison_jds", "区卫生监督所", "联络员", "", "")]))

    membership.refresh_from_db()
    assert membership.is_active


@pytest.mark.parametrize(
    "row, column_reason",
    [
        (("", "a1", "区卫生监督所", "联络员", "", ""), "姓名不能为空。"),
        (("张三", "", "区卫生监督所", "联络员", "", ""), "用户名和手机至少填写一项：用户名留空时，以手机号作为用户名。"),
        (("张三", "zhang san", "区卫生监督所", "联络员", "", ""), "用户名只能包含汉字、字母、数字和 @ . + - _ 符号，不能有空格。"),
        (("张三", "zs", "区卫生局", "联络员", "", ""), "单位“区卫生局”在系统中不存在：请先导入单位，或检查名称是否与系统中的单位名称完全一致。"),
        (("张三", "zs", "区卫生监督所", "科员", "", ""), "角色“科员”无法识别，应为：联络员、单位负责人、办公室工作人员、领导。"),
        (("张三", "zs", "区卫生监督所", "", "", ""), "角色不能为空，应为：联络员、单位负责人、办公室工作人员、领导。"),
        (("张三", "zs", "区卫生监督所", "联络员", "电话138", ""), "手机号码格式不正确，只能填写数字（可含 - 和空格）。"),
        (("张三", "zs", "区卫生监督所", "联络员", "", "zs@"), "邮箱格式不正确，例如 name@example.com。"),
        (("张三", "admin", "区卫生监督所", "联络员", "", ""), "“admin”是系统管理账号，不能通过导入修改，请在“用户”中直接编辑。"),
        (("樊丽娜", "fanlina", "区卫生监督所", "联络员", "", ""), "与第 2 行重复：同一人在同一单位的同一角色只需一行。"),
        (("樊丽娜", "fanlina", "区卫生监督所", "领导", "13900000000", ""), "用户名“fanlina”也出现在第 2 行，但姓名、手机或邮箱不一致：同一人的各行须一致。"),
    ],
)
def test_a_bad_row_is_refused_with_its_line_and_reason_and_nothing_is_written(admin_client, row, column_reason):
    UnitFactory(name="区卫生监督所")
    users = User.objects.count()

    preview = upload(admin_client, MODEL, xlsx([HEADER, ("樊丽娜", "fanlina", "区卫生监督所", "联络员", "", ""), row]))

    assert invalid_lines(preview) == {3: [column_reason]}
    assertContains(preview, "第 3 行")
    assert preview.context.get("confirm_form") is None
    assert User.objects.count() == users
    assert not Membership.objects.exists()


def test_one_bad_row_in_300_imports_nothing(admin_client):
    units(300)
    rows = liaisons(300)
    rows[200] = ("联络员200", "liaison200", "单位999", "联络员", "", "")  # line 201

    preview = upload(admin_client, MODEL, xlsx(rows))

    assert list(invalid_lines(preview)) == [201]
    assert not User.objects.filter(is_superuser=False).exists()


def test_a_sheet_without_the_role_column_gets_a_message(admin_client):
    preview = upload(admin_client, MODEL, xlsx([("姓名", "单位"), ("张三", "区卫生监督所")]))

    assertContains(preview, "表头缺少“角色”列。第一行应为：姓名、用户名、单位、角色、手机、邮箱。请使用导入模板。")
    assert User.objects.filter(is_superuser=False).count() == 0


def test_a_sheet_without_the_username_column_uses_the_phone(admin_client):
    UnitFactory(name="区卫生监督所")

    import_sheet(admin_client, MODEL, xlsx([("姓名", "单位", "角色", "手机"), ("张三", "区卫生监督所", "联络员", 13912345678)]))

    assert User.objects.get(username="13912345678").phone == "13912345678"


# The first password


def test_an_imported_user_must_change_the_password_at_first_sign_in(admin_client, client):
    UnitFactory(name="区卫生监督所")
    response = import_sheet(admin_client, MODEL, xlsx([HEADER, ("张三", "zhangsan", "区卫生监督所", "联络员", "", "")]))
    password = shown_passwords(response)["zhangsan"]

    signed_in = client.post(reverse("login"), {"username": "zhangsan", "password": password}, follow=True)

    assert signed_in.redirect_chain[-1] == (reverse("password_change"), 302)
    assertContains(signed_in, "请先修改初始密码")


def test_the_preview_makes_no_password_and_writes_nothing(admin_client):
    UnitFactory(name="区卫生监督所")

    preview = upload(admin_client, MODEL, xlsx([HEADER, ("张三", "zhangsan", "区卫生监督所", "联络员", "", "")]))

    assert preview.context["result"].totals["new"] == 1
    (row,) = preview.context["result"].valid_rows()
    assert ["区卫生监督所" in cell for cell in row.diff] == [False, False, True, False, False, False]
    assert ["联络员" in cell for cell in row.diff] == [False, False, False, True, False, False]
    assert "passwords" not in preview.context
    assert not User.objects.filter(username="zhangsan").exists()


def test_the_password_list_downloads_as_a_workbook_and_is_not_kept(admin_client):
    UnitFactory(name="区卫生监督所")
    response = import_sheet(admin_client, MODEL, xlsx([HEADER, ("张三", "zhangsan", "区卫生监督所", "联络员", "", "")]))
    password = shown_passwords(response)["zhangsan"]
    posted = response.context["passwords_json"]

    download = admin_client.post(reverse("admin:accounts_user_initial_passwords"), {"rows": posted})

    assert download.status_code == 200
    assert "no-store" in download["Cache-Control"]
    rows = list(openpyxl.load_workbook(io.BytesIO(download.content)).active.iter_rows(values_only=True))
    assert rows == [("姓名", "用户名", "单位", "初始密码"), ("张三", "zhangsan", "区卫生监督所", password)]
    # Only the hash is stored: the plain password is nowhere in the database.
    user = User.objects.get(username="zhangsan")
    assert password not in user.password
    assert admin_client.get(reverse("admin:accounts_user_initial_passwords")).status_code == 405
    assert admin_client.post(reverse("admin:accounts_user_initial_passwords"), {"rows": "x"}).status_code == 400
    assert json.loads(posted) == [{"username": "zhangsan", "full_name": "张三", "unit": "区卫生监督所", "password": password}]


def test_a_name_that_looks_like_a_formula_stays_text_in_the_password_list(admin_client):
    rows = json.dumps([{"username": "x", "full_name": '=HYPERLINK("http://evil","点我")', "unit": "u", "password": "p"}])

    download = admin_client.post(reverse("admin:accounts_user_initial_passwords"), {"rows": rows})

    cell = openpyxl.load_workbook(io.BytesIO(download.content)).active["A2"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://evil","点我")', "s")


def test_first_passwords_are_hashed_with_fewer_pbkdf2_rounds_and_rehashed_at_first_use(admin_client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    UnitFactory(name="区卫生监督所")

    response = import_sheet(admin_client, MODEL, xlsx([HEADER, ("张三", "zhangsan", "区卫生监督所", "联络员", "", "")]))

    user = User.objects.get(username="zhangsan")
    algorithm, iterations, _, _ = user.password.split("$")
    assert (algorithm, int(iterations)) == ("pbkdf2_sha256", 20_000)
    assert identify_hasher(user.password).algorithm == "pbkdf2_sha256"
    password = shown_passwords(response)["zhangsan"]
    assert user.check_password(password)
    # Django re-hashes it at full strength when it is first used.
    user.refresh_from_db()
    assert int(user.password.split("$")[1]) > 20_000


# The template and who may import


def test_the_template_has_the_columns_and_an_example_row(admin_client):
    response = admin_client.get(reverse(f"admin:{MODEL}_import_template"))

    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows == [HEADER, PersonResource.EXAMPLE]


def test_the_user_list_links_the_import_and_the_page_explains_roles(admin_client):
    changelist = admin_client.get(reverse(f"admin:{MODEL}_changelist"))
    page = admin_client.get(reverse(f"admin:{MODEL}_import"))

    assertContains(changelist, "从表格导入")
    assertNotContains(changelist, "导出表格")
    assertContains(page, "联络员、单位负责人、办公室工作人员、领导")
    assertContains(page, "只显示这一次")


def staff(*codenames):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="accounts", codename__in=codenames))
    return user


@pytest.mark.parametrize(
    "codenames, status",
    [(("view_user",), 403), (("view_user", "change_user"), 403), (("view_user", "add_user", "change_user"), 200)],
)
def test_only_staff_who_may_add_and_change_users_reach_the_import(client, codenames, status):
    UnitFactory(name="区卫生监督所")
    client.force_login(staff(*codenames))

    assert client.get(reverse(f"admin:{MODEL}_import")).status_code == status
    response = client.post(
        reverse(f"admin:{MODEL}_import"), {"import_file": xlsx([HEADER, ("张三", "zs", "区卫生监督所", "联络员", "", "")])}
    )
    assert response.status_code == status
    rows = json.dumps([{"username": "a", "full_name": "b", "unit": "c", "password": "d"}])
    assert client.post(reverse("admin:accounts_user_initial_passwords"), {"rows": rows}).status_code == status
    assert not User.objects.filter(username="zs").exists()
