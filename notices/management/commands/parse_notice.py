"""``python manage.py parse_notice [--json] FILE``: parse a notice file without storing it.

A thin wrapper over ``notices.parsing.cli.run`` so the command and
``python -m notices.parsing.cli`` print the same thing.
"""
from django.core.management.base import BaseCommand

from notices.parsing.cli import run


class Command(BaseCommand):
    help = "解析一份巡察整改通报文件并打印结果（不写入数据库）"

    def add_arguments(self, parser):
        parser.add_argument("file", help="通报文件（.txt / .docx / .pdf / .html）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出完整解析结果")

    def handle(self, *args, **options):
        status = run(options["file"], options["json"], self.stdout, self.stderr)
        if status:
            raise SystemExit(status)
