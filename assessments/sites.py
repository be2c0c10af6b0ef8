"""The site register (点位台账) read from a spreadsheet: one row per site."""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .sheet import HEADER_ROWS, load, text

ROLES = (
    ("site_type", ("点位类型", "类型", "类别")),
    ("latitude", ("纬度",)),
    ("longitude", ("经度",)),
    ("unit", ("责任单位", "管理单位", "主管单位", "牵头单位")),
    ("address", ("地址", "位置", "所在")),
    ("name", ("点位名称", "名称", "点位")),
)


@dataclass
class SiteRow:
    row: int
    name: str
    site_type: str
    unit: str
    address: str = ""
    latitude: Decimal = None
    longitude: Decimal = None


def _role(cell):
    cell = re.sub(r"\s+", "", text(cell))
    if not cell or len(cell) > 10:
        return None
    return next((role for role, words in ROLES if any(w in cell for w in words)), None)


def decimal_or_none(value):
    """A coordinate that travelled as text in the preview's signed payload."""
    try:
        return Decimal(value) if value not in (None, "") else None
    except InvalidOperation:
        return None


def _coordinate(value, low, high):
    if value in (None, ""):
        return None
    number = Decimal(text(value))
    if not low <= number <= high:
        raise InvalidOperation
    return number.quantize(Decimal("0.000001"))


def find_header(rows):
    """(row index, {role: column}) of the register's header, or (None, {})."""
    for index, row in enumerate(rows[:HEADER_ROWS]):
        found = {}
        for column, cell in enumerate(row):
            role = _role(cell)
            if role and role not in found:
                found[role] = column
        if {"name", "site_type", "unit"} <= found.keys():
            return index, found
    return None, {}


def read(path_or_file):
    return read_rows(load(path_or_file, find=find_header))


def read_rows(rows):
    """([SiteRow], [Chinese error per bad row])."""
    header, columns = find_header(rows)
    if header is None:
        return [], ["没有找到表头：点位表需要“点位名称”“点位类型”“责任单位”三列。"]

    def cell(row, role):
        column = columns.get(role)
        return text(row[column]) if column is not None and column < len(row) else ""

    sites, errors, seen = [], [], set()
    for number, row in enumerate(rows[header + 1 :], start=header + 2):
        if not any(text(c) for c in row):
            continue
        name, site_type, unit = cell(row, "name"), cell(row, "site_type"), cell(row, "unit")
        missing = [label for label, value in (("点位名称", name), ("点位类型", site_type), ("责任单位", unit)) if not value]
        if missing:
            errors.append(f"第{number}行：缺少{'、'.join(missing)}。")
            continue
        name, site_type = name[:100], site_type[:50]
        if name in seen:
            errors.append(f"第{number}行：点位“{name}”重复出现。")
            continue
        seen.add(name)
        try:
            latitude = _coordinate(cell(row, "latitude"), -90, 90)
            longitude = _coordinate(cell(row, "longitude"), -180, 180)
        except (InvalidOperation, ValueError):
            errors.append(f"第{number}行：经纬度不是有效的数字。")
            continue
        sites.append(SiteRow(number, name, site_type, unit, cell(row, "address")[:200], latitude, longitude))
    if not sites and not errors:
        errors.append("表格里没有读到任何点位。")
    return sites, errors
