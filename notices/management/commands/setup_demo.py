"""Development set-up for ``make run``: demo accounts, then the sample notices through the upload path.

Each sample is then accepted by ``demo_staff`` as a reviewer would (visible in
its review history), so the overview is not empty; the first is published
with a 公开期限 that includes today (recorded as a demo action), because every
sample's own period has long passed and ``/public/`` would show nothing.
Idempotent: accounts are reused (their passwords reset to the printed
development ones), the sha256 dedupe makes a second import harmless, and an
accepted or published sample is left as it is.  Refuses to run in production.
"""
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError

from disclosure.services import notice_publish, notice_set_disclosure_window
from disclosure.window import local_today
from notices.models import AWAITING_REVIEW, ParseState
from notices.selectors import notice_summary
from notices.services import notice_create
from review.services import notice_accept
from tracking.models import InstitutionMember
from tracking.roles import CLERK_GROUP, STAFF_GROUP

STAFF_USERNAME = "demo_staff"
STAFF_PASSWORD = "zhenggai-staff-2026"
CLERK_PASSWORD = "zhenggai-clerk-2026"
DEFAULT_NOTICES = settings.BASE_DIR.parent / "shared" / "notices"
DEMO_NOTE = "演示数据：setup_demo 以工作人员身份审核通过示例通报"
DEMO_PUBLISH = "演示数据：示例通报的公开期限早已结束，setup_demo 设定一个包含今天的期限并发布，便于查看公开页面"
DEMO_WORKING_DAYS = 15


class Command(BaseCommand):
    help = "开发环境：创建演示账号，并通过正常上传流程导入示例通报（生产环境拒绝执行）"

    def add_arguments(self, parser):
        parser.add_argument("--notices", type=Path, default=DEFAULT_NOTICES, help="示例通报目录")
        parser.add_argument("--wait", type=float, default=180, help="有独立 worker 时等待每份通报解析完成的秒数")

    def handle(self, *args, notices: Path, wait: float, **options):
        if settings.PRODUCTION:
            raise CommandError("setup_demo 只用于开发环境，RECTIFY_PRODUCTION=1 时拒绝执行")
        staff = _account(STAFF_USERNAME, STAFF_PASSWORD, STAFF_GROUP, is_staff=True)
        self.stdout.write(f"工作人员账号：{STAFF_USERNAME} / {STAFF_PASSWORD}（巡察办工作人员，可进入后台）")

        paths = sorted(p for p in notices.glob("*") if p.is_file()) if notices.is_dir() else []
        if not paths:
            self.stdout.write(self.style.WARNING(f"未找到示例通报：{notices}"))
        accepted = []
        for index, path in enumerate(paths, start=1):
            notice, created = notice_create(data=path.read_bytes(), filename=path.name, uploaded_by=staff)
            notice = _finished(notice, wait)
            if notice.state == ParseState.PARSED and notice.review_state in AWAITING_REVIEW:
                notice = notice_accept(notice=notice, user=staff, note=DEMO_NOTE)
            if notice.is_accepted:
                accepted.append(notice)
            self.stdout.write(f"\n{path.name}：{'已导入' if created else '此前已导入'}，{notice.status_label}")
            self._summary(notice)
            if notice.institution_id:
                clerk = _account(f"clerk{index}", CLERK_PASSWORD, CLERK_GROUP)
                InstitutionMember.objects.update_or_create(user=clerk, defaults={"institution": notice.institution})
                self.stdout.write(f"  医院填报员账号：{clerk.username} / {CLERK_PASSWORD}（{notice.institution}）")
        self._publish_one(accepted, staff)

    def _publish_one(self, accepted, staff):
        if not accepted or any(n.published_at for n in accepted):
            return
        notice, today = accepted[0], local_today()
        notice = notice_set_disclosure_window(notice=notice, start=today, working_days=DEMO_WORKING_DAYS, user=staff,
                                              reason=DEMO_PUBLISH)
        notice_publish(notice=notice, user=staff, reason=DEMO_PUBLISH)
        self.stdout.write(f"\n已发布公开（演示）：{notice}，公开期限 {notice.disclosure_start} 至 {notice.disclosure_end}")

    def _summary(self, notice):
        if notice.error:
            self.stdout.write(self.style.ERROR(f"  {notice.error}"))
        summary = notice_summary(notice)
        if summary is None:
            return
        counts = "，".join(f"{c['label']} {c['count']}" for c in summary["by_status"])
        self.stdout.write(f"  单位：{(summary['institution'] or {}).get('name', '未确定')}；"
                          f"巡察：{(summary['inspection'] or {}).get('name', '未确定')}")
        self.stdout.write(f"  问题 {summary['issues']} 个：{counts}")
        for warning in summary["warnings"]:
            self.stdout.write(f"  提示：{warning['message']}")


def _finished(notice, wait: float):
    """With a real worker (REDIS_URL set) the parse runs elsewhere: wait for it, so clerks can be bound."""
    from rectify_site.celery import app

    deadline = time.monotonic() + (0 if app.conf.task_always_eager else wait)
    notice.refresh_from_db()
    while notice.state in (ParseState.QUEUED, ParseState.PARSING) and time.monotonic() < deadline:
        time.sleep(0.5)
        notice.refresh_from_db()
    return notice


def _account(username, password, group_name, *, is_staff=False) -> User:
    user, _ = User.objects.get_or_create(username=username, defaults={"is_staff": is_staff})
    user.set_password(password)
    user.is_staff = user.is_staff or is_staff
    user.is_active = True
    user.save()
    user.groups.add(Group.objects.get(name=group_name))
    return user
