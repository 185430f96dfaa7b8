"""What a heading's words say it is: a finding, a measure, a category, a part of the notice.

These are the word lists the classifier weighs; each test returns the words
that decided it, so a classification can say why.  All run on match-view text.

- A *finding* names a shortcoming: 不到位, 不够, 不足, 有差距, 不规范, 不严格,
  滞后, 薄弱, 缓慢, 欠缺, 存在…问题, 关于“…”问题, a heading ending in 问题.
- A *measure* names an action: it opens with 加强, 强化, 提高, 完善, 建立, 细化,
  压实, 迅速部署… and names no shortcoming.
- A *category* names an area: …方面, 反馈问题：…, 在“…”方面, 第一类问题.
"""
from __future__ import annotations

import re

from .details import status_of_section_title

_SHORTCOMING_RE = re.compile(
    r"不到位|不够|不足|有差距|差距(?:较大|明显|大)|不规范|不严格|不严(?!肃)|滞后|薄弱|缓慢|欠缺|不力|不深入|不全面|不及时|不健全|"
    r"不完善|不明确|不清晰|不清|不精准|不扎实|不充分|不强|不高|不实|不细|不透明|不合理|不科学|不彻底|不坚决|不落实|不平衡|"
    r"不紧|不深|不严谨|不主动|不得力|不均衡|不畅|不一致|不匹配|不准确|不完整|不统一|不便利|不便|不佳|不当|不正确|不正常|"
    r"不聚焦|不过硬|不牢|不优|不灵活|不顺|不善|不敢|不愿|不会|不想|"
    r"未落实|未按|未能|未严格|未及时|未建立|未执行|未开展|未完成|未达到|未全面|未有效|未形成|未纳入|未经|未予|未对|未将|未做|未如实|未认真|"
    r"没有|缺乏|缺少|缺失|缺位|短板|漏洞|盲区|死角|弱化|淡化|虚化|边缘化|形式化|走过场|形式主义|官僚主义|"
    r"违规|违纪|违法|违反|超标|超范围|超编|超期|超额|超职数|超预算|偏高|偏低|偏差|过多|过高|过大|过度|较多|较大|较弱|较低|"
    r"亟待|有待|仍需|尚需|尚未|仍存在|仍有|隐患|风险点|畏难|懈怠|松懈|宽松软|失之于宽|失职|乱作为|不作为|慢作为|庸懒散|"
    r"乱象|混乱|随意|浅尝辄止|流于形式|打折扣|搞变通|有偏差|有欠缺|有短板|不严不实|不担当|不作为|重[^,，。]{1,6}轻|"
    r"以会议落实会议|以文件落实文件|问题突出|突出问题|现象突出|困难较多|问题较多|存在[^。]{2,40}?(?:问题|现象|风险|情况|不足|差距|短板|隐患)"
)
_PROBLEM_TAIL_RE = re.compile(r"(?:问题|现象|隐患)(?:的整改)?(?:情况)?$")
_QUOTED_PROBLEM_RE = re.compile(r"^(?:关于)?“[^”]{2,80}”(?:的)?问题")
_ACTION_START_RE = re.compile(
    r"^(?:进一步|持续|切实|全面|坚决|深入|扎实|认真|着力|大力|不断|严格|加快|加大|积极|始终|坚持|狠抓|聚焦|围绕|立足|"
    r"抓好|抓实|抓牢|抓细|做好|做实|做细|推进|推动|强化|加强|提高|提升|完善|健全|建立|建设|细化|压实|压紧|落实|规范|优化|"
    r"开展|制定|修订|迅速|统一|夯实|筑牢|构建|打造|实施|增强|树牢|树立|深化|巩固|拓展|贯彻|学习|严抓|严守|从严|守牢|织密|"
    r"转化|注重|突出|对标|对照|紧盯|紧扣|压紧压实|高位推动|精心|周密|迅速|及时|主动|层层|逐项|建章立制|以[\u4e00-\u9fff]{1,4}[促为带保强]|"
    r"针对|组织|召开|印发|出台|成立|依托|利用|结合|按照|根据|通过|邀请|聘请|约谈|督促|指导|清理|清退|追缴|补齐|整合|"
    r"提高政治站位|强化组织领导|加强组织领导|统一思想|统一认识)"
)
_CATEGORY_RE = re.compile(
    r"方面(?:的)?(?:问题|存在的问题)?$|方面[:：]|领域(?:的)?(?:问题)?$|^反馈问题[:：]|^在“[^”]+”方面|类问题|^第[一二三四五六七八九十]+类|"
    r"^(?:关于)?(?:聚焦|坚持|贯彻|落实|加强)[^。]{2,60}(?:方面|情况)$"
)


def shortcoming_words(title: str) -> str:
    """The words that make ``title`` name a shortcoming, or ""."""
    if _QUOTED_PROBLEM_RE.search(title):
        return _QUOTED_PROBLEM_RE.search(title).group(0)
    m = _SHORTCOMING_RE.search(title)
    if m:
        return m.group(0)
    m = _PROBLEM_TAIL_RE.search(title)
    if m and not re.search(r"(?:整改|落实|完成|进展|工作)(?:的)?情况$", title):
        return m.group(0)
    return ""


def reads_as_finding(title: str) -> bool:
    return bool(shortcoming_words(title))


def strong_shortcoming(title: str) -> str:
    """Words naming a shortcoming themselves (not just a heading ending in 「问题」, as a category may)."""
    m = _QUOTED_PROBLEM_RE.search(title) or _SHORTCOMING_RE.search(title)
    return m.group(0) if m else ""


def action_words(title: str) -> str:
    """The opening verb that makes ``title`` read as a measure (only when it names no shortcoming)."""
    if shortcoming_words(title):
        return ""
    m = _ACTION_START_RE.match(title.lstrip("“\"‘"))
    return m.group(0) if m else ""


def opens_with_action(title: str) -> str:
    """The opening verb of ``title`` whatever else it says: 「针对学习不深入的问题，组织专题学习」
    names a shortcoming but is a measure taken against it."""
    m = _ACTION_START_RE.match(title.lstrip("“\"‘"))
    return m.group(0) if m else ""


def reads_as_measure(title: str) -> bool:
    return bool(action_words(title))


def category_words(title: str) -> str:
    m = _CATEGORY_RE.search(title)
    return m.group(0) if m else ""


# ------------------------------------------------------------ parts of a notice
NEXT_TITLE_RE = re.compile(
    r"^(?:(?:下一步|下步|今后|后续)(?:的)?(?:全面)?(?:工作|推进|深化|巩固)?(?:整改)?(?:工作)?"
    r"(?:打算|计划|安排|举措|措施|思路|方向|重点|目标|努力方向|设想)(?:和措施|及措施)?|(?:下一步|下步)(?:工作)?|"
    r"(?:持续|继续)?(?:巩固|深化)(?:拓展)?整改成果(?:的)?(?:打算|计划|举措|措施)?|(?:持续|继续)深化整改(?:的)?(?:打算|计划|举措|措施)?|"
    r"(?:巩固|深化)(?:整改)?成效(?:的)?(?:打算|举措|措施)|(?:关于)?(?:下一步|后续|今后)[\u4e00-\u9fff]{0,10}(?:打算|计划|安排|举措|措施))$"
)
_LATE_NEXT_RE = re.compile(r"下一步|下步|今后|后续|巩固|深化|长效|常态|持续")
IMMEDIATE_TITLE_RE = re.compile(r"立行立改")
ORG_TITLE_RE = re.compile(
    r"主体责任|主要负责人|第一责任人|组织领导|加强领导|组织实施|总体情况|基本情况|整改工作开展|整改工作总体|整改工作推进情况|"
    r"工作开展情况|整改工作情况$|整改工作组织|组织整改|组织落实|(?:整改工作)?组织(?:落实|实施|开展)?(?:整改)?(?:工作)?情况$|"
    r"精心部署|迅速部署|统筹部署|高度重视|提高政治站位|提高思想认识|统一思想|统一认识|压实责任|压实整改责任|强化责任|"
    r"整改工作(?:的)?(?:主要)?(?:做法|举措|措施)|(?:主要)?做法(?:和成效)?$"
)
PROBLEM_LIST_TITLE_RE = re.compile(
    r"反馈(?:的)?(?:意见|问题)|问题(?:的)?整改|整改(?:落实|进展|推进|完成)?(?:情况|进展)|整改任务|具体问题|问题清单|"
    r"存在的问题|发现的问题|指出的问题|整改事项|整改台账|问题.{0,4}(?:整改|落实)"
)
SUMMARY_TITLE_RE = re.compile(r"(?:情况|进展|问题|状态|清单)(?:汇总|一览)(?:表)?$|(?:汇总|一览|统计)表$|整改(?:完成)?情况(?:汇总|统计)")
_QUOTED = re.compile(r"“[^”]{0,80}”")


def part_of_notice(title: str, *, after_issues: bool = False) -> tuple[str, str] | None:
    """("next" | "immediate" | "status" | "summary" | "org" | "problems", the words) for a top-level title."""
    t = title.strip().rstrip("。:：")
    if len(t) > 120:
        return None  # no part of a notice has a title this long
    plain = _QUOTED.sub("", t)
    if NEXT_TITLE_RE.match(t):
        return "next", t
    if IMMEDIATE_TITLE_RE.search(plain) and len(t) <= 30 and re.search(r"(?:情况|事项|问题|整改)$", t):
        return "immediate", IMMEDIATE_TITLE_RE.search(plain).group(0)
    if status_of_section_title(t):
        return "status", t
    if after_issues and SUMMARY_TITLE_RE.search(t):
        return "summary", SUMMARY_TITLE_RE.search(t).group(0)
    m = PROBLEM_LIST_TITLE_RE.search(plain)
    org = ORG_TITLE_RE.search(plain)
    if org and not (m and re.search(r"反馈(?:意见|问题)|问题整改|具体问题|问题清单", plain)):
        return "org", org.group(0)
    if m:
        return "problems", m.group(0)
    if after_issues and _LATE_NEXT_RE.search(plain) and not re.search(r"问题|方面", plain):
        return "next", _LATE_NEXT_RE.search(plain).group(0)
    return None
