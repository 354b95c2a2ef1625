"""Reads whose SQL is compiled once per thread, not once per read.

Compiling a query is most of what the ORM costs in Python: each time, Django builds, quotes and
joins every column of every table the query selects (83 columns for a booking with its rep and
Meeting Type, one to two milliseconds), where PostgreSQL answers a primary-key lookup in a
fraction of that. The booking pipeline reads each booking this way three times (the link run's
claim, the confirmation's and the invites' claims), and the booking POST runs half a dozen reads
that differ from one booking to the next only in their values.

    BOOKING_FOR_LINK = ByPrimaryKey(lambda: Booking.objects.select_related("rep"))
    booking = BOOKING_FOR_LINK.get(booking_id)

    BOOKABLE = ByKeys(lambda: MeetingType.objects.all(), "rep__booking_slug", "slug")
    meeting_type = BOOKABLE.get(rep_slug, slug)

    BUSY = Rows(lambda rep_ids, start, end: Booking.objects.filter(
        rep__in=rep_ids, start_at__lt=end, end_at__gt=start).values_list("start_at", "end_at"))
    busy = BUSY.of([rep.pk], start, end)

The queryset is built and compiled on a thread's first read (Django's own compiler: the same
SQL, columns, converters and select_related objects as iterating the queryset), with stand-ins
for the values, then only the values change; its prefetch_related lookups are fetched for the
rows as the ORM would (one that ends in a reverse foreign key reached through select_related
objects, a schedule's weekly windows, by a query compiled once too). Per thread, because a
compiler belongs to its thread's database connection.
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models import Model, Prefetch, QuerySet, prefetch_related_objects
from django.db.models.constants import LOOKUP_SEP
from django.db.models.fields.related_descriptors import ReverseManyToOneDescriptor
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    ValuesListIterable,
    get_related_populators,
)
from django.db.models.sql.compiler import SQLCompiler
from django.db.transaction import TransactionManagementError

# Stand for the values while the query is compiled: values no row holds, found again in the
# compiled parameters to learn where each value goes. Integers within 32 bits (Django compiles an
# out-of-range integer lookup to no query at all); text with a control character no slug or email
# holds; moments in 1901, a microsecond apart.
_KEY_STAND_IN = -1_917_042_871
_TEXT_STAND_IN = "\x1fcompiled-read-key-{}"
_MOMENT_STAND_IN = datetime(1901, 12, 13, 20, 45, 52, tzinfo=UTC)
_INTEGER_KEYS = {"AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField"}


@dataclass(frozen=True)
class _Compiled:
    db: str
    model: type[Model]
    sql: str | None  # None: the query matches no row whatever the values (an empty `__in`)
    params: tuple
    keys_at: tuple[int, ...]
    compiler: SQLCompiler
    converters: dict
    rows_as: type  # the queryset's iterable: model instances, tuples or single values
    init_list: list[str]
    fields_start: int
    fields_end: int
    related_populators: list
    prefetches: tuple
    locks: bool  # SELECT … FOR UPDATE

    def fetch(self, values: list, limit: int | None = None) -> list:
        """The rows of the query with `values` (prepared for the database) in place of the
        stand-ins, as the queryset would return them; at most `limit` rows are read."""
        if self.sql is None:
            return []
        connection = self.compiler.connection
        if self.locks and connection.get_autocommit():
            raise TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
        params = list(self.params)
        for at, value in zip(self.keys_at, values, strict=True):
            params[at] = value
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall() if limit is None else cursor.fetchmany(limit)
        if self.converters:
            rows = list(self.compiler.apply_converters(rows, self.converters))
        if self.rows_as is FlatValuesListIterable:
            return [row[0] for row in rows]
        if self.rows_as is ValuesListIterable:
            return [tuple(row) for row in rows]
        objects = []
        for row in rows:
            obj = self.model.from_db(
                self.db, self.init_list, row[self.fields_start : self.fields_end]
            )
            for populator in self.related_populators:
                populator.populate(row, obj)
            objects.append(obj)
        if self.prefetches and objects:
            lookups = []
            for prefetch in self.prefetches:
                if isinstance(prefetch, _ChildrenPrefetch):
                    prefetch.fetch(objects)
                else:
                    lookups.append(prefetch)
            prefetch_related_objects(objects, *lookups)
        return objects


class ByKeys:
    """`get(*values)` of `make_queryset()` filtered on `lookups` (exact text lookups: filters,
    select_related, select_for_update and prefetch_related; no slicing), compiled once per
    thread."""

    def __init__(self, make_queryset: Callable[[], QuerySet], *lookups: str):
        self._make_queryset = make_queryset
        self._lookups = lookups
        self._local = threading.local()

    def get(self, *values) -> Model:
        """The row, or the model's DoesNotExist. A locking read (select_for_update) must run in a
        transaction, as Django requires of the queryset itself."""
        if len(values) != len(self._lookups):
            raise TypeError(f"{len(self._lookups)} key(s) expected, {len(values)} given")
        compiled = getattr(self._local, "compiled", None)
        if compiled is None or compiled.compiler.connection is not connections[compiled.db]:
            queryset = self._make_queryset()
            if queryset.query.is_sliced:
                raise ValueError("a compiled read reads one row: no slicing")
            stand_ins = self._stand_ins()
            compiled = self._local.compiled = _compile(
                queryset.filter(**stand_ins).order_by(), list(stand_ins.values())
            )
        found = compiled.fetch(self._prepared(compiled, values), limit=2)
        model = compiled.model
        if not found:
            raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
        if len(found) > 1:
            raise model.MultipleObjectsReturned(f"get() returned more than one {model.__name__}")
        return found[0]

    def _stand_ins(self) -> dict:
        return {lookup: _TEXT_STAND_IN.format(i) for i, lookup in enumerate(self._lookups)}

    def _prepared(self, compiled: _Compiled, values) -> list:
        return [str(value) for value in values]


class ByPrimaryKey(ByKeys):
    """`get(pk)` of `make_queryset()`."""

    def __init__(self, make_queryset: Callable[[], QuerySet]):
        super().__init__(make_queryset, "pk")

    def _stand_ins(self) -> dict:
        return {"pk": _KEY_STAND_IN}

    def _prepared(self, compiled: _Compiled, values) -> list:
        connection = compiled.compiler.connection
        return [compiled.model._meta.pk.get_db_prep_value(values[0], connection)]


class Rows:
    """`of(*values)`: the rows of `make_queryset(*values)` (model instances as its filters,
    select_related, select_for_update and prefetch_related give them, or its values_list
    tuples), compiled once per thread and shape.

    The queryset is built once with stand-ins for the values: integers, text, aware datetimes
    and lists of those, each of which must reach the SQL as it is (a filter's value, not a part
    of one). None and booleans are passed as they are: the query's shape may depend on them and
    on the lengths of the lists, each shape compiled once."""

    def __init__(self, make_queryset: Callable[..., QuerySet]):
        self._make_queryset = make_queryset
        self._local = threading.local()

    def of(self, *values) -> list:
        shape = tuple(_shape_of(value) for value in values)
        cache = self._local.__dict__.setdefault("compiled", {})
        compiled = cache.get(shape)
        if compiled is None or compiled.compiler.connection is not connections[compiled.db]:
            counter = iter(range(1_000_000))
            arguments = [_stand_in_for(value, counter) for value in values]
            queryset = self._make_queryset(*arguments)
            connection = connections[queryset.db]
            stand_ins = [_prepared(value, connection) for value in _flat(arguments)]
            compiled = cache[shape] = _compile(queryset, stand_ins)
        connection = compiled.compiler.connection
        return compiled.fetch([_prepared(value, connection) for value in _flat(values)])


def _shape_of(value):
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, list | tuple):
        return tuple(_shape_of(item) for item in value)
    if isinstance(value, datetime) and value.utcoffset() is None:
        raise TypeError("a compiled read takes aware datetimes only")
    if not isinstance(value, int | str | datetime):
        raise TypeError(f"a compiled read cannot take {type(value).__name__} values")
    return type(value)


def _stand_in_for(value, counter):
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, list | tuple):
        return [_stand_in_for(item, counter) for item in value]
    index = next(counter)
    if isinstance(value, datetime):
        return _MOMENT_STAND_IN + timedelta(microseconds=index)
    if isinstance(value, str):
        return _TEXT_STAND_IN.format(index)
    return _KEY_STAND_IN + index


def _flat(values):
    for value in values:
        if isinstance(value, list | tuple):
            yield from _flat(value)
        elif value is not None and not isinstance(value, bool):
            yield value


def _prepared(value, connection):
    """The value as the ORM hands it to the database driver (a datetime as a DateTimeField's)."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


def _compile(queryset: QuerySet, stand_ins: list) -> _Compiled:
    rows_as = queryset._iterable_class
    if rows_as not in (ModelIterable, ValuesListIterable, FlatValuesListIterable):
        raise TypeError(f"a compiled read cannot return {rows_as.__name__} rows")
    query = queryset.query
    if rows_as is ModelIterable and (query.annotation_select or query.extra_select):
        # Django sets them on each object apart from the model's fields.
        raise TypeError("a compiled read of model instances cannot annotate them")
    compiler = query.get_compiler(using=queryset.db)
    # Django refuses to compile a locking read outside a transaction (nothing is sent to the
    # database here); the SQL is the same inside one.
    with transaction.atomic(using=queryset.db, savepoint=False):
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            sql, params = None, ()
    positions = []
    for stand_in in stand_ins if sql is not None else ():
        found = [i for i, value in enumerate(params) if value == stand_in]
        if len(found) != 1:
            raise ValueError(f"{stand_in!r} appears {len(found)} times in the compiled query")
        positions += found
    columns = [column[0] for column in compiler.select[: compiler.col_count]]
    if compiler.has_composite_fields(columns):
        raise TypeError("a compiled read cannot read composite fields")
    klass_info, select = compiler.klass_info, compiler.select
    start = end = 0
    if rows_as is ModelIterable:
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    return _Compiled(
        db=queryset.db,
        model=queryset.model,
        sql=sql,
        params=tuple(params),
        keys_at=tuple(positions),
        compiler=compiler,
        converters=compiler.get_converters(columns),
        rows_as=rows_as,
        init_list=[column[0].target.attname for column in select[start:end]],
        fields_start=start,
        fields_end=end,
        related_populators=get_related_populators(klass_info, select, queryset.db)
        if rows_as is ModelIterable
        else [],
        prefetches=tuple(
            _ChildrenPrefetch.of(queryset.model, query.select_related, lookup) or lookup
            for lookup in queryset._prefetch_related_lookups
        ),
        locks=bool(query.select_for_update),
    )


class _ChildrenPrefetch:
    """A prefetch_related lookup that ends in a reverse foreign key (a schedule's weekly windows)
    reached through select_related objects, its rows read by a compiled query and cached on each
    parent as Django's prefetch caches them (Django builds and compiles that query on every read).
    """

    def __init__(self, path: list[str], name: str, descriptor, queryset: QuerySet | None):
        self._path, self._name, self._queryset = path, name, queryset
        self._key = descriptor.field  # the child's foreign key to the parent
        children = queryset if queryset is not None else self._key.model._default_manager.all()
        self._rows = Rows(lambda ids: children.filter(**{f"{self._key.attname}__in": ids}))

    @classmethod
    def of(cls, model, select_related, lookup) -> "_ChildrenPrefetch | None":
        """The compiled prefetch of `lookup`, or None when it is one only Django's prefetch does."""
        lookup = lookup if isinstance(lookup, Prefetch) else Prefetch(lookup)
        if lookup.to_attr or (
            lookup.queryset is not None and lookup.queryset._prefetch_related_lookups
        ):
            return None
        *path, name = lookup.prefetch_through.split(LOOKUP_SEP)
        for step in path:
            if not isinstance(select_related, dict) or step not in select_related:
                return None
            field = model._meta.get_field(step)
            if not (field.many_to_one and field.concrete):
                return None
            model, select_related = field.related_model, select_related[step]
        descriptor = getattr(model, name, None)
        if type(descriptor) is not ReverseManyToOneDescriptor:
            return None
        target = descriptor.field.target_field
        if not target.primary_key or target.get_internal_type() not in _INTEGER_KEYS:
            return None
        return cls(path, name, descriptor, lookup.queryset)

    def fetch(self, objects: list) -> None:
        parents, seen = [], set()
        for parent in objects:
            for step in self._path:
                parent = getattr(parent, step)  # loaded with the row (select_related)
                if parent is None:
                    break
            if parent is not None and id(parent) not in seen:
                seen.add(id(parent))
                parents.append(parent)
        if not parents:
            return
        children: dict = {}
        for child in self._rows.of(sorted({parent.pk for parent in parents})):
            children.setdefault(getattr(child, self._key.attname), []).append(child)
        for parent in parents:
            found = children.get(parent.pk, [])
            for child in found:
                self._key.set_cached_value(child, parent)
            manager = getattr(parent, self._name)
            cached = (
                manager.get_queryset()
                if self._queryset is None
                else manager._apply_rel_filters(self._queryset)
            )
            cached._result_cache, cached._prefetch_done = found, True
            parent.__dict__.setdefault("_prefetched_objects_cache", {})[
                self._key.remote_field.cache_name
            ] = cached
