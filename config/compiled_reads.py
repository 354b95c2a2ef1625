"""Reads of one row by its key(s) whose SQL is compiled once per thread, not once per read.

Compiling a query is most of what the ORM costs in Python: each time, Django builds, quotes and
joins every column of every table the query selects (83 columns for a booking with its rep and
Meeting Type, one to two milliseconds), where PostgreSQL answers a primary-key lookup in a
fraction of that. The booking pipeline reads each booking this way three times (the link run's
claim, the confirmation's and the invites' claims): the same SQL every time but for the key.

    BOOKING_FOR_LINK = ByPrimaryKey(lambda: Booking.objects.select_related("rep"))
    booking = BOOKING_FOR_LINK.get(booking_id)

    BOOKABLE = ByKeys(lambda: MeetingType.objects.all(), "rep__booking_slug", "slug")
    meeting_type = BOOKABLE.get(rep_slug, slug)

The queryset is built and compiled on a thread's first read (Django's own compiler: the same
SQL, columns, converters and select_related objects as `queryset.get(pk=…)`), then only the keys
change; its prefetch_related lookups are fetched for the row as get() would. Per thread, because
a compiler belongs to its thread's database connection.
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections, transaction
from django.db.models import Model, QuerySet, prefetch_related_objects
from django.db.models.query import get_related_populators
from django.db.models.sql.compiler import SQLCompiler
from django.db.transaction import TransactionManagementError

# Stand for the keys while the query is compiled: values no row holds, found again in the
# compiled parameters to learn where each key goes. The primary key's within 32 bits (Django
# compiles an out-of-range integer lookup to no query at all); text keys' with a control character
# no slug or email holds.
_KEY_STAND_IN = -1_917_042_871
_TEXT_STAND_IN = "\x1fcompiled-read-key-{}"


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    keys_at: tuple[int, ...]
    compiler: SQLCompiler
    init_list: list[str]
    fields_start: int
    fields_end: int
    related_populators: list
    locks: bool  # SELECT … FOR UPDATE


class ByKeys:
    """`get(*values)` of `make_queryset()` filtered on `lookups` (exact text lookups: filters,
    select_related, select_for_update and prefetch_related; no slicing), compiled once per
    thread and database."""

    def __init__(self, make_queryset: Callable[[], QuerySet], *lookups: str):
        self._make_queryset = make_queryset
        self._lookups = lookups
        self._local = threading.local()

    def get(self, *values) -> Model:
        """The row, or the model's DoesNotExist. A locking read (select_for_update) must run in a
        transaction, as Django requires of the queryset itself."""
        if len(values) != len(self._lookups):
            raise TypeError(f"{len(self._lookups)} key(s) expected, {len(values)} given")
        queryset = self._make_queryset()
        compiled = self._compiled(queryset)
        connection = connections[queryset.db]
        if compiled.locks and connection.get_autocommit():
            raise TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
        params = list(compiled.params)
        keys = self._prepared(queryset, values, connection)
        for at, value in zip(compiled.keys_at, keys, strict=True):
            params[at] = value
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchmany(2)
        model = queryset.model
        if not rows:
            raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
        if len(rows) > 1:
            raise model.MultipleObjectsReturned(f"get() returned more than one {model.__name__}")
        [row] = compiled.compiler.results_iter([rows])
        obj = model.from_db(
            queryset.db, compiled.init_list, row[compiled.fields_start : compiled.fields_end]
        )
        for populator in compiled.related_populators:
            populator.populate(row, obj)
        if queryset._prefetch_related_lookups:
            prefetch_related_objects([obj], *queryset._prefetch_related_lookups)
        return obj

    def _stand_ins(self) -> dict:
        return {lookup: _TEXT_STAND_IN.format(i) for i, lookup in enumerate(self._lookups)}

    def _prepared(self, queryset, values, connection) -> list:
        return [str(value) for value in values]

    def _compiled(self, queryset: QuerySet) -> _Compiled:
        connection = connections[queryset.db]
        cache = self._local.__dict__.setdefault("compiled", {})
        compiled = cache.get(queryset.db)
        if compiled is None or compiled.compiler.connection is not connection:
            compiled = cache[queryset.db] = _compile(queryset, self._stand_ins())
        return compiled


class ByPrimaryKey(ByKeys):
    """`get(pk)` of `make_queryset()`."""

    def __init__(self, make_queryset: Callable[[], QuerySet]):
        super().__init__(make_queryset, "pk")

    def _stand_ins(self) -> dict:
        return {"pk": _KEY_STAND_IN}

    def _prepared(self, queryset, values, connection) -> list:
        return [queryset.model._meta.pk.get_db_prep_value(values[0], connection)]


def _compile(queryset: QuerySet, stand_ins: dict) -> _Compiled:
    if queryset.query.is_sliced:
        raise ValueError("a compiled read reads one row: no slicing")
    query = queryset.filter(**stand_ins).order_by().query
    compiler = query.get_compiler(using=queryset.db)
    # Django refuses to compile a locking read outside a transaction (nothing is sent to the
    # database here); the SQL is the same inside one.
    with transaction.atomic(using=queryset.db, savepoint=False):
        sql, params = compiler.as_sql()
    positions = []
    for lookup, stand_in in stand_ins.items():
        found = [i for i, value in enumerate(params) if value == stand_in]
        if len(found) != 1:
            raise ValueError(f"{lookup} appears {len(found)} times in the compiled query")
        positions += found
    klass_info, select = compiler.klass_info, compiler.select
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    return _Compiled(
        sql=sql,
        params=tuple(params),
        keys_at=tuple(positions),
        compiler=compiler,
        init_list=[column[0].target.attname for column in select[start:end]],
        fields_start=start,
        fields_end=end,
        related_populators=get_related_populators(klass_info, select, queryset.db),
        locks=bool(query.select_for_update),
    )
