"""How the office writes an indicator's figure in a report, when it wrote no
sentence pattern for it:

    indicator_sentence(indicator, Decimal("22"))  # 开展普法宣传活动22场

Pure: it reads the indicator's name, measure unit, aggregation and target
and never the database. The sentence has no closing punctuation; the report
joins sentences with commas. An indicator's own sentence pattern, when it
has one, still wins.
"""

import re
from decimal import Decimal

from tasks.models import Indicator, figure

# Names that start with one of these are actions: the figure follows the name
# (开展普法宣传活动22场). Longest first, so 组织开展 is not read as 组织.
VERBS = sorted(
    """开展 发放 组织 培训 举办 召开 完成 办理 处置 建成 建设 新建 改建 改造 创建 印发 制定 出台 修订
    查处 检查 督促 督查 指导 落实 推进 设立 建立 播放 张贴 发布 编印 印制 制作 宣传 宣讲 受理 接待
    清理 清运 整治 治理 种植 栽植 新增 实施 签订 签约 走访 慰问 招募 救助 投入 筛查 接种 监测 抽检
    抽查 调解 化解 排查 核查 回访 评选 表彰 开通 配备 聘请 审核 处理 上报 报送 整改 录入 组建 成立
    打造 收集 下发 回收 征集 摸排 巡查 巡逻 联合 参加 参与 培育 推广 普及 提供 免费 评审 认定 命名
    筹集 开工 拆除 取缔 立案 移送 办结 答复 解决 帮扶 救治 转诊 随访 体检 管理 服务 覆盖 新建成 累计""".split(),
    key=len,
    reverse=True,
)

# Noun phrases that take 为 before the figure (罚款金额为1200元); other nouns
# read well with the figure right after them (“六进”受益机构68家).
MEASURES = ("金额", "总额", "资金", "经费", "数量", "人数", "户数", "次数", "件数", "总数", "面积", "长度",
            "比例", "占比", "指数", "水平", "规模", "值", "量", "数", "率", "得分", "分值", "排名")

TRAILING_UNIT = re.compile(r"[（(]([^（）()]{1,6})[）)]$")


def split_name(name, unit):
    """The name without a trailing （场） or question mark, and the unit it
    names when the indicator has none."""
    name = name.strip().rstrip("？?。；;，, ")
    found = TRAILING_UNIT.search(name)
    if found:
        name = name[: found.start()].rstrip()
        unit = unit or found.group(1)
    return name, unit.strip()


def starts_with_verb(name):
    return any(name.startswith(verb) for verb in VERBS)


def number(value, unit):
    """22场, 98%, 1200元: the figure as the office writes it."""
    return f"{figure(value)}{unit}"


def is_rate(name, unit):
    return unit == "%" or name.endswith("率")


def target_clause(indicator, value, unit):
    """，达到98%的目标 / ，未达到98%的目标; "" without a target."""
    met = indicator.is_met(value)
    if met is None:
        return ""
    target = number(indicator.target_value, unit)
    if indicator.comparison == Indicator.Comparison.AT_MOST:
        return f"，控制在{target}以内的目标" + ("已实现" if met else "未实现")
    return f"，{'达到' if met else '未达到'}{target}的目标"


def indicator_sentence(indicator, value):
    """The sentence an indicator's year figure speaks in, or "" when nothing
    was reported. The office's own pattern wins when it wrote one."""
    if value is None:
        return ""
    if indicator.sentence_pattern:
        return indicator.sentence(value)
    value = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    name, unit = split_name(indicator.name, indicator.measure_unit)
    if is_rate(name, unit):
        unit = "%"
    if name.startswith("是否") and unit in ("", "个", "项"):
        # A yes/no question (是否建立工作台账) is answered, not counted.
        done = name[2:]
        return f"已{done}" if value else f"尚未{done}"
    verb = starts_with_verb(name) and not is_rate(name, unit)
    if verb and unit and unit != "%":
        # 发放宣传资料份数（份）→ 发放宣传资料1000份: the unit is not said twice.
        for tail in (unit + "数", "数量", unit):
            if name.endswith(tail) and len(name) > len(tail) + 1:
                name = name[: -len(tail)]
                break
    figure_text = number(value, unit)
    aggregation = indicator.aggregation
    if aggregation == Indicator.Aggregation.AVERAGE:
        core = f"平均{name}{figure_text}" if verb else f"{name}平均为{figure_text}"
    elif aggregation == Indicator.Aggregation.MAX:
        core = f"{name}最多达{figure_text}" if verb else f"{name}最高为{figure_text}"
    else:
        # 健康家庭创建比例为30%, but 回访满意率98%, 地区生产总值增长6%.
        says_is = not verb and name.endswith(MEASURES) and not name.endswith("率")
        core = f"{name}{'为' if says_is else ''}{figure_text}"
        if aggregation == Indicator.Aggregation.LATEST:
            core = f"截至年底，{core}"
    return core + target_clause(indicator, value, unit)
