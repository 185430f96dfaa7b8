"""A parsed notice → tracking rows, inside the caller's transaction.

``notice_ingest`` is re-runnable: it first deletes every row that carries
this notice as its source, then writes them again, so a re-parse replaces
rather than duplicates.  Issue-level fields (claimed status, due date, the
text) are never written directly from one parse; they are recomputed from
all statements of active notices (``issues_refresh``), so the order in which
notices are parsed does not matter and a withdrawn notice stops counting.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
import difflib
import logging
import re
import unicodedata

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from .models import (
    FeedbackIssue,
    ImmediateItem,
    Inspection,
    Institution,
    IssueAction,
    IssueCategory,
    IssueSection,
    IssueStatement,
    Measure,
    StatusChange,
    Verification,
)
from notices.models import Notice

from .naming import is_short_form_of, normalize_institution_name

logger = logging.getLogger(__name__)

# Titles of one issue drift between notices (「…不及时」 / 「…不及时的问题」);
# below this similarity two titles are different issues.
MATCH_THRESHOLD = 0.75
_SAME_NUMBER_BONUS = 0.2


@dataclasses.dataclass
class IngestOutcome:
    institution: Institution | None
    inspection: Inspection | None
    issue_count: int
    warnings: list[dict]


def notice_ingest(*, notice, parsed) -> IngestOutcome:
    """Write ``parsed`` as ``notice``'s tracking rows; the caller holds the transaction."""
    previous_issue_ids = set(IssueStatement.objects.filter(notice=notice).values_list("issue_id", flat=True))
    previous_inspection_id = notice.inspection_id
    _delete_rows_of(notice)

    warnings: list[dict] = []
    institution = _link_institution(notice, parsed, warnings)
    inspection = _inspection_for(institution, parsed) if institution else None
    touched: list[int] = []
    if inspection is not None:
        # Parses of two notices of one inspection would otherwise both create
        # 「问题1」; the row lock makes the second see the first's issues.
        Inspection.objects.select_for_update().filter(pk=inspection.pk).first()
        categories = _sync_categories(inspection, parsed.categories)
        touched = _write_issues(notice, inspection, categories, parsed.issues)
        _write_immediate_items(notice, inspection, parsed.immediate_items)
    elif parsed.issues:
        warnings.append(_warning("no_inspection", "未能确定被巡察单位，问题未写入整改台账，请工作人员指定单位后重新解析"))

    if notice.institution_id is None and institution is not None:
        notice.institution = institution
    notice.inspection = inspection
    notice.save(update_fields=["institution", "inspection"])

    issues_refresh(issue_ids=previous_issue_ids | set(touched))
    _drop_orphans(previous_issue_ids - set(touched), previous_inspection_id)
    return IngestOutcome(institution, inspection, len(touched), warnings)


def issue_match_key(title: str) -> str:
    """The comparable core of an issue title: no numbering, punctuation or 「…的问题」 tail."""
    key = unicodedata.normalize("NFKC", title or "")
    key = "".join(ch for ch in key if unicodedata.category(ch)[0] not in "PSZC")
    key = re.sub(r"^[\d一二三四五六七八九十]+", "", key)
    key = re.sub(r"(问题的整改|的问题|问题|方面)$", "", key)
    return key[:64]


def issues_refresh(*, issue_ids) -> None:
    """Recompute each issue from its statements: title from the first notice, status from the latest.

    Notices are read once each, and only the few fields that rank and name
    them: a statement joined to its notice would carry the notice's whole text
    and parse JSON per row (a 1,000-issue notice cost gigabytes that way).
    """
    issues = list(FeedbackIssue.objects.filter(pk__in=list(issue_ids)).select_for_update().order_by("pk"))
    ids = [issue.pk for issue in issues]
    said = defaultdict(list)
    for statement in IssueStatement.objects.filter(issue__in=ids, notice__withdrawn_at__isnull=True).only(
            "issue_id", "notice_id", "number", "title", "text", "status", "status_evidence"):
        said[statement.issue_id].append(statement)
    notice_ids = {s.notice_id for statements in said.values() for s in statements}
    notices = {n.pk: n for n in Notice.objects.filter(pk__in=notice_ids).only(
        "pk", "published_on", "uploaded_at", "title", "original_name")}
    deadlines = _deadlines_by_notice(ids)
    now, changed, history = timezone.now(), [], []
    for issue in issues:
        statements = sorted(said[issue.pk], key=lambda s: _notice_rank(notices[s.notice_id]))
        if not statements:
            continue  # every notice naming it was withdrawn: keep what was last known
        first, latest = statements[0], statements[-1]
        values = {
            "number": first.number, "title": first.title, "match_key": issue_match_key(first.title),
            "text": latest.text, "status_evidence": latest.status_evidence, "last_notice_id": latest.notice_id,
            "status": latest.status,
            "notice_due_on": next((deadlines[issue.pk][s.notice_id] for s in reversed(statements)
                                   if s.notice_id in deadlines[issue.pk]), None),
        }
        # A deadline the hospital set itself wins over the notices' and survives every re-parse.
        values["due_on"] = issue.due_on_override or values["notice_due_on"]
        if all(getattr(issue, field) == value for field, value in values.items()):
            continue
        if issue.status != latest.status:
            history.append(StatusChange(
                issue=issue, kind=StatusChange.Kind.CLAIMED, old_value=issue.status, new_value=latest.status,
                notice_id=latest.notice_id, reason=f"通报「{_notice_label(notices[latest.notice_id])}」所述",
            ))
        for field, value in values.items():
            setattr(issue, field, value)
        issue.updated_at = now
        changed.append(issue)
    FeedbackIssue.objects.bulk_update(changed, [*_REFRESHED_FIELDS, "updated_at"], batch_size=200)
    StatusChange.objects.bulk_create(history, batch_size=500)


_REFRESHED_FIELDS = ["number", "title", "match_key", "text", "status_evidence", "last_notice_id", "status",
                    "notice_due_on", "due_on"]


# --- institution and inspection ----------------------------------------------
def _names_in(parsed) -> list[str]:
    names = [parsed.institution] if parsed.institution else []
    return names + [a for a in parsed.institution_aliases if a and a not in names]


def _names_match(institution: Institution, name: str) -> bool:
    key = normalize_institution_name(name)
    known = {institution.normalized_name} | {normalize_institution_name(a) for a in institution.aliases}
    return key in known or is_short_form_of(name, institution.name)


def _link_institution(notice, parsed, warnings) -> Institution | None:
    names = _names_in(parsed)
    chosen = notice.institution
    if chosen is not None:
        if names and not _names_match(chosen, names[0]):
            # Never silently accepted: the notice stays with the uploader's
            # institution, and the reviewer sees why it may be wrong.
            warnings.append(_warning(
                "institution_mismatch",
                f"通报中的单位「{names[0]}」与上传所属单位「{chosen.name}」不一致，请核对是否上传错了文件",
            ))
        else:
            _remember_aliases(chosen, names)
        return chosen
    if not names:
        return None
    found = _find_institution(names)
    if found is None:
        found, _ = Institution.objects.get_or_create(
            normalized_name=normalize_institution_name(names[0]), defaults={"name": names[0]}
        )
        warnings.append(_warning("institution_created", f"系统中原无单位「{found.name}」，已按通报新建，请核对"))
    _remember_aliases(found, names)
    return found


def _find_institution(names: list[str]) -> Institution | None:
    keys = [normalize_institution_name(n) for n in names]
    exact = Institution.objects.filter(normalized_name__in=keys).first()
    if exact is not None:
        return exact
    candidates = [i for i in _candidates(names, keys) if any(_names_match(i, n) for n in names)]
    # 「市中医院」 names a hospital only when exactly one known hospital fits.
    return candidates[0] if len(candidates) == 1 else None


def _candidates(names: list[str], keys: list[str]):
    """The institutions a name could mean, narrowed by the database rather than a Python scan of all.

    A short form is a suffix of the full name (``is_short_form_of``); an alias
    is one of the names stored on the institution.  Loading every institution
    cost 80 ms per notice at 2,000 hospitals.
    """
    wanted = Q()
    for key in filter(None, keys):
        wanted |= Q(normalized_name__endswith=key)
    if connection.features.supports_json_field_contains:
        for name in names:
            wanted |= Q(aliases__contains=[name])
    else:  # SQLite (development) cannot search inside JSON; its few rows with aliases are read instead
        wanted |= ~Q(aliases=[])
    return Institution.objects.filter(wanted) if wanted else Institution.objects.none()


def _remember_aliases(institution: Institution, names: list[str]) -> None:
    known = {institution.normalized_name} | {normalize_institution_name(a) for a in institution.aliases}
    new = [n for n in names if normalize_institution_name(n) not in known]
    if new:
        institution.aliases = [*institution.aliases, *new]
        institution.save(update_fields=["aliases"])


def _group_core(group: str) -> str:
    match = re.search(r"第[一二三四五六七八九十\d]+巡[察视]组", re.sub(r"\s+", "", group or ""))
    return match.group(0) if match else re.sub(r"\s+", "", group or "")


def _inspection_for(institution: Institution, parsed) -> Inspection:
    body, group = parsed.inspecting_body or "", parsed.inspection_group or ""
    for candidate in Inspection.objects.filter(institution=institution, feedback_on=parsed.feedback_date):
        same_body = not body or not candidate.inspecting_body or body == candidate.inspecting_body
        same_group = not group or not candidate.group or _group_core(group) == _group_core(candidate.group)
        if same_body and same_group:
            return _fill_blanks(candidate, parsed)
    try:
        with transaction.atomic():
            inspection = Inspection.objects.create(
                institution=institution, inspecting_body=body, group=group, feedback_on=parsed.feedback_date,
                round=parsed.round or "", started_on=parsed.inspection_start, ended_on=parsed.inspection_end,
            )
    except IntegrityError:  # a concurrent parse of a sibling notice made it first
        inspection = Inspection.objects.get(
            institution=institution, inspecting_body=body, group=group, feedback_on=parsed.feedback_date
        )
    return inspection


def _fill_blanks(inspection: Inspection, parsed) -> Inspection:
    changed = []
    for field, value in (("round", parsed.round), ("started_on", parsed.inspection_start),
                         ("ended_on", parsed.inspection_end), ("inspecting_body", parsed.inspecting_body),
                         ("group", parsed.inspection_group)):
        if value and not getattr(inspection, field):
            setattr(inspection, field, value)
            changed.append(field)
    if changed:
        inspection.save(update_fields=changed)
    return inspection


# --- rows of one notice --------------------------------------------------------
def _delete_rows_of(notice) -> None:
    for model in (Measure, IssueSection, IssueAction, ImmediateItem, IssueStatement):
        model.objects.filter(notice=notice).delete()


def _sync_categories(inspection, parsed_categories) -> dict[str, IssueCategory]:
    categories = {c.number: c for c in inspection.categories.all()}
    for parsed in parsed_categories:
        category = categories.get(parsed.number)
        if category is None:
            category, _ = IssueCategory.objects.get_or_create(
                inspection=inspection, number=parsed.number, defaults={"title": parsed.title, "order": parsed.order}
            )
            categories[parsed.number] = category
        elif not category.title and parsed.title:
            category.title = parsed.title
            category.save(update_fields=["title"])
    return categories


def _write_issues(notice, inspection, categories, parsed_issues) -> list[int]:
    existing = _IssueIndex(inspection.issues.only("pk", "inspection_id", "number", "match_key", "category_id"))
    touched: list[int] = []
    rows: dict[type, list] = defaultdict(list)
    for parsed in parsed_issues:
        key = issue_match_key(parsed.title)
        category = categories.get(parsed.category) if parsed.category else None
        issue = existing.best_match(key, parsed, category)
        if issue is None:
            issue = FeedbackIssue.objects.create(
                inspection=inspection, category=category, number=parsed.number, title=parsed.title,
                match_key=key, text=parsed.text, order=parsed.order, status="",
            )
            existing.add(issue)
        elif category is not None and issue.category_id is None:
            issue.category = category
            issue.save(update_fields=["category"])
        existing.use(issue)
        touched.append(issue.pk)
        rows[IssueStatement].append(IssueStatement(
            notice=notice, issue=issue, number=parsed.number, title=parsed.title, text=parsed.text,
            status=parsed.status, status_evidence=parsed.status_evidence, order=parsed.order,
        ))
        _add_details(rows, notice, issue, parsed)
    for model, objects in rows.items():
        model.objects.bulk_create(objects, batch_size=500)
    return touched


class _IssueIndex:
    """An inspection's issues, found by match key and by number rather than by comparing all pairs.

    An exact key wins; otherwise the fuzzy comparison runs against every issue
    while the inspection is small, and only against the issues printed under
    the same number past that (comparing every pair of two 1,500-issue notices
    took 71 s).
    """

    FUZZY_ALL_LIMIT = 300

    def __init__(self, issues):
        self.by_key: dict[str, list] = defaultdict(list)
        self.by_number: dict[str, list] = defaultdict(list)
        self.all: list = []
        self.used: set[int] = set()
        for issue in issues:
            self.add(issue)

    def add(self, issue) -> None:
        self.by_key[issue.match_key].append(issue)
        self.by_number[issue.number].append(issue)
        self.all.append(issue)

    def use(self, issue) -> None:
        self.used.add(issue.pk)

    def best_match(self, key, parsed, category):
        if key:
            for issue in self.by_key.get(key, ()):
                if issue.pk not in self.used:
                    return issue
        pool = self.all if len(self.all) <= self.FUZZY_ALL_LIMIT else self.by_number.get(parsed.number, ())
        best, best_score = None, 0.0
        for issue in pool:
            if issue.pk in self.used:
                continue
            score = _similarity(key, issue.match_key)
            same_place = parsed.number and parsed.number == issue.number and (
                category is None or issue.category_id is None or category.pk == issue.category_id
            )
            if same_place:
                score += _SAME_NUMBER_BONUS
            if score > best_score:
                best, best_score = issue, score
        return best if best_score >= MATCH_THRESHOLD else None


def _similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    if len(a) >= 6 and len(b) >= 6 and (a in b or b in a):
        return 0.95
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _add_details(rows, notice, issue, parsed) -> None:
    rows[Measure] += [Measure(issue=issue, notice=notice, order=i, text=text) for i, text in enumerate(parsed.measures)]
    rows[IssueSection] += [IssueSection(issue=issue, notice=notice, order=i, label=s.label[:50], text=s.text)
                           for i, s in enumerate(parsed.sections)]
    rows[IssueAction] += [IssueAction(issue=issue, notice=notice, order=i, kind=a.kind, date=a.date,
                                      date_text=a.date_text[:100], text=a.text)
                          for i, a in enumerate(parsed.actions)]


def _write_immediate_items(notice, inspection, items) -> None:
    ImmediateItem.objects.bulk_create([
        ImmediateItem(inspection=inspection, notice=notice, order=i, text=item.text, status=item.status,
                      status_evidence=item.status_evidence)
        for i, item in enumerate(items)
    ])


# --- derived fields ------------------------------------------------------------
def _notice_rank(notice) -> tuple:
    """Latest by published date (upload date when the notice prints none), then upload time."""
    published = notice.published_on or timezone.localdate(notice.uploaded_at)
    return (published, notice.uploaded_at, notice.pk)


def _deadlines_by_notice(issue_ids) -> dict[int, dict[int, dt.date]]:
    """issue → notice → the latest deadline that notice states for it."""
    found: dict[int, dict[int, dt.date]] = defaultdict(dict)
    rows = IssueAction.objects.filter(issue__in=issue_ids, kind=IssueAction.Kind.DEADLINE, date__isnull=False)
    for issue_id, notice_id, date in rows.values_list("issue_id", "notice_id", "date"):
        found[issue_id][notice_id] = max(date, found[issue_id].get(notice_id, date))
    return found


def _drop_orphans(issue_ids, previous_inspection_id) -> None:
    """Issues only a re-parsed notice had named, and that nobody has reviewed, go with its old rows."""
    orphans = FeedbackIssue.objects.filter(pk__in=issue_ids, statements__isnull=True,
                                           verification=Verification.UNVERIFIED)
    orphans = orphans.exclude(status_changes__kind=StatusChange.Kind.VERIFICATION)
    dropped = list(orphans.values_list("pk", flat=True))
    if dropped:
        logger.info("dropped issues no notice names any more", extra={"issue_ids": dropped})
        FeedbackIssue.objects.filter(pk__in=dropped).delete()
    if previous_inspection_id:
        Inspection.objects.filter(pk=previous_inspection_id, notices__isnull=True, issues__isnull=True).delete()


def _notice_label(notice) -> str:
    return (notice.title or notice.original_name)[:60]


def _warning(code: str, message: str) -> dict:
    return {"code": code, "message": message}
