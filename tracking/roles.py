"""Who a user is to the system: staff reviewer, hospital clerk, or nobody.

Roles are Django groups carrying permissions (created by a migration); code
asks these functions rather than checking group names, so a superuser or a
user given the permission directly behaves like staff.
"""
STAFF_GROUP = "巡察办工作人员"
CLERK_GROUP = "医院填报员"

REVIEW_PERMISSION = "tracking.review_progress"
UPLOAD_PERMISSION = "notices.upload_notice"


def is_reviewer(user) -> bool:
    """Inspection staff: see and review every institution."""
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(REVIEW_PERMISSION))


def clerk_institution_id(user) -> int | None:
    """The institution a hospital clerk is bound to, or None."""
    if not (user and user.is_authenticated and user.is_active):
        return None
    membership = getattr(user, "membership", None)
    return membership.institution_id if membership is not None else None


def can_upload(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(UPLOAD_PERMISSION)) and (
        is_reviewer(user) or clerk_institution_id(user) is not None
    )
