"""Reads for the review pages: the queue, and one notice laid out for review."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import django_filters as filters
from django import forms
from django.db.models import Case, IntegerField, Q, Value, When

from notices.models import Notice, ParseConfidence, ReviewState
from notices.parsing.corrections import apply_corrections, issue_key, parsed_from_dict
from notices.parsing.result import ParsedCategory
from tracking.ingest import institution_proposal
from tracking.models import Institution

from .models import Correction

# Low confidence first, then the oldest upload: what most needs a person, and what has waited longest.
_CONFIDENCE_RANK = Case(When(confidence=ParseConfidence.LOW, then=Value(0)),
                        When(confidence=ParseConfidence.MEDIUM, then=Value(1)),
                        When(confidence=ParseConfidence.HIGH, then=Value(2)), default=Value(3),
                        output_field=IntegerField())


def review_queue():
    return (Notice.objects.needing_review().select_related("institution", "uploaded_by")
            .defer("raw_text", "parse_result").annotate(confidence_rank=_CONFIDENCE_RANK)
            .order_by("confidence_rank", "uploaded_at", "pk"))


class ReviewQueueFilter(filters.FilterSet):
    WAITING = [("pending", "待审核"), ("mismatch", "单位不一致"), ("recheck", "已通过·需复核")]

    waiting = filters.ChoiceFilter(label="类别", choices=WAITING, method="filter_waiting", empty_label="全部")
    confidence = filters.ChoiceFilter(label="解析置信度", choices=ParseConfidence.choices, empty_label="全部")
    institution = filters.ModelChoiceFilter(label="单位", queryset=Institution.objects.order_by("name"),
                                            empty_label="全部")
    q = filters.CharFilter(label="关键词", method="filter_q", widget=forms.TextInput(attrs={"type": "search"}))

    class Meta:
        model = Notice
        fields = ["waiting", "confidence", "institution", "q"]

    def filter_waiting(self, queryset, name, value):
        if value == "recheck":
            return queryset.filter(review_state=ReviewState.ACCEPTED, needs_recheck=True)
        return queryset.filter(review_state=value)

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(original_name__icontains=value)
                               | Q(institution__name__icontains=value))


def queue_count() -> int:
    return Notice.objects.needing_review().count()


MERGE_REACH = 8


@dataclass
class IssueView:
    index: int
    key: str
    issue: object  # ParsedIssue, as corrected
    lines: list[int] = field(default_factory=list)  # text lines holding its title and evidence
    corrections: list = field(default_factory=list)
    neighbours: list = field(default_factory=list)  # issues it may be merged with: nearby, same category


@dataclass
class ReviewLayout:
    lines: list[str]
    issues: list[IssueView]
    result: object  # the corrected ParsedNotice
    parsed: object  # as the parser proposed it
    corrections: list
    proposal: object
    categories: list
    same_file_elsewhere: list


def review_layout(notice: Notice) -> ReviewLayout:
    """The notice text by line beside its corrected parse, each issue knowing where it sits in the text.

    Computed without writing: outcomes shown are those the corrections would
    have now (a GET never changes a row).
    """
    parsed = parsed_from_dict(notice.parse_result or {})
    corrections = list(notice.corrections.select_related("created_by", "revoked_by").order_by("created_at", "id"))
    in_force = [c for c in corrections if not c.is_revoked]
    result, outcomes = apply_corrections(parsed, [c.spec for c in in_force])
    for correction, outcome in zip(in_force, outcomes):
        correction.outcome, correction.outcome_message = outcome.state, outcome.message
    lines = (notice.raw_text or "").splitlines()
    squashed = [re.sub(r"\s+", "", line) for line in lines]
    by_key: dict[str, list] = {}
    for correction, outcome in zip(in_force, outcomes):
        if outcome.issue_key:
            by_key.setdefault(outcome.issue_key, []).append(correction)
    issues = []
    for index, issue in enumerate(result.issues):
        key = issue_key(issue)
        issues.append(IssueView(index, key, issue, _lines_of(squashed, issue), by_key.get(key, [])))
    for view in issues:
        # Parsers split one issue into neighbours; offering every issue of a 400-issue notice to each
        # of them would make the page megabytes of options.
        view.neighbours = [other for other in issues[max(0, view.index - MERGE_REACH):view.index + MERGE_REACH + 1]
                           if other is not view and other.issue.category == view.issue.category]
    elsewhere = list(Notice.objects.live().filter(sha256=notice.sha256).exclude(pk=notice.pk)
                     .select_related("institution").defer("raw_text", "parse_result"))
    categories = list(result.categories)
    listed = {c.number for c in categories}
    for issue in result.issues:  # a category an issue names but the parser did not list as a heading
        if issue.category and issue.category not in listed:
            listed.add(issue.category)
            categories.append(ParsedCategory(issue.category, "", len(categories)))
    return ReviewLayout(lines, issues, result, parsed, corrections,
                        institution_proposal(chosen=notice.institution, parsed=result), categories, elsewhere)


def _lines_of(squashed: list[str], issue) -> list[int]:
    found = []
    for probe in (issue.title, issue.status_evidence):
        probe = re.sub(r"\s+", "", probe or "")[:16]
        if len(probe) < 4:
            continue
        for number, line in enumerate(squashed):
            if probe in line:
                found.append(number)
                break
    return sorted(set(found))


def stale_corrections(notice: Notice):
    return Correction.objects.filter(notice=notice, outcome=Correction.Outcome.STALE).in_force()
