"""Staff and hospital pages: the window, publicity, and the comments of one notice.

Staff (巡察办) see every notice and alone decide publicity; a hospital clerk
sees and handles the comments on their own hospital's notices; anyone else
gets 404, as if the notice did not exist.
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from tracking.roles import clerk_institution_id, is_reviewer

from ..exports import comments_csv, comments_xlsx
from ..forms import HandleForm, ReasonForm, WindowForm
from ..models import DisclosureChange, PublicComment
from ..selectors import managed_notice_or_404, managed_notices, notice_comments, readable_notices
from ..services import (
    DisclosureRefused,
    comment_mark_handled,
    notice_publish,
    notice_republish,
    notice_set_disclosure_window,
    notice_unpublish,
)
from ..window import days_left, disclosure_window, local_today, window_state

_HANDLED_FILTER = {"open": False, "handled": True}


def _require_role(user):
    if not (is_reviewer(user) or clerk_institution_id(user) is not None):
        raise PermissionDenied("无权查看公众意见")


@login_required
@require_GET
def manage_list(request):
    _require_role(request.user)
    today = local_today()
    page = Paginator(managed_notices(request.user), 50).get_page(request.GET.get("page"))
    for notice in page:
        notice.window_state = window_state(disclosure_window(notice), today)
    return render(request, "disclosure/manage/list.html", {"page": page, "today": today})


@login_required
@require_GET
def manage_notice(request, pk):
    notice = managed_notice_or_404(request.user, pk)
    return _render_manage(request, notice)


@login_required
@require_POST
def set_window(request, pk):
    notice = managed_notice_or_404(request.user, pk)
    form = WindowForm(request.POST)
    if not form.is_valid():
        return _render_manage(request, notice, window_form=form, status=400)
    data = form.cleaned_data
    try:
        notice = notice_set_disclosure_window(notice=notice, start=data["start"], end=data["end"],
                                     working_days=data["working_days"], reason=data["reason"], user=request.user)
    except DisclosureRefused as refused:
        form.add_error(None, refused.message)
        return _render_manage(request, notice, window_form=form, status=400)
    messages.success(request, f"公开期限已保存：{notice.disclosure_start:%Y年%-m月%-d日}至{notice.disclosure_end:%Y年%-m月%-d日}。")
    return redirect("disclosure:manage_notice", pk=notice.pk)


@login_required
@require_POST
def publish(request, pk):
    return _publicity(request, pk, notice_publish, "已发布公开。")


@login_required
@require_POST
def unpublish(request, pk):
    return _publicity(request, pk, notice_unpublish, "已撤下公开。")


@login_required
@require_POST
def republish(request, pk):
    return _publicity(request, pk, notice_republish, "已恢复公开。")


def _publicity(request, pk, service, done):
    notice = managed_notice_or_404(request.user, pk)
    if not is_reviewer(request.user):
        raise PermissionDenied("只有巡察办工作人员可以设置公开")
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        service(notice=notice, user=request.user, reason=form.cleaned_data.get("reason", ""))
    except DisclosureRefused as refused:
        messages.warning(request, refused.message)
    else:
        messages.success(request, done)
    return redirect("disclosure:manage_notice", pk=notice.pk)


@login_required
@require_POST
def comment_handle(request, pk):
    comment = get_object_or_404(PublicComment.objects.visible_to(request.user), pk=pk)
    form = HandleForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["reply_note"][0])
    else:
        try:
            comment_mark_handled(comment=comment, user=request.user, reply_note=form.cleaned_data["reply_note"])
        except DisclosureRefused as refused:
            messages.warning(request, refused.message)
        else:
            messages.success(request, "已标记为已处理。")
    return redirect(f"{reverse('disclosure:manage_notice', args=[comment.notice_id])}#comment-{comment.pk}")


@login_required
@require_GET
def export_comments(request, pk, fmt):
    notice = managed_notice_or_404(request.user, pk)
    comments = notice_comments(request.user, notice).order_by("created_at", "id")
    stamp = local_today().strftime("%Y%m%d")
    if fmt == "xlsx":
        body, content_type = comments_xlsx(comments), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body, content_type = comments_csv(comments), "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="comments-{notice.pk}-{stamp}.{fmt}"'
    return response


def _render_manage(request, notice, *, window_form=None, status=200):
    today = local_today()
    window = disclosure_window(notice)
    show = request.GET.get("show", "")
    comments = notice_comments(request.user, notice, handled=_HANDLED_FILTER.get(show))
    reviewer = is_reviewer(request.user)
    if reviewer and window_form is None:
        window_form = WindowForm(initial={"start": notice.disclosure_start, "end": notice.disclosure_end})
    return render(request, "disclosure/manage/notice.html", {
        "notice": notice,
        "window": window,
        "state": window_state(window, today),
        "is_public": readable_notices(today).filter(pk=notice.pk).exists(),
        "days_left": days_left(window, today) if window else None,
        "can_set_publicity": reviewer,
        "window_form": window_form if reviewer else None,
        "comments": Paginator(comments, 50).get_page(request.GET.get("page")),
        "show": show,
        "counts": {"all": notice_comments(request.user, notice).count(),
                   "open": notice_comments(request.user, notice, handled=False).count()},
        "changes": DisclosureChange.objects.filter(notice=notice).select_related("changed_by")[:20] if reviewer else [],
    }, status=status)
