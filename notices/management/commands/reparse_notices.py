"""Queue notices for another parse through the same Celery task the uploads use."""
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from notices.models import Notice, ParseState
from notices.parsing import PARSER_VERSION
from notices.services import notices_reparse


class Command(BaseCommand):
    help = "重新解析通报：--failed 解析失败的，--outdated 用旧版解析器解析的，--all 全部（已撤回的除外）"

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--failed", action="store_true", help="解析失败的通报")
        which.add_argument("--outdated", action="store_true", help=f"解析器版本不是 {PARSER_VERSION} 的已解析通报")
        which.add_argument("--all", action="store_true", help="全部通报")
        which.add_argument("--id", type=int, nargs="+", help="指定通报编号")

    def handle(self, *args, **options):
        notices = Notice.objects.all()
        if options["failed"]:
            notices = notices.filter(state=ParseState.FAILED)
        elif options["outdated"]:
            notices = notices.filter(state=ParseState.PARSED).filter(~Q(parser_version=PARSER_VERSION))
        elif options["id"]:
            notices = notices.filter(pk__in=options["id"])
            if notices.count() != len(set(options["id"])):
                raise CommandError("有通报编号不存在")
        count = notices_reparse(queryset=notices)
        self.stdout.write(f"已排队重新解析 {count} 份通报（解析器版本 {PARSER_VERSION}）")
