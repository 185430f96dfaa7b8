"""``generate_demo_data --institutions N``: a province's worth of rectification data, fast.

Plans come from ``tracking.demo_data`` (pure, seeded); this command only
turns them into rows, a chunk of institutions per transaction so memory
stays flat whatever N is: ``bulk_create`` for institutions and inspections,
plain tuples through COPY (``_Table``) for everything else.  Each notice's text is rendered and
stored as its original file (sha256 of the bytes, so ``verify_files``
accepts it), and its parse fields are set directly: running the parser over
60,000 issues would measure the parser, not the database.  Additive: names
already in the database are skipped, so a second run adds N more.
"""
import collections
import datetime as dt
import functools
import hashlib
import random
import time

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.utils import timezone

from notices.models import Notice, NoticeFormat, ParseState, ReviewState
from tracking import counters, demo_data
from tracking.ingest import issue_match_key
from tracking.models import (
    FeedbackIssue,
    ImmediateItem,
    Inspection,
    Institution,
    IssueAction,
    IssueCategory,
    IssueStatement,
    Measure,
    StatusChange,
)
from tracking.naming import normalize_institution_name, pinyin_sort_key

PARSER_VERSION = "demo-data"  # marks generated notices; a real re-parse replaces it
CHUNK = 200  # institutions per transaction: ~6,000 issues, ~25,000 rows


class Command(BaseCommand):
    help = "生成演示/压测数据：单位、巡察、通报（含原文文件）与反馈问题（批量写入，可用 --seed 复现）"

    def add_arguments(self, parser):
        parser.add_argument("--institutions", type=int, required=True, help="要新增的单位数")
        parser.add_argument("--seed", type=int, default=1, help="随机种子（同一种子、同一数据库 → 同样的数据）")
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None,
                            help="以哪天为「今天」安排日期与逾期（默认今天）")
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args, institutions, seed, today, batch_size, **options):
        if institutions < 1:
            raise CommandError("--institutions must be at least 1")
        today = today or timezone.localdate()
        rng = random.Random(seed)
        taken = set(Institution.objects.values_list("normalized_name", flat=True))
        reviewer = _reviewer()
        plans = demo_data.plan_institutions(rng, institutions, today, taken)
        started, totals = time.monotonic(), {}
        remaining = institutions
        while remaining:
            chunk = [next(plans) for _ in range(min(CHUNK, remaining))]
            remaining -= len(chunk)
            with transaction.atomic():
                for name, count in write_institutions(chunk, reviewer=reviewer, batch_size=batch_size).items():
                    totals[name] = totals.get(name, 0) + count
        counters.bump()
        summary = ", ".join(f"{count} {name}" for name, count in totals.items())
        self.stdout.write(f"created {summary} in {time.monotonic() - started:.1f}s")


def _reviewer():
    """Who verified the generated 已核查销号 issues: a named account that cannot log in."""
    user, created = get_user_model().objects.get_or_create(
        username="demo-reviewer", defaults={"first_name": "演示核查员", "is_active": False})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


@functools.lru_cache(maxsize=4096)
def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def write_institutions(plans, *, reviewer, batch_size=2000) -> dict[str, int]:
    """Insert ``plans`` and everything under them; returns row counts by table."""
    institutions = Institution.objects.bulk_create(
        [Institution(name=p.name, normalized_name=normalize_institution_name(p.name), region=p.region,
                     name_pinyin=pinyin_sort_key(normalize_institution_name(p.name)), parent_body=p.parent_body)
         for p in plans],
        batch_size=batch_size,
    )
    pairs = [(plan, i, insp) for plan, i in zip(plans, institutions) for insp in plan.inspections]
    inspections = Inspection.objects.bulk_create(
        [Inspection(institution=i, inspecting_body=p.body, round=p.round, group=p.group, started_on=p.started_on,
                    ended_on=p.ended_on, feedback_on=p.feedback_on) for _, i, p in pairs],
        batch_size=batch_size,
    )
    # Notices (~30 KB of text and JSON each), categories and issues (~10,000 and ~60,000 per 2,000
    # institutions) go in as tuples like the leaf rows, their ids taken from the sequences up front.
    notice_rows, notice_refs = [], []
    for (plan, inst, insp_plan), insp in zip(pairs, inspections):
        for k in range(len(insp_plan.notices)):
            row, ref = _notice(plan, inst, insp_plan, insp, k, reviewer)
            notice_rows.append(row)
            notice_refs.append(ref)
    refs = iter(ref._replace(pk=pk) for ref, pk in zip(notice_refs, NOTICES.insert(notice_rows)))
    own_notices = [[next(refs) for _ in insp_plan.notices] for _, _, insp_plan in pairs]
    category_ids = iter(CATEGORIES.insert([
        (insp.pk, demo_data.ORDINALS[k], title, k)
        for (_, _, insp_plan), insp in zip(pairs, inspections) for k, title in enumerate(insp_plan.categories)
    ]))
    issue_rows, issues = [], []
    for (_, _, insp_plan), insp, notices_of in zip(pairs, inspections, own_notices):
        cats = [next(category_ids) for _ in insp_plan.categories]
        latest = notices_of[-1]
        for order, ip in enumerate(insp_plan.issues):
            verified_at, note = _verification(ip.verification, latest.published_on)
            issue_rows.append((
                insp.pk, cats[ip.category], ip.number, ip.title, issue_match_key(ip.title), "".join(ip.measures[-1]),
                order, ip.status, demo_data.STATUS_SENTENCES[ip.status][0], latest.pk, ip.due_on, ip.due_on,
                ip.verification,
                reviewer.pk if verified_at else None, verified_at, note, _at(latest.published_on),
            ))
            issues.append((ip, order, notices_of, verified_at, note))
    issue_ids = ISSUES.insert(issue_rows)
    immediate = [
        (insp.pk, notice.pk, k, text, "completed", "已全部整改完成")
        for (_, _, insp_plan), insp, notices_of in zip(pairs, inspections, own_notices)
        for notice, np in zip(notices_of, insp_plan.notices) for k, text in enumerate(np.immediate_items)
    ]
    rows = _detail_rows(zip(issue_ids, issues), immediate, reviewer)
    for table, values in rows.items():
        table.insert(values)
    # The overview reads counters, not the issue table: fill them as the services would have.
    counters.inspections_recount(insp.pk for insp in inspections)
    counters.institutions_relink(i.pk for i in institutions)
    return {"institutions": len(institutions), "inspections": len(inspections), "notices": len(notice_rows),
            "categories": sum(len(insp_plan.categories) for _, _, insp_plan in pairs),
            "issues": len(issue_ids), **{table.model._meta.model_name: len(v) for table, v in rows.items()}}


class _Table:
    """Bulk inserts of plain tuples: no model instance per row.

    Most of the generator's time went into constructing ~300,000 model
    instances that are never used again, and into quoting 30 KB of notice
    text and JSON into SQL literals.  On PostgreSQL the tuples go through
    COPY (no quoting, no client-side splitting of a huge query); elsewhere
    through executemany.  Columns not given get the field's default, so a
    field added to a model later does not break the command.  With ``ids``
    the primary keys are taken first (the sequence on PostgreSQL, the next
    free ones on SQLite, where this command is the only writer) and
    returned in row order.
    """

    def __init__(self, model, columns, *, ids=False):
        fields = {f.column: f for f in model._meta.concrete_fields}
        self.model, self.columns, self.ids = model, columns, ids
        self.json = {i: fields[c] for i, c in enumerate(columns) if isinstance(fields[c], models.JSONField)}
        self.missing = [f for f in model._meta.concrete_fields if not f.primary_key and f.column not in columns]

    def insert(self, rows) -> list[int]:
        if not rows:
            return []
        extra = tuple(_default(f) for f in self.missing)
        columns = (("id",) if self.ids else ()) + self.columns + tuple(f.column for f in self.missing)
        ids = self._take_ids(len(rows)) if self.ids else []
        head = [(pk,) for pk in ids] if ids else [()] * len(rows)
        rows = [h + (self._json(row) if self.json else row) + extra for h, row in zip(head, rows)]
        qn = connection.ops.quote_name
        table, cols = qn(self.model._meta.db_table), ", ".join(qn(c) for c in columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                placeholders = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({placeholders})",
                                   [tuple(_adapt(v) for v in row) for row in rows])
        return ids

    def _json(self, row):
        return tuple(self.json[i].get_db_prep_save(v, connection) if i in self.json else v for i, v in enumerate(row))

    def _take_ids(self, n: int) -> list[int]:
        table = self.model._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                               [table, n])
                return [row[0] for row in cursor.fetchall()]
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
            first = cursor.fetchone()[0] + 1
            return list(range(first, first + n))


def _default(field):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return timezone.now()
    value = field.get_default()
    return field.get_db_prep_save(value, connection) if isinstance(field, models.JSONField) else value


def _adapt(value):
    # SQLite's driver has no date adapters of its own from Python 3.12 on; Django's ops do.
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, dt.date):
        return connection.ops.adapt_datefield_value(value)
    return value


NOTICES = _Table(Notice, (
    "institution_id", "inspection_id", "file", "original_name", "sha256", "format", "size", "uploaded_at", "state",
    "state_changed_at", "parser_version", "parsed_at", "parse_duration_ms", "raw_text", "text_encoding", "title",
    "published_on", "disclosure_start", "disclosure_end", "disclosure_text", "contacts", "declared", "parse_result",
    "review_state", "reviewed_by_id", "reviewed_at",
), ids=True)
CATEGORIES = _Table(IssueCategory, ("inspection_id", "number", "title", "order"), ids=True)
ISSUES = _Table(FeedbackIssue, (
    "inspection_id", "category_id", "number", "title", "match_key", "text", "order", "status", "status_evidence",
    "last_notice_id", "due_on", "notice_due_on", "verification", "verified_by_id", "verified_at", "verification_note",
    "updated_at",
), ids=True)
STATEMENTS = _Table(IssueStatement, ("notice_id", "issue_id", "number", "title", "text", "status", "status_evidence",
                                     "order"))
MEASURES = _Table(Measure, ("issue_id", "notice_id", "order", "text"))
ACTIONS = _Table(IssueAction, ("issue_id", "notice_id", "order", "kind", "date", "date_text", "text"))
IMMEDIATE = _Table(ImmediateItem, ("inspection_id", "notice_id", "order", "text", "status", "status_evidence"))
CHANGES = _Table(StatusChange, ("issue_id", "kind", "old_value", "new_value", "notice_id", "changed_by_id", "reason",
                                "changed_at"))


def _verification(verification, published_on) -> tuple[dt.datetime | None, str]:
    """(verified_at, note) of a generated review; staff check about three weeks after the notice."""
    if verification == "unverified":
        return None, ""
    note = "经现场核查，整改到位，予以销号" if verification == "verified" else "核查发现整改不到位，退回重新整改"
    return _at(published_on + dt.timedelta(days=20)), note


def _detail_rows(issues, immediate, reviewer) -> dict:
    """Statements, measures, deadlines and status history of the issues just inserted."""
    rows = {STATEMENTS: [], MEASURES: [], ACTIONS: [], IMMEDIATE: immediate, CHANGES: []}
    for pk, (ip, order, notices_of, verified_at, note) in issues:
        previous = ""
        for k, (notice, status) in enumerate(zip(notices_of, ip.statuses)):
            rows[STATEMENTS].append((notice.pk, pk, ip.number, ip.title, "".join(ip.measures[k]), status,
                                     demo_data.STATUS_SENTENCES[status][0], order))
            rows[MEASURES] += [(pk, notice.pk, m, text) for m, text in enumerate(ip.measures[k])]
            if status != previous:
                # The history a parse of each notice would have left, dated when that notice was parsed.
                rows[CHANGES].append((pk, StatusChange.Kind.CLAIMED, previous, status, notice.pk, None,
                                      f"通报「{notice.title}」所述", notice.parsed_at))
            previous = status
        if ip.due_on:
            rows[ACTIONS].append((pk, notices_of[-1].pk, 0, IssueAction.Kind.DEADLINE, ip.due_on,
                                  demo_data.date_text(ip.due_on), "全面完成整改"))
        if verified_at:
            rows[CHANGES].append((pk, StatusChange.Kind.VERIFICATION, "unverified", ip.verification, None,
                                  reviewer.pk, note, verified_at))
    return rows


NoticeRef = collections.namedtuple("NoticeRef", "pk published_on title parsed_at")


def _notice(plan, institution, insp_plan, inspection, k, reviewer) -> tuple[tuple, NoticeRef]:
    """A parsed notice's row, its stored file being its rendered text."""
    np = insp_plan.notices[k]
    text = demo_data.render_notice(plan, insp_plan, k)
    data = text.encode("utf-8")
    sha = hashlib.sha256(data).hexdigest()
    name = default_storage.save(f"notices/{np.published_on:%Y/%m}/{sha}.txt", ContentFile(data))
    when = _at(np.published_on)
    title = f"关于{insp_plan.round}巡察整改进展情况的通报"
    row = (
        institution.pk, inspection.pk, name, f"{plan.name}巡察整改进展情况的通报.txt", sha, NoticeFormat.TXT,
        len(data), when, ParseState.PARSED, when, PARSER_VERSION, when, 0, text, "utf-8", title, np.published_on,
        np.disclosure_start, np.disclosure_end, f"{np.disclosure_start}至{np.disclosure_end}",
        {"phones": [np.phone], "emails": [np.email], "addresses": []},
        {"categories": len(insp_plan.categories), "issues": len(insp_plan.issues), "completed": None,
         "in_progress": None},
        demo_data.parse_result(plan, insp_plan, k),
        # Only accepted notices have ledger rows (issue #12): these rows are in it, so staff accepted them.
        ReviewState.ACCEPTED, reviewer.pk, when,
    )
    return row, NoticeRef(None, np.published_on, title, when)
