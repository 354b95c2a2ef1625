"""Reads of one row by primary key whose SQL is compiled once per thread, not once per read.

Compiling a query is most of what the ORM costs in Python: each time, Django builds, quotes and
joins every column of every table the query selects (83 columns for a booking with its rep and
Meeting Type, one to two milliseconds), where PostgreSQL answers a primary-key lookup in a
fraction of that. The booking pipeline reads each booking this way three times (the link run's
claim, the confirmation's and the invites' claims): the same SQL every time but for the key.

    BOOKING_FOR_LINK = ByPrimaryKey(lambda: Booking.objects.select_related("rep"))
    booking = BOOKING_FOR_LINK.get(booking_id)

The queryset is built and compiled on a thread's first read (Django's own compiler: the same
SQL, columns, converters and select_related objects as `queryset.get(pk=…)`), then only the key
changes. Per thread, because a compiler belongs to its thread's database connection.
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections, transaction
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators
from django.db.models.sql.compiler import SQLCompiler
from django.db.transaction import TransactionManagementError

# Stands for the key while the query is compiled: a value no primary key holds, found again in
# the compiled parameters to learn where the key goes.
# (Within 32 bits: Django compiles an out-of-range integer lookup to no query at all.)
_KEY_STAND_IN = -1_917_042_871


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    key_at: int
    compiler: SQLCompiler
    init_list: list[str]
    fields_start: int
    fields_end: int
    related_populators: list
    locks: bool  # SELECT … FOR UPDATE


class ByPrimaryKey:
    """`get(pk)` of `make_queryset()` (filters, select_related, select_for_update: no slicing,
    no prefetching), compiled once per thread and database."""

    def __init__(self, make_queryset: Callable[[], QuerySet]):
        self._make_queryset = make_queryset
        self._local = threading.local()

    def get(self, pk) -> Model:
        """The row, or the model's DoesNotExist. A locking read (select_for_update) must run in a
        transaction, as Django requires of the queryset itself."""
        queryset = self._make_queryset()
        compiled = self._compiled(queryset)
        connection = connections[queryset.db]
        if compiled.locks and connection.get_autocommit():
            raise TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
        params = list(compiled.params)
        params[compiled.key_at] = queryset.model._meta.pk.get_db_prep_value(pk, connection)
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchmany(2)
        if not rows:
            raise queryset.model.DoesNotExist(
                f"{queryset.model._meta.object_name} matching query does not exist."
            )
        [row] = compiled.compiler.results_iter([rows])
        obj = queryset.model.from_db(
            queryset.db, compiled.init_list, row[compiled.fields_start : compiled.fields_end]
        )
        for populator in compiled.related_populators:
            populator.populate(row, obj)
        return obj

    def _compiled(self, queryset: QuerySet) -> _Compiled:
        connection = connections[queryset.db]
        cache = self._local.__dict__.setdefault("compiled", {})
        compiled = cache.get(queryset.db)
        if compiled is None or compiled.compiler.connection is not connection:
            compiled = cache[queryset.db] = _compile(queryset)
        return compiled


def _compile(queryset: QuerySet) -> _Compiled:
    query = queryset.filter(pk=_KEY_STAND_IN).order_by().query
    if query.low_mark or query.high_mark or queryset._prefetch_related_lookups:
        raise ValueError("ByPrimaryKey reads one row: no slicing or prefetching")
    compiler = query.get_compiler(using=queryset.db)
    # Django refuses to compile a locking read outside a transaction (nothing is sent to the
    # database here); the SQL is the same inside one.
    with transaction.atomic(using=queryset.db, savepoint=False):
        sql, params = compiler.as_sql()
    positions = [i for i, value in enumerate(params) if value == _KEY_STAND_IN]
    if len(positions) != 1:
        raise ValueError(f"the key appears {len(positions)} times in the compiled query")
    klass_info, select = compiler.klass_info, compiler.select
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    return _Compiled(
        sql=sql,
        params=tuple(params),
        key_at=positions[0],
        compiler=compiler,
        init_list=[column[0].target.attname for column in select[start:end]],
        fields_start=start,
        fields_end=end,
        related_populators=get_related_populators(klass_info, select, queryset.db),
        locks=bool(query.select_for_update),
    )
