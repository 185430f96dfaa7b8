"""``recount_progress``: rebuild the overview's counters from the issue table (repair, or after a bulk load)."""
import time

from django.core.management.base import BaseCommand
from django.db import transaction

from tracking import counters


class Command(BaseCommand):
    help = "按问题表重新统计各巡察的问题数、各单位的最近一次巡察（修复或批量导入后使用）"

    def handle(self, *args, **options):
        started = time.monotonic()
        # One transaction: a reader sees the old counters or the new ones, never half of each.
        with transaction.atomic():
            n = counters.recount_all()
        self.stdout.write(f"recounted {n} inspections in {time.monotonic() - started:.1f}s")
