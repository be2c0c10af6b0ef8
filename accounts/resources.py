"""People from a spreadsheet: a user (created if new) and their role in a unit.

Each row is one role of one person (姓名, 用户名, 单位, 角色, 手机, 邮箱); a
person with two roles takes two rows with the same 用户名. A new user gets a
random first password, shown once to the clerk who confirms the import and
kept nowhere else (only its hash is stored), and must change it at first
sign-in (accounts.middleware).
"""

import re
import secrets
from collections import defaultdict

from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from import_export import fields
from import_export.instance_loaders import CachedInstanceLoader
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from campaigns.models import Membership, Unit
from campaigns.resources import MAX_SHEET_ROWS, SheetResource

from .models import User

ROLE_BY_LABEL = {label: value for value, label in Membership.Role.choices}
ROLE_LABELS = "、".join(ROLE_BY_LABEL)
# Letters and digits that cannot be mistaken for one another when read off paper.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PASSWORD_LENGTH = 10
PHONE = re.compile(r"\+?[0-9][0-9 -]{4,28}")


def new_initial_password():
    while True:
        password = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))
        # Three kinds of characters, as the password rules ask (accounts/passwords.py).
        if any(c.isdigit() for c in password) and any(c.islower() for c in password) and any(
            c.isupper() for c in password
        ):
            return password


class _InitialPasswordHasher(PBKDF2PasswordHasher):
    # A random 10-character password (about 58 bits) needs far less stretching
    # than one a person chose, and hashing 300 of them at Django's full cost
    # would outlast the request. Django re-hashes at full cost on the first
    # sign-in (must_update), and the password is replaced then anyway.
    iterations = 20_000


def hash_initial_password(password):
    hasher = get_hasher()
    if isinstance(hasher, PBKDF2PasswordHasher):
        hasher = type("InitialPasswordHasher", (_InitialPasswordHasher,), {"algorithm": hasher.algorithm})()
    return hasher.encode(password, hasher.salt())


class PersonResource(SheetResource):
    FULL_NAME, USERNAME, UNIT, ROLE, PHONE_COLUMN, EMAIL = "姓名", "用户名", "单位", "角色", "手机", "邮箱"
    COLUMNS = (FULL_NAME, USERNAME, UNIT, ROLE, PHONE_COLUMN, EMAIL)
    REQUIRED = (FULL_NAME, UNIT, ROLE)
    # A made-up person, so that an example row left in the sheet touches no real account.
    EXAMPLE = ("张三（示例）", "zhangsan_example", "区卫生监督所", "联络员", "13800000000", "zhangsan@example.com")

    full_name = fields.Field(attribute="full_name", column_name=FULL_NAME)
    username = fields.Field(attribute="username", column_name=USERNAME)
    # The role the row gives, compared in the preview with the role the user holds already.
    unit = fields.Field(attribute="sheet_unit", column_name=UNIT)
    role = fields.Field(attribute="sheet_role", column_name=ROLE)
    phone = fields.Field(attribute="phone", column_name=PHONE_COLUMN)
    email = fields.Field(attribute="email", column_name=EMAIL)

    class Meta:
        model = User
        name = "人员"
        fields = ("full_name", "username", "unit", "role", "phone", "email")
        import_id_fields = ("username",)
        instance_loader_class = CachedInstanceLoader
        use_bulk = True
        # Users are written once, after the whole sheet; memberships after them.
        batch_size = MAX_SHEET_ROWS + 1
        skip_unchanged = True
        report_skipped = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.initial_passwords = []
        self.seen_users = {}
        self.units = {}
        self.memberships = {}
        self.wanted_memberships = []

    def _check_import_id_fields(self, headers):
        # 用户名 may be left out: the phone number stands in (before_import fills it).
        pass

    def check_rows(self, records):
        errors = defaultdict(lambda: defaultdict(list))
        max_name = User._meta.get_field("full_name").max_length
        max_username = User._meta.get_field("username").max_length
        max_phone = User._meta.get_field("phone").max_length
        unit_names = {record.get(self.UNIT, "") for record in records.values()} - {""}
        self.units = {unit.name: unit for unit in Unit.objects.filter(name__in=unit_names)}
        usernames = {self.username_of(record) for record in records.values()} - {""}
        existing = {user.username: user for user in User.objects.filter(username__in=usernames)}
        first_line_of_role, person_of = {}, {}
        for line, record in records.items():
            full_name, username = record.get(self.FULL_NAME, ""), self.username_of(record)
            unit, role = record.get(self.UNIT, ""), record.get(self.ROLE, "")
            phone, email = record.get(self.PHONE_COLUMN, ""), record.get(self.EMAIL, "")
            if not full_name:
                errors[line][self.FULL_NAME].append("姓名不能为空。")
            elif len(full_name) > max_name:
                errors[line][self.FULL_NAME].append(f"姓名不能超过 {max_name} 个字。")
            if not username:
                errors[line][self.USERNAME].append("用户名和手机至少填写一项：用户名留空时，以手机号作为用户名。")
            elif len(username) > max_username:
                errors[line][self.USERNAME].append(f"用户名不能超过 {max_username} 个字符。")
            else:
                try:
                    User.username_validator(username)
                except ValidationError:
                    errors[line][self.USERNAME].append("用户名只能包含汉字、字母、数字和 @ . + - _ 符号，不能有空格。")
                user = existing.get(username)
                if user is not None and (user.is_staff or user.is_superuser):
                    errors[line][self.USERNAME].append(f"“{username}”是系统管理账号，不能通过导入修改，请在“用户”中直接编辑。")
            if not unit:
                errors[line][self.UNIT].append("单位不能为空。")
            elif unit not in self.units:
                errors[line][self.UNIT].append(f"单位“{unit}”在系统中不存在：请先导入单位，或检查名称是否与系统中的单位名称完全一致。")
            if not role:
                errors[line][self.ROLE].append(f"角色不能为空，应为：{ROLE_LABELS}。")
            elif role not in ROLE_BY_LABEL:
                errors[line][self.ROLE].append(f"角色“{role}”无法识别，应为：{ROLE_LABELS}。")
            if phone and (len(phone) > max_phone or not PHONE.fullmatch(phone)):
                errors[line][self.PHONE_COLUMN].append("手机号码格式不正确，只能填写数字（可含 - 和空格）。")
            if email:
                try:
                    validate_email(email)
                except ValidationError:
                    errors[line][self.EMAIL].append("邮箱格式不正确，例如 name@example.com。")
            if username and unit and role:
                key = (username, unit, role)
                if key in first_line_of_role:
                    errors[line][self.ROLE].append(f"与第 {first_line_of_role[key]} 行重复：同一人在同一单位的同一角色只需一行。")
                else:
                    first_line_of_role[key] = line
            if username:
                person = (full_name, phone, email)
                if username in person_of and person_of[username][1] != person:
                    errors[line][self.USERNAME].append(
                        f"用户名“{username}”也出现在第 {person_of[username][0]} 行，但姓名、手机或邮箱不一致：同一人的各行须一致。"
                    )
                person_of.setdefault(username, (line, person))
        return {line: {column: reasons for column, reasons in problems.items() if reasons} for line, problems in errors.items()}

    def username_of(self, record):
        return record.get(self.USERNAME, "") or record.get(self.PHONE_COLUMN, "")

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        # The phone number is the username where 用户名 is empty; written into
        # the sheet so that the instance loader finds an existing user by it.
        records = [dict(zip(dataset.headers, row)) for row in dataset]
        if self.USERNAME not in dataset.headers:
            dataset.append_col([""] * len(records), header=self.USERNAME)
        usernames = [self.username_of(record) for record in records]
        column = dataset.headers.index(self.USERNAME)
        rows = [list(row) for row in dataset]
        for row, username in zip(rows, usernames):
            row[column] = username
        headers = dataset.headers
        dataset.wipe()
        dataset.headers = headers
        for row in rows:
            dataset.append(row)
        self.memberships = {
            (m.user.username, m.unit_id, m.role): m
            for m in Membership.objects.filter(user__username__in=set(usernames)).select_related("user")
        }

    def get_or_init_instance(self, instance_loader, row):
        # A person's second row (another role) continues the first row's user.
        seen = self.seen_users.get(row[self.USERNAME])
        if seen is not None:
            return seen, False
        return super().get_or_init_instance(instance_loader, row)

    def role_of(self, row):
        return self.units[row[self.UNIT]], ROLE_BY_LABEL[row[self.ROLE]]

    def has_active_role(self, username, row):
        unit, role = self.role_of(row)
        membership = self.memberships.get((username, unit.pk, role))
        return membership is not None and membership.is_active

    def after_init_instance(self, instance, new, row, **kwargs):
        # What the preview compares against: the role as it stands before the import.
        held = not new and self.has_active_role(instance.username, row)
        instance.sheet_unit = row[self.UNIT] if held else ""
        instance.sheet_role = row[self.ROLE] if held else ""

    def import_instance(self, instance, row, **kwargs):
        # An empty cell keeps what the user already has (a phone typed in by the person).
        instance.username = row[self.USERNAME]
        instance.full_name = row[self.FULL_NAME]
        for column, attribute in ((self.PHONE_COLUMN, "phone"), (self.EMAIL, "email")):
            if row.get(column):
                setattr(instance, attribute, row[column])
        instance.sheet_unit, instance.sheet_role = row[self.UNIT], row[self.ROLE]

    def skip_row(self, instance, original, row, import_validation_errors=None):
        unchanged = super().skip_row(instance, original, row, import_validation_errors)
        return unchanged and original.pk is not None and self.has_active_role(original.username, row)

    def save_instance(self, instance, is_create, row, **kwargs):
        if instance.username not in self.seen_users:
            self.seen_users[instance.username] = instance
            if is_create:
                self.set_initial_password(instance, row, dry_run=kwargs.get("dry_run", False))
            super().save_instance(instance, is_create, row, **kwargs)
        unit, role = self.role_of(row)
        self.wanted_memberships.append((instance, unit, role))

    def set_initial_password(self, user, row, *, dry_run):
        user.must_change_password = True
        if dry_run:
            # The preview is rolled back: no password is made for it.
            user.set_unusable_password()
            return
        password = new_initial_password()
        user.password = hash_initial_password(password)
        self.initial_passwords.append(
            {"username": user.username, "full_name": user.full_name, "unit": row[self.UNIT], "password": password}
        )

    def after_import(self, dataset, result, **kwargs):
        # Users have their ids now (bulk_create): give them their roles.
        if result.has_errors() or result.has_validation_errors():
            return
        creating, reactivating, planned = [], [], set()
        for user, unit, role in self.wanted_memberships:
            key = (user.username, unit.pk, role)
            if key in planned:
                continue
            planned.add(key)
            membership = self.memberships.get(key)
            if membership is None:
                creating.append(Membership(user=user, unit=unit, role=role, is_active=True))
            elif not membership.is_active:
                membership.is_active = True
                reactivating.append(membership)
        if creating:
            bulk_create_with_history(creating, Membership, default_user=self.history_user())
        if reactivating:
            bulk_update_with_history(reactivating, Membership, ["is_active"], default_user=self.history_user())
        result.initial_passwords = self.initial_passwords

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if not self.create_instances or not (using_transactions or not dry_run):
            return
        try:
            User.objects.bulk_create(self.create_instances)
        except Exception as error:
            self.handle_import_error(result, error, raise_errors)
        finally:
            self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if not self.update_instances or not (using_transactions or not dry_run):
            return
        try:
            User.objects.bulk_update(self.update_instances, ["full_name", "phone", "email"])
        except Exception as error:
            self.handle_import_error(result, error, raise_errors)
        finally:
            self.update_instances.clear()
