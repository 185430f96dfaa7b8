from django.core.management.base import BaseCommand, CommandError

from notices.integrity import notice_files_verify
from notices.models import Notice


class Command(BaseCommand):
    help = "核对每个已存原始文件的 SHA-256 是否与上传时一致（缺失或被改动时以非零状态退出）"

    def handle(self, *args, **options):
        total = Notice.objects.count()
        problems = list(notice_files_verify())
        for p in problems:
            label = "文件缺失" if p.problem == "missing" else "内容与上传时不一致"
            self.stderr.write(f"通报 {p.notice_id}: {label} ({p.path})")
        if problems:
            raise CommandError(f"{len(problems)}/{total} 个原始文件有问题")
        self.stdout.write(f"全部 {total} 个原始文件与其 SHA-256 一致")
