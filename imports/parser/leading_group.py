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
    r"秘书长|常委|队长|站长|经理|委员|调研员|主任科员|负责人|同志)"
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


def extract_leading_group(paras: list[str]) -> list[GroupMember]:
    members: list[GroupMember] = []

    def add(position, names):
        for name in names:
            if name and not any(m.position == position and m.name == name for m in members):
                members.append(GroupMember(position, name))

    for para in paras:
        # List form: 组长：张三（区长）  副组长：李四、王五
        lm = re.match(r"^(组长|副组长|成员|办公室主任)[:：](.+)$", para)
        if lm:
            add(lm.group(1), _people(lm.group(2).rstrip("。；;")))
            continue
        # The same list inside a paragraph: …领导小组。组长：张三（县长）；副组长：李四。
        inline = list(re.finditer(r"(?:^|(?<=[。；;，,]))(组长|副组长|成员|办公室主任)[:：]([^；;。]+)", para))
        if inline:
            for im in inline:
                add(im.group(1), _people(im.group(2)))
            continue
        if not re.search(r"组长|办公室主任|成员", para):
            continue
        for clause in re.split(r"[。；;]", para):
            for pm in re.finditer(r"([^，,。；;：:]*?)(?:兼任|担任|任)(办公室主任|副组长|组长|成员)", clause):
                segment = re.sub(r"^.*?(?:领导小组|小组)?由", "", pm.group(1))
                segment = re.sub(r"^.*领导小组", "", segment)
                add(pm.group(2), _people(segment))
            for pm in re.finditer(r"(办公室主任|副组长|组长|成员)由([^，,。；;]+?)(?:兼任|担任|组成|任)", clause):
                add(pm.group(1), _people(pm.group(2)) if pm.group(1) != "成员" else [pm.group(2)])
            for pm in re.finditer(r"([^，,。；;：:]+?)为(办公室主任|副组长|组长|成员)", clause):
                segment = re.sub(r"^.*由", "", pm.group(1))
                add(pm.group(2), _people(segment))
    rank = {"组长": 0, "副组长": 1, "成员": 2, "办公室主任": 3}
    return sorted(members, key=lambda m: rank[m.position])
