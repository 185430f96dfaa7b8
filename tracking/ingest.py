"""An accepted notice → tracking rows, inside the caller's transaction; and the way back out.

Only accepted notices reach here (``review.services``): what is not accepted
is not in the ledger, so no read needs an "accepted only" filter.
``notice_ingest`` is re-runnable: it first deletes every row that carries
this notice as its source, then writes them again, so a re-parse replaces
rather than duplicates.  ``notice_remove`` takes them out again when a
notice is rejected or withdrawn, with the inspection only it created.
Issue-level fields (claimed status, due date, the text) are never written
directly from one parse; they are recomputed from all statements of active
notices (``issues_refresh``), so the order in which notices are accepted does
not matter and a withdrawn notice stops counting.

Neither function writes the Notice row itself: the caller does, last, so a
parse holds no lock on it while it works and a withdrawal never waits.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
import difflib
import logging
import operator
import re
import time

from django.db import IntegrityError, connection, models, transaction
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
from notices.parsing.corrections import title_key
from notices.parsing.structure.normalize import fold_traditional

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
    issue_ids: list[int] = dataclasses.field(default_factory=list)  # one per parsed issue, in order
    created_institution: Institution | None = None
    aliases_added: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class InstitutionProposal:
    """Where a parsed notice would be filed, found without writing anything."""

    institution: Institution | None  # the uploader's (or staff's) choice, else the one the text names
    printed_name: str  # the name as the notice prints it ("" when it prints none)
    mismatch: bool  # the text names another institution than the chosen one


def institution_proposal(*, chosen: Institution | None, parsed) -> InstitutionProposal:
    names = _names_in(parsed)
    printed = names[0] if names else ""
    if chosen is not None:
        return InstitutionProposal(chosen, printed, bool(names) and not _names_match(chosen, printed))
    return InstitutionProposal(_find_institution(names) if names else None, printed, False)


def notice_ingest(*, notice, parsed, confirmed_institution: bool = False, corrected=None) -> IngestOutcome:
    """Write ``parsed`` as ``notice``'s tracking rows; the caller holds the transaction and saves the notice.

    ``confirmed_institution``: staff decided that the notice belongs to its
    institution although the text names another one, so that name becomes an
    alias.  ``corrected``: ``{index of a parsed issue: (user, reason)}`` for
    issues whose status staff corrected, so the status history says who.
    """
    previous_inspection_id = notice.inspection_id
    previous_issue_ids = set()
    if previous_inspection_id:  # rows of a notice exist only while it is filed under an inspection
        previous_issue_ids = set(IssueStatement.objects.filter(notice=notice).values_list("issue_id", flat=True))
        _delete_rows_of(notice)

    warnings: list[dict] = []
    proposal = institution_proposal(chosen=notice.institution, parsed=parsed)
    institution, created = proposal.institution, None
    if institution is None and proposal.printed_name:
        institution, made = Institution.objects.get_or_create(
            normalized_name=normalize_institution_name(proposal.printed_name),
            defaults={"name": proposal.printed_name},
        )
        if made:
            created = institution
            warnings.append(_warning("institution_created", f"系统中原无单位「{institution.name}」，已按通报新建，请核对"))
    aliases = []
    if institution is not None and (not proposal.mismatch or confirmed_institution):
        aliases = _remember_aliases(institution, _names_in(parsed))
    inspection, fresh = _inspection_for(institution, parsed) if institution else (None, False)
    touched: list[int] = []
    new: list[FeedbackIssue] = []
    if inspection is not None:
        if not fresh:
            # Parses of two notices of one inspection would otherwise both create
            # 「问题1」; the row lock makes the second see the first's issues.
            # (One this transaction just created nobody else sees yet.)
            Inspection.objects.select_for_update().filter(pk=inspection.pk).first()
        categories = _sync_categories(inspection, parsed.categories, fresh=fresh)
        touched, new = _write_issues(notice, inspection, categories, parsed.issues, fresh=fresh)
        _write_immediate_items(notice, inspection, parsed.immediate_items)
    elif parsed.issues:
        warnings.append(_warning("no_inspection", "未能确定被巡察单位，问题未写入整改台账，请在审核页指定单位"))

    notes = {touched[index]: note for index, note in (corrected or {}).items() if index < len(touched)}
    # An issue this notice created is already written as its only statement makes it; only its first
    # status (「」 → claimed) is recorded here.  The others are recomputed from all their statements.
    first_claims = [_claimed_change(issue, "", notice, notes.get(issue.pk)) for issue in new if issue.status]
    new_ids = {issue.pk for issue in new}
    issues_refresh(issue_ids=(previous_issue_ids | set(touched)) - new_ids, notice_id=notice.pk, corrected=notes,
                   history=first_claims)
    _drop_orphans(previous_issue_ids - set(touched), previous_inspection_id, keep_inspection=inspection,
                  exclude_notice=notice.pk)
    return IngestOutcome(institution, inspection, len(touched), warnings, touched, created, aliases)


def notice_remove(*, notice) -> list[int]:
    """Take out every row ``notice`` wrote; an inspection (and institution) only it created goes too.

    Issues other accepted notices still name are recomputed from those
    notices; an issue only this notice named goes, unless staff already
    verified it (a verification is a record, never silently deleted).
    Returns the ids of the issues it had named.
    """
    issue_ids = set(IssueStatement.objects.filter(notice=notice).values_list("issue_id", flat=True))
    _delete_rows_of(notice)
    issues_refresh(issue_ids=issue_ids)
    _drop_orphans(issue_ids, notice.inspection_id, exclude_notice=notice.pk)
    _forget_aliases(notice)
    created = notice.created_institution_id
    unused = Institution.objects.filter(pk=created, members__isnull=True, inspections__isnull=True)
    if created and unused.exists() and not Notice.objects.live().filter(institution_id=created).exclude(
            pk=notice.pk).exists():
        Notice.objects.filter(institution_id=created).update(institution=None)
        unused.delete()
    return sorted(issue_ids)


# One definition of an issue title's comparable core, shared with the corrections' stable keys.
issue_match_key = title_key


def issues_refresh(*, issue_ids, notice_id=None, corrected=None, history=()) -> None:
    """Recompute each issue from its statements: title from the first notice, status from the latest.

    ``corrected`` (``{issue id: (user, reason)}``, about ``notice_id``'s
    statements) credits a status change to the reviewer who corrected it.
    ``history``: status changes the caller made already, written with these.

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
    now, changed, history = timezone.now(), [], list(history)
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
            note = (corrected or {}).get(issue.pk) if latest.notice_id == notice_id else None
            old = issue.status
            issue.status, issue.last_notice_id = latest.status, latest.notice_id
            history.append(_claimed_change(issue, old, notices[latest.notice_id], note))
        for field, value in values.items():
            setattr(issue, field, value)
        issue.updated_at = now
        changed.append(issue)
    update_rows(FeedbackIssue, changed, [*_REFRESHED_FIELDS, "updated_at"])
    insert_rows(StatusChange, history)


def _claimed_change(issue, old: str, notice, note) -> StatusChange:
    """The history row of ``issue`` taking the status ``notice`` claims (``note``: a reviewer's correction)."""
    by, why = note or (None, None)
    return StatusChange(
        issue=issue, kind=StatusChange.Kind.CLAIMED, old_value=old, new_value=issue.status,
        notice_id=notice.pk, changed_by=by,
        reason=f"工作人员更正通报「{_notice_label(notice)}」的解析：{why}" if by
        else f"通报「{_notice_label(notice)}」所述",
    )


_REFRESHED_FIELDS = ["number", "title", "match_key", "text", "status_evidence", "last_notice_id", "status",
                    "notice_due_on", "due_on"]


# Rows per INSERT/UPDATE statement: a notice of a few thousand issues is still a handful of statements,
# and each stays under the bind-parameter limits (SQLite 32,766; PostgreSQL's protocol 65,535).
_INSERT_BATCH = 2000
_UPDATE_BATCH = 1000


def insert_rows(model, objects) -> None:
    """INSERT ``objects`` (their ids are not read back): ``COPY … FROM STDIN`` on PostgreSQL.

    A notice's statements, measures, sections and actions are most of its
    rows; ``bulk_create`` spent more CPU compiling them into one INSERT than
    the database spent storing them.  COPY streams the values as they are
    (psycopg's C writer).  Elsewhere (SQLite) ``bulk_create``.
    """
    if not objects:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, batch_size=_INSERT_BATCH)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    ops = connection.ops
    sql = (f"COPY {ops.quote_name(model._meta.db_table)} ({', '.join(ops.quote_name(f.column) for f in fields)}) "
           "FROM STDIN")
    values = [_copy_value(f) for f in fields]
    started = time.monotonic()
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for obj in objects:
            copy.write_row([value(obj) for value in values])
    if connection.queries_logged:  # the raw cursor bypasses Django's log: count it like any statement
        connection.queries_log.append({"sql": f"{sql} -- {len(objects)} rows",
                                       "time": f"{time.monotonic() - started:.3f}"})


# Field types whose Python value psycopg writes as PostgreSQL wants it: no per-value Django conversion.
_PLAIN_FIELDS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.ForeignKey,
                 models.DateField)


def _copy_value(field):
    """How to read ``field``'s value of an object for COPY: the attribute itself when nothing needs converting."""
    plain = isinstance(field, _PLAIN_FIELDS) and not isinstance(field, models.DateTimeField) and not (
        getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))
    if plain and (not isinstance(field, models.ForeignKey) or isinstance(field.target_field, models.AutoField)):
        return operator.attrgetter(field.attname)
    return lambda obj: field.get_db_prep_save(field.pre_save(obj, True), connection)


def update_rows(model, objects, fields) -> None:
    """Write ``fields`` of ``objects`` in one ``UPDATE … FROM (VALUES …)`` per thousand rows.

    Django's ``bulk_update`` builds a ``CASE WHEN id = … THEN …`` per field,
    which costs Python time per row per field to build and database time per
    row *times* rows to run (500 issues: 5 s); joining a VALUES list is
    linear.  PostgreSQL and SQLite (3.33+) both name a VALUES list's columns
    ``column1``, ``column2``…; PostgreSQL needs each cast to the column's type
    (a column of NULLs would otherwise be text).
    """
    if not objects:
        return
    meta, ops = model._meta, connection.ops
    columns = [meta.pk, *(meta.get_field(name) for name in fields)]
    postgres = connection.vendor == "postgresql"

    def value(position, field):
        ref = f"v.column{position}"
        return f"CAST({ref} AS {field.db_type(connection)})" if postgres else ref

    assignments = ", ".join(f"{ops.quote_name(f.column)} = {value(i, f)}" for i, f in enumerate(columns[1:], 2))
    table, pk = ops.quote_name(meta.db_table), ops.quote_name(meta.pk.column)
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(objects), _UPDATE_BATCH):
            batch = objects[start:start + _UPDATE_BATCH]
            params = [f.get_db_prep_save(getattr(obj, f.attname), connection) for obj in batch for f in columns]
            cursor.execute(f"UPDATE {table} SET {assignments} FROM (VALUES {', '.join([row] * len(batch))}) AS v "
                           f"WHERE {table}.{pk} = {value(1, meta.pk)}", params)


# --- institution and inspection ----------------------------------------------
def _names_in(parsed) -> list[str]:
    """The names the notice prints for its institution, traditional characters folded (清遠 is 清远)."""
    names = [fold_traditional(parsed.institution)] if parsed.institution else []
    return names + [a for a in map(fold_traditional, parsed.institution_aliases) if a and a not in names]


def _names_match(institution: Institution, name: str) -> bool:
    key = normalize_institution_name(name)
    known = {institution.normalized_name} | {normalize_institution_name(a) for a in institution.aliases}
    return key in known or is_short_form_of(name, institution.name)


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


def _remember_aliases(institution: Institution, names: list[str]) -> list[str]:
    """Add the names not known yet; returns them, so removing the notice can forget them again."""
    known = {institution.normalized_name} | {normalize_institution_name(a) for a in institution.aliases}
    new = [n for n in dict.fromkeys(names) if normalize_institution_name(n) not in known]
    if new:
        institution.aliases = [*institution.aliases, *new]
        institution.save(update_fields=["aliases"])
    return new


def _forget_aliases(notice) -> None:
    """Names this notice taught its institution, unless another accepted notice of it prints them too."""
    if not notice.added_aliases or not notice.institution_id:
        return
    institution = Institution.objects.select_for_update().filter(pk=notice.institution_id).first()
    if institution is None:
        return
    others = Notice.objects.accepted().filter(institution=institution).exclude(pk=notice.pk).values_list(
        "parse_result__institution", flat=True)
    still_printed = {normalize_institution_name(fold_traditional(name)) for name in others if name}
    drop = {normalize_institution_name(a) for a in notice.added_aliases} - still_printed
    kept = [a for a in institution.aliases if normalize_institution_name(a) not in drop]
    if kept != institution.aliases:
        institution.aliases = kept
        institution.save(update_fields=["aliases"])


def _group_core(group: str) -> str:
    match = re.search(r"第[一二三四五六七八九十\d]+巡[察视]组", re.sub(r"\s+", "", group or ""))
    return match.group(0) if match else re.sub(r"\s+", "", group or "")


def _inspection_for(institution: Institution, parsed) -> tuple[Inspection, bool]:
    """The inspection the notice reports on, and whether this transaction just created it."""
    body, group = parsed.inspecting_body or "", parsed.inspection_group or ""
    for candidate in Inspection.objects.filter(institution=institution, feedback_on=parsed.feedback_date):
        same_body = not body or not candidate.inspecting_body or body == candidate.inspecting_body
        same_group = not group or not candidate.group or _group_core(group) == _group_core(candidate.group)
        if same_body and same_group:
            return _fill_blanks(candidate, parsed), False
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
        return inspection, False
    return inspection, True


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


def _sync_categories(inspection, parsed_categories, *, fresh: bool = False) -> dict[str, IssueCategory]:
    """The inspection's categories by number, the notice's new ones added: a fixed number of statements.

    ``fresh``: this transaction just created the inspection, so it has no categories and nobody else can add one.
    """
    categories = {} if fresh else {c.number: c for c in inspection.categories.all()}
    missing = {p.number: IssueCategory(inspection=inspection, number=p.number, title=p.title, order=p.order)
               for p in parsed_categories if p.number not in categories}
    if missing and fresh:
        IssueCategory.objects.bulk_create(missing.values())  # ids come back with the INSERT
        categories |= missing
    elif missing:
        # ignore_conflicts: a sibling notice's parse may add the same category at the same moment.
        IssueCategory.objects.bulk_create(missing.values(), ignore_conflicts=True)
        categories |= {c.number: c for c in inspection.categories.filter(number__in=list(missing))}
    untitled = []
    for parsed in parsed_categories:
        category = categories[parsed.number]
        if not category.title and parsed.title:
            category.title = parsed.title
            untitled.append(category)
    IssueCategory.objects.bulk_update(untitled, ["title"])
    return categories


def _write_issues(notice, inspection, categories, parsed_issues, *, fresh: bool = False):
    """Match every parsed issue to the inspection's issues, create the rest.

    Returns the issue ids in the parse's order, and the issues created, each
    written already as this notice (its only statement) describes it.
    Statements per notice are fixed whatever its size: one read of the
    inspection's issues (none for an inspection just created), one INSERT of
    the new ones, one UPDATE per category newly learned, one INSERT per row type.
    """
    existing = _IssueIndex([] if fresh else inspection.issues.only(
        "pk", "inspection_id", "number", "match_key", "category_id"))
    matched: list = []
    new: list = []
    categorised = defaultdict(list)  # category id → issues that had none and now get it
    for parsed in parsed_issues:
        key = issue_match_key(parsed.title)
        category = categories.get(parsed.category) if parsed.category else None
        issue = existing.best_match(key, parsed, category)
        if issue is None:
            due = max((a.date for a in parsed.actions if a.kind == IssueAction.Kind.DEADLINE and a.date), default=None)
            issue = FeedbackIssue(inspection=inspection, category=category, number=parsed.number, title=parsed.title,
                                  match_key=key, text=parsed.text, order=parsed.order, status=parsed.status,
                                  status_evidence=parsed.status_evidence, last_notice_id=notice.pk,
                                  notice_due_on=due, due_on=due)
            new.append(issue)  # not indexed: used at once, nothing later in this notice may match it
        elif category is not None and issue.category_id is None:
            issue.category_id = category.pk
            categorised[category.pk].append(issue.pk)
        existing.use(issue)
        matched.append(issue)
    # One INSERT, ids returned (PostgreSQL, SQLite 3.35+): until then new issues are told apart by identity.
    FeedbackIssue.objects.bulk_create(new, batch_size=_INSERT_BATCH)
    for category_id, ids in categorised.items():
        FeedbackIssue.objects.filter(pk__in=ids).update(category_id=category_id)
    rows: dict[type, list] = defaultdict(list)
    for parsed, issue in zip(parsed_issues, matched):
        rows[IssueStatement].append(IssueStatement(
            notice=notice, issue=issue, number=parsed.number, title=parsed.title, text=parsed.text,
            status=parsed.status, status_evidence=parsed.status_evidence, order=parsed.order,
        ))
        _add_details(rows, notice, issue, parsed)
    for model, objects in rows.items():
        insert_rows(model, objects)
    return [issue.pk for issue in matched], new


class _IssueIndex:
    """An inspection's issues, found through dictionaries rather than by comparing all pairs.

    An exact match key wins.  Otherwise the title is compared (``difflib``)
    only with a small bucket of candidates: the issues printed under the same
    number, and the few sharing most character pairs (bigrams) of the key.
    A bigram carried by more than ``COMMON_BIGRAM`` issues (「管理」, 「问题」 in a
    big inspection) tells nothing and is not followed.  Comparing every pair
    of two 1,500-issue notices took 71 s; this stays linear in the notice.
    """

    CANDIDATES = 8
    COMMON_BIGRAM = 64

    def __init__(self, issues):
        self.by_key: dict[str, list] = defaultdict(list)
        self.by_number: dict[str, list] = defaultdict(list)
        self.by_bigram: dict[str, list] = defaultdict(list)
        self.used: set[int] = set()  # id() of issues matched already: new ones have no pk yet
        for issue in issues:
            self.add(issue)

    def add(self, issue) -> None:
        self.by_key[issue.match_key].append(issue)
        self.by_number[issue.number].append(issue)
        for bigram in _bigrams(issue.match_key):
            self.by_bigram[bigram].append(issue)

    def use(self, issue) -> None:
        self.used.add(id(issue))

    def best_match(self, key, parsed, category):
        if key:
            for issue in self.by_key.get(key, ()):
                if id(issue) not in self.used:
                    return issue
        best, best_score = None, 0.0
        for issue in self._candidates(key, parsed.number):
            score = _similarity(key, issue.match_key)
            same_place = parsed.number and parsed.number == issue.number and (
                category is None or issue.category_id is None or category.pk == issue.category_id
            )
            if same_place:
                score += _SAME_NUMBER_BONUS
            if score > best_score:
                best, best_score = issue, score
        return best if best_score >= MATCH_THRESHOLD else None

    def _candidates(self, key, number) -> list:
        shared: dict[int, int] = defaultdict(int)
        issues: dict[int, object] = {}
        for bigram in _bigrams(key):
            posting = self.by_bigram.get(bigram, ())
            if len(posting) > self.COMMON_BIGRAM:
                continue
            for issue in posting:
                if id(issue) not in self.used:
                    shared[id(issue)] += 1
                    issues[id(issue)] = issue
        closest = sorted(shared, key=shared.__getitem__, reverse=True)[:self.CANDIDATES]
        found = {i: issues[i] for i in closest}
        for issue in self.by_number.get(number, ()) if number else ():
            if id(issue) not in self.used:
                found.setdefault(id(issue), issue)
        return list(found.values())


def _bigrams(key: str) -> set[str]:
    return {key[i:i + 2] for i in range(len(key) - 1)} if key else set()


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
    insert_rows(ImmediateItem, [
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


def _drop_orphans(issue_ids, previous_inspection_id, *, keep_inspection=None, exclude_notice=None) -> None:
    """Issues only a re-parsed notice had named, and that nobody has reviewed, go with its old rows.

    So does the inspection the notice had been filed under, once no other
    accepted notice and no issue is left in it.
    """
    orphans = FeedbackIssue.objects.filter(pk__in=issue_ids, statements__isnull=True,
                                           verification=Verification.UNVERIFIED)
    orphans = orphans.exclude(status_changes__kind=StatusChange.Kind.VERIFICATION)
    dropped = list(orphans.values_list("pk", flat=True))
    if dropped:
        logger.info("dropped issues no notice names any more", extra={"issue_ids": dropped})
        FeedbackIssue.objects.filter(pk__in=dropped).delete()
    if not previous_inspection_id or (keep_inspection is not None and keep_inspection.pk == previous_inspection_id):
        return
    others = Notice.objects.accepted().filter(inspection_id=previous_inspection_id)
    if exclude_notice is not None:
        others = others.exclude(pk=exclude_notice)
    if not others.exists() and not FeedbackIssue.objects.filter(inspection_id=previous_inspection_id).exists():
        Inspection.objects.filter(pk=previous_inspection_id).delete()


def _notice_label(notice) -> str:
    return (notice.title or notice.original_name)[:60]


def _warning(code: str, message: str) -> dict:
    return {"code": code, "message": message}
