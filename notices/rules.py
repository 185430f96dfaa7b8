"""Who may do what with a notice; the services enforce these, views only ask them to show buttons."""
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tracking.roles import can_upload, clerk_institution_id, is_reviewer

from .models import Notice, ParseState

REPARSE_PERMISSION = "notices.reparse_notice"


def upload_institution(user, requested):
    """The institution an upload belongs to: a clerk's own, always; staff's choice (or None: from the text)."""
    if not can_upload(user):
        raise PermissionDenied("无权上传整改通报")
    if is_reviewer(user):
        return requested
    own = clerk_institution_id(user)
    if requested is not None and requested.pk != own:
        raise PermissionDenied("医院填报员只能为本单位上传通报")
    from tracking.models import Institution

    return Institution.objects.get(pk=own)


def can_reparse(user, notice: Notice) -> bool:
    """Staff re-parse anything; the uploader may retry their own failed notice."""
    if notice.is_withdrawn:
        return False
    if is_reviewer(user) and user.has_perm(REPARSE_PERMISSION):
        return True
    return notice.state == ParseState.FAILED and _is_uploader(user, notice)


def can_withdraw(user, notice: Notice) -> bool:
    if notice.is_withdrawn:
        return False
    return is_reviewer(user) or _is_uploader(user, notice)


def is_public(notice: Notice) -> bool:
    """Inside its 公开期限 today, as the public pages show it."""
    return Notice.objects.filter(pk=notice.pk).disclosed_on(timezone.localdate()).exists()


def _is_uploader(user, notice: Notice) -> bool:
    if not (user and user.is_authenticated and notice.uploaded_by_id == user.pk):
        return False
    # A clerk moved to another hospital no longer acts on the old one's notices.
    return is_reviewer(user) or clerk_institution_id(user) == notice.institution_id
