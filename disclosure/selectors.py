"""Reads for the public pages: which notices the public may see, and what each one says.

A notice is public once staff accepted and published it, from the first day
of its window on, for as long as it is not withdrawn and not unpublished;
before its window it does not exist for the public.  Everything shown comes from the parsed rows, never from
``raw_text``, ``parse_result`` or ``warnings``.
"""
import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.http import Http404

from notices.models import Notice
from tracking.models import ImmediateItem, IssueStatement, RectificationStatus

from .models import PublicComment


def readable_notices(today: dt.date):
    """Published notices the public may read on ``today``: their window has begun (open or ended)."""
    return (
        Notice.objects.published()
        .filter(disclosure_start__lte=today, disclosure_end__gte=F("disclosure_start"))
        .select_related("institution")
        # never shown, and the two largest fields of the row (every public page read them for nothing)
        .defer("raw_text", "parse_result", "warnings", "review_reasons", "recheck_reasons")
    )


def open_notices(today: dt.date):
    return readable_notices(today).filter(disclosure_end__gte=today).order_by("disclosure_end", "-published_on", "id")


def ended_notices(today: dt.date):
    return readable_notices(today).filter(disclosure_end__lt=today).order_by("-disclosure_end", "-id")


def readable_notice_or_404(pk: int, today: dt.date) -> Notice:
    notice = readable_notices(today).select_related("inspection").filter(pk=pk).first()
    if notice is None:
        raise Http404("没有这份公开通报")
    return notice


@dataclass
class IssueGroup:
    number: str  # the category's numeral, "" for issues outside any category
    title: str
    order: int = 0
    statements: list = field(default_factory=list)


def notice_outline(notice: Notice) -> dict:
    """The notice as its own sections: categories with their issues in order, as this notice stated them."""
    statements = IssueStatement.objects.filter(notice=notice).select_related("issue__category").order_by("order", "id")
    groups: dict = {}
    counts: dict = {}
    for statement in statements:
        category = statement.issue.category
        key = category.pk if category else None
        if key not in groups:
            groups[key] = (IssueGroup(number=category.number, title=category.title, order=category.order)
                           if category else IssueGroup(number="", title=""))
        statement.paragraphs = paragraphs(statement.text, drop=statement.title)
        groups[key].statements.append(statement)
        counts[statement.status] = counts.get(statement.status, 0) + 1
    # Categories in the notice's own order; issues the parser could not place come last.
    ordered = sorted(groups.values(), key=lambda g: (g.number == "", g.order))
    return {
        "groups": ordered,
        "statement_count": sum(counts.values()),
        "status_summary": [(s.value, s.label, counts[s.value]) for s in RectificationStatus if counts.get(s.value)],
        "immediate_items": list(ImmediateItem.objects.filter(notice=notice).order_by("order", "id")),
    }


def paragraphs(text: str, *, drop: str = "") -> list[str]:
    """The text's non-empty lines; a first line that only repeats the issue's title is dropped."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if lines and drop and lines[0].rstrip("。.") == drop.strip().rstrip("。."):
        lines = lines[1:]
    return lines


def public_title(notice: Notice) -> str:
    """The notice's own title, or a plain one when the notice has none (many start with 「根据…部署」)."""
    if notice.title:
        return notice.title
    name = notice.institution.name if notice.institution_id else ""
    return f"{name}巡察整改进展情况通报"


def statement_choices(notice: Notice) -> list[tuple[int, str]]:
    """(issue id, 「3. 标题」) for the issues this notice reports on, for the comment form."""
    rows = IssueStatement.objects.filter(notice=notice).order_by("order", "id").values_list("issue_id", "number", "title")
    return [(issue_id, f"{number}. {title}" if number else title) for issue_id, number, title in rows]


def managed_notices(user):
    """Notices this user may manage comments of, with their comment counts."""
    return (
        Notice.objects.visible_to(user)
        .active()
        .select_related("institution")
        .annotate(
            comment_count=Count("public_comments"),
            unhandled_count=Count("public_comments", filter=Q(public_comments__handled=False)),
        )
        .order_by("-disclosure_start", "-uploaded_at", "-id")
    )


def managed_notice_or_404(user, pk: int) -> Notice:
    notice = Notice.objects.visible_to(user).active().select_related("institution", "inspection").filter(pk=pk).first()
    if notice is None:
        raise Http404("没有这份通报")
    return notice


def notice_comments(user, notice: Notice, *, handled: bool | None = None):
    comments = (
        PublicComment.objects.visible_to(user)
        .filter(notice=notice)
        .select_related("issue", "handled_by")
    )
    if handled is not None:
        comments = comments.filter(handled=handled)
    return comments
