"""Pages of the upload workflow; every notice is looked up through ``visible_to`` (404 otherwise)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_POST

from tracking.roles import can_upload, is_reviewer

from . import rules, services
from .filters import NoticeFilter
from .forms import NoticeUploadForm
from .models import Notice
from .selectors import notice_summary
from review.history import notice_history


def _visible(user):
    return Notice.objects.visible_to(user).select_related("institution", "inspection", "uploaded_by")


@login_required
def notice_list(request):
    """The upload form above the list of the user's notices; POST is the no-JavaScript upload."""
    if request.method == "POST":
        return _upload(request)
    base = _visible(request.user)
    if not is_reviewer(request.user):
        base = base.active()
    filterset = NoticeFilter(request.GET, queryset=base, request=request)
    page = Paginator(filterset.qs, 30).get_page(request.GET.get("page"))
    form = NoticeUploadForm(user=request.user) if can_upload(request.user) else None
    return render(request, "notices/list.html", {"form": form, "filter": filterset, "page": page})


def _upload(request):
    if not can_upload(request.user):
        raise PermissionDenied
    # More files than DATA_UPLOAD_MAX_NUMBER_FILES never get here: Django refuses the body while the CSRF
    # check reads it, and rectify_site.views.bad_request answers in Chinese.
    form = NoticeUploadForm(request.POST, request.FILES, user=request.user,
                            oversized=getattr(request, "oversized_uploads", ()))
    if not form.is_valid():
        return _form_page(request, form, status=400)
    institution = form.cleaned_data.get("institution")
    last = None
    for uploaded in form.cleaned_data["files"]:
        # Only ever a notice this user may see: the same bytes held by another hospital are not mentioned.
        try:
            notice, created = services.notice_create(uploaded_file=uploaded, uploaded_by=request.user,
                                                     institution=institution)
        except services.StorageUnavailable as exc:
            # Files before this one are stored (their messages are queued); this one and the rest are not.
            form.add_error(None, f"「{uploaded.name}」未保存：{exc.message}")
            return _form_page(request, form, status=507 if exc.full else 503)
        notice.refresh_from_db()
        if notice.duplicate_of_id and not notice.duplicate_of.is_withdrawn:
            messages.info(request, f"「{uploaded.name}」与已上传的通报「{notice.duplicate_of}」是同一份通报，"
                                   "已作为它的另一格式保存，不重复计入")
            notice = notice.duplicate_of
        elif created:
            messages.success(request, f"「{uploaded.name}」已上传，正在排队解析")
        else:
            messages.info(request, f"「{uploaded.name}」此前已上传过，未重复保存，已为您打开原有通报")
        last = notice
    if len(form.cleaned_data["files"]) == 1 and last is not None:
        return redirect("notices:detail", pk=last.pk)
    return redirect("notices:list")


def _form_page(request, form, *, status):
    filterset = NoticeFilter(None, queryset=_visible(request.user).active(), request=request)
    page = Paginator(filterset.qs, 30).get_page(1)
    return render(request, "notices/list.html", {"form": form, "filter": filterset, "page": page}, status=status)


@login_required
@require_GET
def notice_detail(request, pk):
    notice = get_object_or_404(_visible(request.user), pk=pk)
    public = rules.is_public(notice)
    return render(request, "notices/detail.html", {
        "notice": notice,
        "summary": notice_summary(notice),
        "institution_url": _institution_url(notice.institution_id) if notice.is_accepted else None,
        "statements": notice.statements.select_related("issue").order_by("order"),
        "issue_url_base": _issue_url_base(),
        "can_reparse": rules.can_reparse(request.user, notice),
        "can_withdraw": rules.can_withdraw(request.user, notice) and not public,
        "can_review": is_reviewer(request.user),
        "is_public": public,
        "copies": _visible(request.user).filter(duplicate_of=notice).active(),
        "history": notice_history(notice),
        "corrections": notice.corrections.select_related("created_by", "revoked_by").order_by("created_at", "id"),
    })


@login_required
@require_GET
def notice_status(request, pk):
    """The small JSON the upload page and the detail page poll until the parse ends."""
    notice = get_object_or_404(_visible(request.user), pk=pk)
    return JsonResponse(status_payload(notice))


def status_payload(notice) -> dict:
    return {
        "id": notice.pk,
        "state": notice.state,
        "state_label": notice.get_state_display(),
        # What a badge shows: the parse while it runs, then the review (「已解析」 alone is not a verdict).
        "status": notice.status_key,
        "status_label": notice.status_label,
        "review_state": notice.review_state,
        "review_state_label": notice.get_review_state_display(),
        "error": notice.error,
        "progress": {"done": notice.progress_done, "total": notice.progress_total},
        "withdrawn": notice.is_withdrawn,
        "detail_url": reverse("notices:detail", args=[notice.pk]),
        "duplicate_of_url": reverse("notices:detail", args=[notice.duplicate_of_id]) if notice.duplicate_of_id
        else None,
        "summary": notice_summary(notice),
    }


@login_required
@require_GET
def notice_download(request, pk):
    """The original file, only through this permission check (MEDIA_ROOT is never served)."""
    notice = get_object_or_404(_visible(request.user), pk=pk)
    return FileResponse(notice.file.open("rb"), as_attachment=True, filename=notice.original_name)


@login_required
@require_POST
def notice_withdraw(request, pk):
    notice = get_object_or_404(_visible(request.user), pk=pk)
    try:
        services.notice_withdraw(notice=notice, withdrawn_by=request.user, reason=request.POST.get("reason", "")[:500])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "通报已撤回（原始文件仍保留，工作人员可恢复）")
    return redirect("notices:detail", pk=notice.pk)


@login_required
@require_POST
def notice_reparse(request, pk):
    notice = get_object_or_404(_visible(request.user), pk=pk)
    try:
        services.notice_request_reparse(notice=notice, requested_by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已重新排队解析")
    return redirect("notices:detail", pk=notice.pk)


def _institution_url(institution_id):
    if institution_id is None:
        return None
    try:
        return reverse("tracking:institution", kwargs={"pk": institution_id})
    except NoReverseMatch:  # the progress pages are another app's; link only once they exist
        return None


def _issue_url_base():
    """``/progress/issues/`` when the progress pages have an issue page, to link each issue to it."""
    try:
        return reverse("tracking:issue", kwargs={"pk": 0}).removesuffix("0/")
    except NoReverseMatch:
        return None
