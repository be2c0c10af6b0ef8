"""The leading group (领导小组): who is 组长, 副组长, 成员 or 办公室主任."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass
class GroupMember:
    position: str
    name: str


_TITLE_WORDS = re.compile(
    r"(?:常务副|副)?(?:书记|主任|局长|区长|县长|市长|部长|所长|科长|主席|院长|校长|镇长|乡长|处长|"
    r"秘书长|常委|队长|站长|经理|委员|调研员|主任科员|负责人|同志|省长|领导)"
)
_ORG_CHARS = re.compile(r"[区市县委局办所科院部厅处室会组队站心校镇乡街领导班成员其他各]")


def _person(segment: str) -> str:
    """The person's name in 'title + name', 'name + title' or just a name."""
    segment = re.sub(r"[（(][^（）()]*[）)]", "", segment).strip("由、，, ")
    segment = re.sub(r"同志$", "", segment)
    titles = list(_TITLE_WORDS.finditer(segment))
    if titles:
        after = segment[titles[-1].end():]
        if 2 <= len(after) <= 4 and not _ORG_CHARS.search(after):
            return after
        before = segment[: titles[0].start()]
        if 2 <= len(before) <= 4 and not _ORG_CHARS.search(before):
            return before
    return segment


def _people(segment: str) -> list[str]:
    parts = [p for p in re.split(r"[、，,]", segment) if p.strip()]
    names = []
    for part in parts:
        person = _person(part)
        if person != part.strip() or (2 <= len(person) <= 4 and not _ORG_CHARS.search(person)):
            names.append(person)
    if not names:
        return [_person(segment)] if segment.strip() else []
    return names


# A command post (指挥部) or a joint meeting (联席会议) names its head and deputies
# otherwise; the campaign's leading group has 组长 and 副组长.
_POSITIONS = {
    "组长": "组长",
    "副组长": "副组长",
    "成员": "成员",
    "办公室主任": "办公室主任",
    "指挥长": "组长",
    "总指挥": "组长",
    "常务副指挥长": "副组长",
    "副指挥长": "副组长",
    "副总指挥": "副组长",
    "总召集人": "组长",
    "副召集人": "副组长",
}
_LISTED = "常务副指挥长|副指挥长|指挥长|副总指挥|总指挥|副组长|组长|成员|办公室主任|总召集人|副召集人|召集人"
_LIST_LINE = re.compile(rf"^({_LISTED}|主任)[:：](.+)$")
_IN_PROSE = "办公室主任|副组长|组长|成员|常务副指挥长|副指挥长|指挥长|副总指挥|总指挥|总召集人|副召集人|召集人"
# What a heading over a list says the list is: the group itself, its office,
# or one of the working groups (综合组, 专项组) whose heads lead no campaign.
_GROUP_HEADING = re.compile(r"领导小组|指挥部|委员会|联席会议|组织(?:机构|领导)|领导机构|成立|小组")
_OFFICE_HEADING = re.compile(r"办公室|办$")
_WORKING_HEADING = re.compile(r"(?:组|专班)$|工作组|专项组")
# A masked name (XXX) stands for a person; what a list says instead of
# names (从市有关单位抽调, 各成员单位负责人) does not.
_NOT_A_NAME = re.compile(r"^各|单位|抽调|有关|负责|部门|…|\.\.\.")
# After the signature's date, a new title that no 附件 announces starts another
# document (a web page that carries two), whose group is not this plan's; unless
# the text before issued it (印发, 《…方案》): then it is the plan a cover letter carries.
_SIGNATURE_DATE = re.compile(r"^(?:\d{4}|[〇零一二三四五六七八九]{4})年[\d一二三四五六七八九十]{1,3}月[\d一二三四五六七八九十]{1,3}日$")
_DOCUMENT_TITLE = re.compile(r"^[^，,。；;：:]{4,60}(?:方案|通知|意见|办法|规定|细则|决定|计划|纪要)$")


def _heading_kind(para: str) -> str | None:
    if len(para) > 40 or re.search(r"[。；;，,]", para.rstrip(":：")) and not para.endswith(("：", ":")):
        return None
    if re.search(r"[:：].+", para.rstrip(":：")):
        return None
    if _GROUP_HEADING.search(para):
        return "group"
    if _OFFICE_HEADING.search(re.sub(r"[（(][^（）()]*[）)]", "", para).rstrip(":：")):
        return "office"
    if _WORKING_HEADING.search(re.sub(r"[（(][^（）()]*[）)]$", "", para).rstrip(":：")):
        return "working"
    return "other"


def _named(names: list[str]) -> list[str]:
    out = []
    for name in names:
        name = re.sub(r"(?:…+|\.{3,}|等)$", "", name.strip())
        if len(name) >= 2 and not _NOT_A_NAME.search(name):
            out.append(name)
    return out


def _people_before(segment: str) -> list[str]:
    """The people named before 任组长, several apart by commas: the last
    clause may be a bare name, the earlier ones only a title with a name."""
    clauses = [c for c in re.split(r"[，,]", segment) if c.strip()]
    if not clauses:
        return []
    names = []
    for clause in clauses[:-1]:
        for part in re.split(r"、", clause):
            person = _person(part)
            if person != part.strip() and 2 <= len(person) <= 4 and not _ORG_CHARS.search(person):
                names.append(person)
    return names + _people(clauses[-1])


def _position(word: str, text: str) -> str:
    if word == "召集人":
        return "副组长" if "总召集人" in text else "组长"
    return _POSITIONS[word]


def extract_leading_group(paras: list[str]) -> list[GroupMember]:
    members: list[GroupMember] = []

    def add(position, names):
        for name in _named(names):
            if not any(m.position == position and m.name == name for m in members):
                members.append(GroupMember(position, name))

    everything = "".join(paras)
    context = None
    signed = False
    previous = ""
    cited: set[str] = set()
    issues_a_plan = False
    for para in paras:
        carried = issues_a_plan or para in cited or previous.startswith("附件")
        if signed and _DOCUMENT_TITLE.match(para) and not carried:
            break
        signed = signed or bool(_SIGNATURE_DATE.match(para))
        cited.update(re.findall(r"《([^《》]+)》", para))
        issues_a_plan = issues_a_plan or "印发" in para
        previous = para
        kind = _heading_kind(para)
        if kind:
            context = kind
            if kind != "other":
                continue
        # List form: 组长：张三（区长）  副组长：李四、王五
        lm = _LIST_LINE.match(para)
        if lm:
            word = lm.group(1)
            if context == "working" or (context == "office" and word != "主任"):
                continue
            if word == "主任":
                if context != "office":
                    continue
                word = "办公室主任"
            add(_position(word, everything), _people(lm.group(2).rstrip("。；;")))
            continue
        # The same list inside a paragraph: …领导小组。组长：张三（县长）；副组长：李四。
        inline = list(re.finditer(rf"(?:^|(?<=[。；;，,]))({_LISTED})[:：]([^；;。]+)", para))
        if inline:
            for im in inline:
                add(_position(im.group(1), everything), _people(im.group(2)))
            continue
        if not re.search(rf"{_IN_PROSE}|主任", para):
            continue
        for clause in re.split(r"[。；;]", para):
            for pm in re.finditer(
                rf"([^。；;：:]*?)(?:兼任|担任|任)(?:领导小组|小组|指挥部)?({_IN_PROSE}|[^，,。；;、任]{{0,8}}?办(?:公室)?主任)",
                clause,
            ):
                word = pm.group(2)
                if word not in _POSITIONS and word != "召集人":
                    word = "办公室主任"
                segment = re.sub(r"^.*?(?:领导小组|小组|联席会议|指挥部)?由", "", pm.group(1))
                segment = re.sub(r"^.*(?:领导小组|指挥部)", "", segment)
                add(_position(word, everything), _people_before(segment))
            # 领导小组办公室设在…，李四兼任主任.
            office = re.search(r"办公室[^。；;]*?[，,]([^，,。；;]+?)(?:兼任|担任|任)主任", clause)
            if office:
                add("办公室主任", _people(office.group(1)))
            for pm in re.finditer(rf"({_IN_PROSE})由([^，,。；;]+?)(?:兼任|担任|组成|任)", clause):
                word = pm.group(1)
                add(_position(word, everything), _people(pm.group(2)) if word != "成员" else [pm.group(2)])
            for pm in re.finditer(rf"([^，,。；;：:]+?)为(?:领导小组|小组|指挥部)?({_IN_PROSE})", clause):
                segment = re.sub(r"^.*由", "", pm.group(1))
                add(_position(pm.group(2), everything), _people(segment))
    rank = {"组长": 0, "副组长": 1, "成员": 2, "办公室主任": 3}
    return sorted(members, key=lambda m: rank[m.position])
