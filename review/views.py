"""The review pages (staff only): the queue, one notice beside its parse, and the decisions posted from it.

Views only present and hand the form data to ``review.services``; a refusal
comes back as a Chinese message on the review page.
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from notices.models import Notice, ReviewState
from notices.parsing.result import STATUSES
from tracking.models import Institution, RectificationStatus
from tracking.roles import is_reviewer

from . import selectors, services
from .changes import HEADER_LABELS
from .models import Correction

_NOT_DATA = {"csrfmiddlewaretoken", "kind", "reason"}


def _staff_only(request):
    if not is_reviewer(request.user):
        raise PermissionDenied("只有巡察办工作人员可以审核通报")


@login_required
@require_GET
def queue(request):
    _staff_only(request)
    filterset = selectors.ReviewQueueFilter(request.GET, queryset=selectors.review_queue())
    page = Paginator(filterset.qs, 30).get_page(request.GET.get("page"))
    return render(request, "review/queue.html", {"filter": filterset, "page_obj": page,
                                                 "total": selectors.queue_count()})


@login_required
@require_GET
def notice_review(request, pk):
    _staff_only(request)
    notice = get_object_or_404(Notice.objects.select_related("institution", "uploaded_by", "duplicate_of"), pk=pk)
    layout = selectors.review_layout(notice)
    selected = request.GET.get("issue", "")
    highlighted = set()
    for view in layout.issues:
        if str(view.index) == selected:
            highlighted.update(view.lines)
    return render(request, "review/notice.html", {
        "notice": notice,
        "layout": layout,
        "lines": [(number, line, number in highlighted) for number, line in enumerate(layout.lines)],
        "selected": selected,
        "can_decide": notice.state == "parsed" and not notice.is_withdrawn
        and notice.review_state in services.CORRECTABLE,
        "can_accept": not notice.is_withdrawn and notice.state == "parsed" and (
            notice.review_state in (ReviewState.PENDING, ReviewState.MISMATCH)
            or notice.review_state == ReviewState.ACCEPTED and notice.needs_recheck),
        "institutions": Institution.objects.order_by("name").only("pk", "name"),
        "statuses": [(value, label) for value, label in RectificationStatus.choices if value in STATUSES],
        "header_fields": _header_fields(layout.result),
        "stale": [c for c in layout.corrections if not c.is_revoked and c.outcome == Correction.Outcome.STALE],
        "outline": [(entry, OUTLINE_ROLES.get(entry.role, entry.role)) for entry in layout.parsed.outline],
    })


# What the parser took each heading to be (ParsedNotice.outline roles), as a reviewer reads it.
OUTLINE_ROLES = {
    "org_work": "整改工作组织情况（不是问题）", "problem_list": "问题清单", "status_group": "按整改状态分组",
    "category": "问题类别", "problem_group": "问题分组标题", "problem": "反馈问题", "sub_problem": "问题的具体表现",
    "measure": "整改措施或分项", "next_steps": "下一步打算（不是问题）", "immediate": "立行立改事项",
    "summary": "汇总表", "text": "未归类",
}


def _header_fields(result):
    fields = []
    for name, label in HEADER_LABELS.items():
        if name == "is_rectification_notice":
            continue
        value = getattr(result, name)
        is_date = name.endswith(("_start", "_end", "_date"))
        fields.append({"name": name, "label": label, "value": value.isoformat() if is_date and value else value or "",
                       "type": "date" if is_date else "text"})
    return fields


def _back(notice_pk, anchor=""):
    return redirect(reverse("review:notice", args=[notice_pk]) + (f"#{anchor}" if anchor else ""))


def _refused(request, exc):
    messages.error(request, "；".join(exc.messages))


@login_required
@require_POST
def accept(request, pk):
    _staff_only(request)
    notice = get_object_or_404(Notice, pk=pk)
    try:
        services.notice_accept(notice=notice, user=request.user, note=request.POST.get("note", ""),
                               confirm_institution=request.POST.get("confirm_institution") == "1")
    except ValidationError as exc:
        _refused(request, exc)
        return _back(pk, "decide")
    messages.success(request, "已审核通过，通报已计入整改台账。")
    return redirect("review:queue")


@login_required
@require_POST
def reject(request, pk):
    _staff_only(request)
    notice = get_object_or_404(Notice, pk=pk)
    try:
        services.notice_reject(notice=notice, user=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        _refused(request, exc)
        return _back(pk, "decide")
    messages.success(request, "已驳回；该通报不计入任何统计，文件已释放。")
    return redirect("review:queue")


@login_required
@require_POST
def correct(request, pk):
    _staff_only(request)
    notice = get_object_or_404(Notice, pk=pk)
    data = {key: value for key, value in request.POST.items() if key not in _NOT_DATA}
    try:
        correction = services.correction_create(notice=notice, user=request.user, kind=request.POST.get("kind", ""),
                                                data=data, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        _refused(request, exc)
        return _back(pk, "corrections")
    messages.success(request, f"已更正：{correction.summary}")
    return _back(pk, "corrections")


@login_required
@require_POST
def revoke(request, pk):
    _staff_only(request)
    correction = get_object_or_404(Correction.objects.select_related("notice"), pk=pk)
    try:
        services.correction_revoke(correction=correction, user=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, f"已撤销更正：{correction.summary}")
    return _back(correction.notice_id, "corrections")
