"""``python -m notices.parsing.cli [--json] FILE``: parse one notice file.

Prints a short Chinese summary, or with ``--json`` the ``ParsedNotice`` as JSON
(the shape ``../shared/tools/score_parse.py`` scores).  A bad file prints its
Chinese message on stderr and exits 1.  The Django command ``parse_notice``
calls ``run`` here, so both behave the same.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from . import parse_bytes
from .errors import NoticeFileError
from .result import ParsedNotice

_STATUS_CN = {"completed": "已完成", "in_progress": "正在整改", "long_term": "长期坚持", "not_stated": "未写明"}


def summary(parsed: ParsedNotice) -> str:
    """A readable Chinese summary of a parse."""
    if not parsed.is_rectification_notice:
        lines = ["【未识别为巡察整改通报】"]
        lines += [f"提示：{w.message}" for w in parsed.warnings]
        return "\n".join(lines)

    def v(x):
        return "—" if x in (None, "", []) else str(x)

    d = parsed.declared
    lines = [
        f"标题：{v(parsed.title)}",
        f"被巡察单位：{v(parsed.institution)}" + (f"（又称：{'、'.join(parsed.institution_aliases)}）" if parsed.institution_aliases else ""),
        f"巡察主体：{v(parsed.inspecting_body)}　轮次：{v(parsed.round)}　巡察组：{v(parsed.inspection_group)}",
        f"巡察时间：{v(parsed.inspection_start)} 至 {v(parsed.inspection_end)}　反馈时间：{v(parsed.feedback_date)}",
        f"发布日期：{v(parsed.published_date)}　公开期限：{v(parsed.disclosure_start)} 至 {v(parsed.disclosure_end)}",
        f"联系电话：{v('、'.join(parsed.contacts.phones))}　邮箱：{v('、'.join(parsed.contacts.emails))}　地址：{v('、'.join(parsed.contacts.addresses))}",
        f"通报自述：{v(d.categories)}个方面　{v(d.issues)}个问题　已完成{v(d.completed)}个　正在整改{v(d.in_progress)}个",
    ]
    if parsed.statistics:
        lines.append("统计：" + "，".join(f"{s.label}{s.value}{s.unit}" for s in parsed.statistics))
    lines.append(f"问题：共{len(parsed.issues)}个，分{len(parsed.categories)}个方面；立行立改事项{len(parsed.immediate_items)}个")
    cats = {c.number: c.title for c in parsed.categories}
    current = object()
    for issue in parsed.issues:
        if issue.category != current:
            current = issue.category
            if issue.category:
                lines.append(f"（{issue.category}）{cats.get(issue.category, '')}")
        lines.append(f"  {issue.number}. {issue.title}　[{_STATUS_CN.get(issue.status, issue.status)}]")
    for w in parsed.warnings:
        lines.append(f"提示：{w.message}")
    return "\n".join(lines)


def run(path: str, as_json: bool, out: TextIO, err: TextIO) -> int:
    """Parse ``path`` and print the result; the exit status."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        err.write(f"无法读取文件：{path}（{exc.strerror or exc}）\n")
        return 1
    try:
        _extracted, parsed = parse_bytes(data, Path(path).name)
    except NoticeFileError as exc:
        err.write(f"{exc.message}\n")
        return 1
    if as_json:
        out.write(json.dumps(parsed.to_dict(), ensure_ascii=False) + "\n")
    else:
        out.write(summary(parsed) + "\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m notices.parsing.cli", description="解析一份巡察整改通报文件")
    ap.add_argument("--json", action="store_true", help="输出 JSON")
    ap.add_argument("file")
    args = ap.parse_args(argv)
    return run(args.file, args.json, sys.stdout, sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
