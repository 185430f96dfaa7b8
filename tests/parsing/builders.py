"""Synthetic notices built from the genre's patterns (not from the sample files).

``notice()`` assembles a title, the opening paragraph, optional sections and
the closing; each test changes only the part it is about.
"""
from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED = REPO_ROOT.parent / "shared"
SAMPLES = sorted((SHARED / "notices").glob("*.txt"))
GOLD = SHARED / "gold"

TITLE = "中共某某市人民医院委员会关于市委巡察整改进展情况的通报"
INTRO = (
    "根据市委统一部署，2024年3月11日至5月10日，市委第四巡察组对某某市人民医院党委进行了巡察。"
    "6月20日，市委第四巡察组向医院党委反馈了巡察意见。按照巡察工作有关要求，现将巡察整改进展情况予以公布。"
)
DUTY = (
    "一、党委履行巡察整改主体责任情况\n"
    "（一）提高政治站位。院党委把整改作为重大政治任务。\n"
    "（二）加强组织领导。成立巡察整改工作领导小组。\n"
)
CLOSING = (
    "欢迎广大干部群众对巡察整改落实情况进行监督。如有意见建议，请及时向我们反映。"
    "公开期限：2024年10月8日至10月22日。联系电话：0371-66660000；邮政地址：某某市建设路1号；电子邮箱：rmyy@163.com。"
)
SIGNATURE = "中共某某市人民医院委员会\n2024年10月8日"


def issue_block(number: str, title: str, status_line: str = "整改情况：已完成整改。", measures: str = "一是完善制度。二是加强学习。") -> str:
    return f"{number}{title}\n{status_line}{measures}\n"


def notice(body: str, *, title: str = TITLE, intro: str = INTRO, duty: str = DUTY,
           next_steps: str = "三、下一步工作打算\n（一）持续巩固整改成果。\n1.加强学习。\n2.完善制度。\n",
           closing: str = CLOSING, signature: str = SIGNATURE) -> str:
    parts = [title, intro, duty, body, next_steps, closing, signature]
    return "\n".join(p.rstrip("\n") for p in parts if p) + "\n"


def standard_body(n_categories: int = 2, per_category: int = 2, restart: bool = False,
                  status_line: str = "整改情况：已完成整改。") -> str:
    cn = "一二三四五六七八九十"
    lines = ["二、巡察反馈问题整改落实情况"]
    k = 0
    for c in range(n_categories):
        lines.append(f"（{cn[c]}）关于第{cn[c]}方面的问题")
        for i in range(per_category):
            k += 1
            num = i + 1 if restart else k
            lines.append(issue_block(f"{num}.", f"第{k}个问题整改不到位。", status_line).rstrip("\n"))
    return "\n".join(lines) + "\n"
