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

# What each role may do in the admin and the API, as (app_label, codename).
ROLE_PERMISSIONS = {
    STAFF_GROUP: [
        ("tracking", "review_progress"), ("notices", "upload_notice"), ("notices", "reparse_notice"),
        ("notices", "view_notice"), ("notices", "change_notice"),
        ("tracking", "view_institution"), ("tracking", "change_institution"), ("tracking", "add_institution"),
        ("tracking", "view_institutionmember"), ("tracking", "add_institutionmember"),
        ("tracking", "change_institutionmember"), ("tracking", "view_inspection"), ("tracking", "change_inspection"),
        ("tracking", "view_issuecategory"), ("tracking", "view_feedbackissue"), ("tracking", "change_feedbackissue"),
        ("tracking", "view_issuestatement"), ("tracking", "view_measure"), ("tracking", "view_issuesection"),
        ("tracking", "view_issueaction"), ("tracking", "view_immediateitem"), ("tracking", "view_statuschange"),
        ("tracking", "view_progressreport"), ("tracking", "view_evidence"), ("tracking", "view_issueevent"),
        ("tracking", "view_reminderdigest"),
        # Accounts are read in the admin; hospital accounts are made on /progress/accounts/, which can
        # never create or change a staff account (see tracking.accounts).
        ("auth", "view_user"), ("auditlog", "view_logentry"),
    ],
    CLERK_GROUP: [("notices", "upload_notice")],
}


def ensure_role_groups(**kwargs) -> None:
    """Create the role groups with their permissions if they are missing.

    Connected to ``post_migrate``: a database flush (as transactional tests
    do) also emits it, so the roles come back with the permissions instead of
    vanishing with the data migration's rows.
    """
    from django.contrib.auth.models import Group, Permission

    for name, wanted in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        perms = Permission.objects.select_related("content_type").filter(
            content_type__app_label__in={app for app, _ in wanted}, codename__in={code for _, code in wanted}
        )
        group.permissions.add(*[p for p in perms if (p.content_type.app_label, p.codename) in set(wanted)])
