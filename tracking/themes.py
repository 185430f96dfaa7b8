"""Problem themes (问题主题): a keyword list staff can read and argue with.

An issue belongs to a theme when its title or its text contains one of the
theme's keywords, as plain substrings.  No weights and no model: a reviewer
who doubts a match can open /progress/themes/, read the list, and find the
word in the issue.  An issue may belong to several themes, or to none.

Keys are stable identifiers used in URLs (``?theme=medical_insurance``);
labels and keywords are what staff see.  Adding a keyword changes which
issues match, so say why in the commit.
"""
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q


@dataclass(frozen=True)
class Theme:
    key: str
    label: str
    keywords: tuple[str, ...]
    note: str = ""


THEMES: tuple[Theme, ...] = (
    Theme("finance", "财务", ("财务", "财经", "预算", "资产", "往来账", "欠费", "会计", "收支", "资金", "票据", "公务卡"),
          "财务与资产管理、预算执行"),
    Theme("medical_insurance", "医保", ("医保", "医疗保障", "违规收费", "物价收费", "收费标准", "医疗服务价格", "套保", "骗保"),
          "医保基金使用与医疗收费"),
    Theme("ethics", "医德医风", ("医德医风", "红包", "回扣", "行风", "廉洁从业", "九项准则", "患者投诉", "群众利益"),
          "医务人员职业道德与行业作风"),
    Theme("ideology", "意识形态", ("意识形态", "理论学习", "中心组", "宣传", "新媒体", "舆情", "网络阵地"),
          "意识形态工作责任制与理论学习"),
    Theme("personnel", "选人用人", ("选人用人", "干部选拔", "干部任用", "干部队伍", "人才", "招聘", "职称", "人事档案", "个人有关事项"),
          "干部选拔任用、人才与人事管理"),
    Theme("party_building", "党建/基层组织", ("党建", "党支部", "基层党组织", "基层组织", "组织生活", "三会一课", "党员发展",
                                              "党费", "民主生活会", "组织建设"),
          "党的建设与基层党组织"),
    Theme("conduct", "中央八项规定/作风", ("八项规定", "四风", "公务接待", "公务车辆", "公车", "津补贴", "福利", "形式主义",
                                           "官僚主义", "作风"),
          "中央八项规定精神与工作作风"),
    Theme("procurement", "招标采购", ("招标", "采购", "投标", "供应商", "合同管理", "中标", "基建", "工程项目"),
          "招标采购、合同与基建项目"),
    Theme("drugs_supplies", "药品耗材", ("药品", "耗材", "医疗器械", "设备采购", "药库", "试剂", "带量采购"),
          "药品、耗材与医疗设备管理"),
    Theme("safety_secrecy", "安全生产/保密", ("安全生产", "消防", "保密", "网络安全", "信息安全", "数据安全", "安全隐患"),
          "安全生产、保密与网络安全"),
    Theme("responsibility", "主体责任/监督", ("主体责任", "监督责任", "一岗双责", "全面从严治党", "纪委", "党风廉政",
                                              "内部控制", "内控", "权力运行"),
          "管党治党责任落实与内部监督"),
    Theme("previous_findings", "上轮巡察/审计问题", ("上一轮巡察", "上轮巡察", "审计", "整改落实", "主题教育"),
          "以往巡察、审计发现问题的整改"),
)

BY_KEY = {theme.key: theme for theme in THEMES}
CHOICES = [(theme.key, theme.label) for theme in THEMES]


def theme_q(key: str, prefix: str = "") -> Q:
    """A filter matching the issues of theme ``key``; ``prefix`` reaches issues through a relation."""
    theme = BY_KEY[key]
    lookups = [Q(**{f"{prefix}{field}__contains": word}) for word in theme.keywords for field in ("title", "text")]
    return reduce(or_, lookups)


def themes_of(*texts: str) -> list[Theme]:
    """The themes whose keywords occur in any of ``texts`` (the same rule as ``theme_q``)."""
    joined = "\n".join(t for t in texts if t)
    return [theme for theme in THEMES if any(word in joined for word in theme.keywords)]


def matched_keywords(theme: Theme, *texts: str) -> list[str]:
    """Which of the theme's keywords occur, so a page can say why an issue matched."""
    joined = "\n".join(t for t in texts if t)
    return [word for word in theme.keywords if word in joined]
