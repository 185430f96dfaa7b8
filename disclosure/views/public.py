"""Public pages, no login: open notices, one notice, its original file, the comment form.

Nothing here reads who uploaded a notice, what the parser warned about,
what staff verified, or any comment: the templates only get public fields.
"""
import logging
import re

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET, require_POST

from tracking import counters
from tracking.models import FeedbackIssue
from tracking.roles import clerk_institution_id, is_reviewer

from .. import ratelimit
from ..forms import CommentForm
from ..selectors import (
    ended_notices,
    notice_outline,
    open_notices,
    paragraphs,
    public_title,
    readable_notice_or_404,
    statement_choices,
)
from ..services import DisclosureRefused, comment_create
from ..window import WindowState, days_left, disclosure_window, local_today, window_state

logger = logging.getLogger(__name__)
ENDED_SHOWN = 30
_UNSAFE_IN_FILENAME = re.compile(r'[\x00-\x1f\\/:*?"<>|]')
_REFUSAL_STATUS = {"closed": 403, "rate_limited": 429}


@require_GET
def notice_list(request):
    today = local_today()
    notices = list(open_notices(today))
    ended = list(ended_notices(today)[:ENDED_SHOWN])
    for notice in notices:
        notice.days_left = days_left(disclosure_window(notice), today)
    for notice in notices + ended:
        notice.public_title = public_title(notice)
    return render(request, "disclosure/list.html", {"open_notices": notices, "ended_notices": ended, "today": today})


@require_GET
def notice_detail(request, pk):
    today = local_today()
    notice = readable_notice_or_404(pk, today)
    return _render_notice(request, notice, today)


@require_POST
def comment_submit(request, pk):
    today = local_today()
    notice = readable_notice_or_404(pk, today)
    choices = statement_choices(notice)
    form = CommentForm(request.POST, issue_choices=choices)
    if window_state(disclosure_window(notice), today) is not WindowState.OPEN:
        return _render_notice(request, notice, today, refusal="公示期已结束，不再接收意见。", status=403)
    if form.is_bot:
        # Looks like success to the bot; nothing is stored and no one is notified.
        logger.info("comment honeypot filled", extra={"notice_id": notice.pk,
                                                      "client": ratelimit.client_hash(ratelimit.client_address(request))[:8]})
        messages.success(request, "您的意见已提交，感谢您的监督。")
        return redirect(reverse("disclosure:notice", args=[notice.pk]))
    if not form.is_valid():
        return _render_notice(request, notice, today, form=form, status=400)
    issue_id = form.cleaned_data["issue"]
    try:
        comment_create(
            notice=notice, text=form.cleaned_data["text"], name=form.cleaned_data["name"],
            contact=form.cleaned_data["contact"], issue=FeedbackIssue.objects.filter(pk=issue_id).first() if issue_id else None,
            client_address=ratelimit.client_address(request), today=today,
        )
    except DisclosureRefused as refused:
        return _render_notice(request, notice, today, form=form, refusal=refused.message,
                              status=_REFUSAL_STATUS.get(refused.code, 400))
    messages.success(request, "您的意见已提交，感谢您的监督。")
    return redirect(reverse("disclosure:notice", args=[notice.pk]))


@require_GET
def original_file(request, pk):
    notice = readable_notice_or_404(pk, local_today())
    try:
        handle = notice.file.open("rb")
    except FileNotFoundError:
        raise Http404("原始文件不存在") from None
    # Named after the notice, not the uploader's file name, which may say more than the notice does.
    filename = f"{_UNSAFE_IN_FILENAME.sub('_', public_title(notice))[:80]}.{notice.format}"
    response = FileResponse(handle, as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _render_notice(request, notice, today, *, form=None, refusal=None, status=200):
    window = disclosure_window(notice)
    state = window_state(window, today)
    if state is WindowState.OPEN and form is None:
        form = CommentForm(issue_choices=statement_choices(notice))
    return render(request, "disclosure/notice.html", {
        "notice": notice,
        "title": public_title(notice),
        # What the notice said is filed in the cache under the version every ledger write bumps
        # (re-parse, correction, acceptance); the outline is only read when the fragment is not.
        "outline": SimpleLazyObject(lambda: notice_outline(notice)),
        "fragment_key": f"{notice.pk}:{counters.version()}",
        "next_steps": paragraphs(notice.next_steps),
        "window": window,
        "state": state,
        "is_open": state is WindowState.OPEN,
        "days_left": days_left(window, today) if state is WindowState.OPEN else None,
        "contacts": _contacts(notice.contacts),
        "inspection_group": _group_label(notice.inspection),
        "form": form if state is WindowState.OPEN else None,
        "refusal": refusal,
        "can_manage": is_reviewer(request.user) or (
            notice.institution_id is not None and clerk_institution_id(request.user) == notice.institution_id),
    }, status=status)


def _contacts(raw) -> dict:
    """Only the three lists the parser fills, as lists of strings, whatever the JSON holds."""
    raw = raw if isinstance(raw, dict) else {}
    return {key: [str(v) for v in raw.get(key) or [] if v] for key in ("phones", "emails", "addresses")}


def _group_label(inspection) -> str:
    """「市委第五巡察组」, whether the parser stored the group with its body or without."""
    if inspection is None or not inspection.group:
        return ""
    body, group = inspection.inspecting_body, inspection.group
    return group if not body or group.startswith(body) else f"{body}{group}"
