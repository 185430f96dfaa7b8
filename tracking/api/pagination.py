"""Keyset (cursor) pagination for the progress API: page 1,000 costs what page 1 costs.

A page ends where its last row's sort key is; the next page asks for rows
strictly after that key (``WHERE (a, b, pk) > (…)`` spelt as ORs of
equalities), so the database walks an index from there instead of counting
and skipping every earlier row, and there is no ``COUNT(*)`` of the whole
filtered table.  The order is whatever the queryset (the FilterSet's
``ordering`` or the view's default) asks for, with the primary key last so
the key is unique; NULLs sort last in both directions on every database.

The cursor is an opaque token (base64 of the key's values) in ``?cursor=``;
``next`` and ``previous`` are full URLs, ``null`` at either end.
"""
from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections import OrderedDict

from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, Q
from django.db.models.expressions import OrderBy
from django.template import loader
from rest_framework.exceptions import NotFound
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

_KEY = "keyset_{}"


def _encode(values: list, backwards: bool) -> str:
    def typed(value):
        if isinstance(value, dt.datetime):
            return {"t": value.isoformat()}
        if isinstance(value, dt.date):
            return {"d": value.isoformat()}
        return value
    raw = json.dumps({"k": [typed(v) for v in values], "b": backwards}, ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(token: str) -> tuple[list, bool]:
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        values = []
        for value in data["k"]:
            if isinstance(value, dict):
                value = (dt.datetime.fromisoformat(value["t"]) if "t" in value else dt.date.fromisoformat(value["d"]))
            elif value is not None and not isinstance(value, (str, int, float, bool)):
                raise ValueError(value)
            values.append(value)
        return values, bool(data.get("b"))
    except (binascii.Error, ValueError, KeyError, TypeError, AttributeError) as error:
        raise NotFound("分页游标无效，请从第一页重新开始。") from error


def _ordering(queryset) -> list[tuple[str, bool]]:
    """(field, descending) for each term of the queryset's order, ending with the primary key."""
    terms = list(queryset.query.order_by) or (list(queryset.model._meta.ordering)
                                              if queryset.query.default_ordering else [])
    found = []
    for term in terms:
        if isinstance(term, OrderBy) and isinstance(term.expression, F):
            found.append((term.expression.name, term.descending))
        elif isinstance(term, str) and term.lstrip("-") != "?":
            found.append((term.lstrip("-"), term.startswith("-")))
        else:
            raise TypeError(f"keyset pagination cannot order by {term!r}")
    names = [name for name, _ in found]
    if not {"pk", "id", queryset.model._meta.pk.name} & set(names):
        found.append(("pk", False))
    # Nothing after the first unique key matters (and it keeps the condition short).
    for index, (name, _) in enumerate(found):
        if name in {"pk", queryset.model._meta.pk.name}:
            return found[: index + 1]
    return found


def _nullable(model, path: str) -> bool:
    """Whether ``path`` (``inspection__feedback_on``) can be NULL; annotations are taken to be nullable."""
    try:
        for part in path.split("__"):
            field = model._meta.pk if part == "pk" else model._meta.get_field(part)
            if field.null:
                return True
            model = field.related_model or model
        return False
    except FieldDoesNotExist:
        return True


class KeysetPagination(BasePagination):
    page_size = 50
    cursor_query_param = "cursor"
    cursor_query_description = "分页游标：取自上一页响应中的 next 或 previous 链接，勿自行构造"
    template = "rest_framework/pagination/previous_and_next.html"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.base_url = request.build_absolute_uri()
        token = request.query_params.get(self.cursor_query_param)
        values, backwards = _decode(token) if token else (None, False)
        order = _ordering(queryset)
        if values is not None and len(values) != len(order):
            raise NotFound("分页游标无效，请从第一页重新开始。")
        keys = [_KEY.format(i) for i in range(len(order))]
        nullable = [_nullable(queryset.model, name) for name, _ in order]
        queryset = queryset.annotate(**{key: F(name) for key, (name, _) in zip(keys, order)})
        # Walking backwards is walking forwards in the reversed order, then turning the page round.
        directions = [descending != backwards for _, descending in order]
        nulls = {"nulls_first": True} if backwards else {"nulls_last": True}
        queryset = queryset.order_by(*[F(key).desc(**nulls) if d else F(key).asc(**nulls)
                                       for key, d in zip(keys, directions)])
        if values is not None:
            queryset = queryset.filter(self._beyond(keys, directions, nullable, values, backwards))
        rows = list(queryset[: self.page_size + 1])
        more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        if backwards:
            rows.reverse()
        key_of = lambda row: [getattr(row, key) for key in keys]  # noqa: E731
        # Forwards: more rows follow when the page overflowed, and some precede when a cursor brought us here.
        # Backwards: the page we came from follows, and more precede when the page overflowed.
        self.next_key = key_of(rows[-1]) if rows and (backwards or more) else None
        self.previous_key = key_of(rows[0]) if rows and (more if backwards else values is not None) else None
        return rows

    @staticmethod
    def _beyond(keys, descending, nullable, values, backwards) -> Q:
        """Rows strictly past ``values`` in the walking order (NULLs last forwards, first backwards)."""
        either = Q()
        for i, (key, desc, null, value) in enumerate(zip(keys, descending, nullable, values)):
            same = Q()
            for k, n, v in zip(keys[:i], nullable[:i], values[:i]):
                same &= Q(**{f"{k}__isnull": True}) if v is None else Q(**{k: v})
            if value is None:
                step = Q(**{f"{key}__isnull": False}) if backwards else None
            else:
                step = Q(**{f"{key}__{'lt' if desc else 'gt'}": value})
                if null and not backwards:
                    step |= Q(**{f"{key}__isnull": True})
            if step is not None:
                either |= same & step
        if not either:
            return Q(pk__in=[])
        first, desc, null, value = keys[0], descending[0], nullable[0], values[0]
        if value is not None and not null:
            # Redundant with the ORs, but an index bound the database can start its scan from.
            either &= Q(**{f"{first}__{'lte' if desc else 'gte'}": value})
        return either

    def _link(self, key, backwards: bool):
        if key is None:
            return None
        return replace_query_param(self.base_url, self.cursor_query_param, _encode(key, backwards))

    def get_next_link(self):
        return self._link(self.next_key, False)

    def get_previous_link(self):
        return self._link(self.previous_key, True)

    def get_paginated_response(self, data):
        return Response(OrderedDict([("next", self.get_next_link()), ("previous", self.get_previous_link()),
                                     ("results", data)]))

    def get_paginated_response_schema(self, schema):
        link = lambda: {"type": "string", "nullable": True, "format": "uri"}  # noqa: E731
        return {"type": "object", "required": ["results"],
                "properties": {"next": link(), "previous": link(), "results": schema}}

    def get_schema_operation_parameters(self, view):
        return [{"name": self.cursor_query_param, "required": False, "in": "query",
                 "description": self.cursor_query_description, "schema": {"type": "string"}}]

    def get_html_context(self):
        return {"previous_url": self.get_previous_link(), "next_url": self.get_next_link()}

    def to_html(self):
        return loader.get_template(self.template).render(self.get_html_context())
