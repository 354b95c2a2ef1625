"""Compare-and-swap UPDATEs whose SQL is compiled once per shape, not once per write.

    taken = update_if_as_read(
        Booking, booking.pk, {"link_state": "pending", "link_lease_until": None},
        {"link_attempts": 2},
    )

updates the booking's row only while those fields still hold those values (IS NULL for None):
one UPDATE that lands only if nobody changed those fields meanwhile. It
is what `Booking.objects.filter(Q(pk=…) & Q(link_state=…) & …).update(…)` sends, but through the
ORM Django builds, resolves and compiles the filter and the SET list on every write (about a
millisecond of Python, for an UPDATE PostgreSQL runs in a fraction of that; a booking's link run
makes two). Here Django compiles it once per shape (which fields, which of their values are
None), and each write only prepares its values as Django's compiler does (`get_db_prep_save` for
the SET list, the exact lookup's `get_db_prep_value` for the condition).
"""

from collections.abc import Mapping

from django.db import connections, router, transaction
from django.db.models import Model, Q
from django.db.models.sql import UpdateQuery

# (database, model, fields set, which set to NULL, fields as read, which read as NULL) -> SQL.
_compiled: dict[tuple, str] = {}


def update_if_as_read(
    model: type[Model], pk, as_read: Mapping[str, object], values: Mapping[str, object]
) -> int:
    """UPDATE `model`'s row `pk` SET `values` WHERE each of its fields named in `as_read` still
    holds the value given there; the number of rows updated (0 or 1). Plain values only (no
    expressions, no model instances), as a compare-and-swap stores."""
    db = router.db_for_write(model)
    connection = connections[db]
    meta = model._meta
    set_params = []
    for name, value in values.items():
        field = meta.get_field(name)
        if field.model is not meta.concrete_model:
            # An inherited field is another table's: Django runs a second UPDATE for it.
            raise TypeError(f"{name}: a compiled update sets the model's own columns only")
        if hasattr(value, "resolve_expression") or hasattr(value, "prepare_database_save"):
            raise TypeError(f"{name}: a compiled update takes plain values only")
        set_params.append(field.get_db_prep_save(value, connection=connection))
    if any("__" in name for name in as_read):
        raise TypeError("a compiled update reads the row's own fields only (no joins)")
    read = [("pk", pk), *as_read.items()]
    where_params = []
    for name, value in read:
        if value is not None:
            field = meta.pk if name == "pk" else meta.get_field(name)
            prepared = field.get_db_prep_value(field.get_prep_value(value), connection, True)
            where_params.append(prepared)
    key = (
        db,
        model,
        tuple(values),
        tuple(value is None for value in set_params),
        tuple(as_read),
        tuple(value is None for _, value in read),
    )
    params = [value for value in set_params if value is not None] + where_params
    sql = _compiled.get(key)
    if sql is None:
        sql, django_params = _compile(model, db, read, values)
        if _same_params(django_params, params):
            _compiled[key] = sql
        else:
            # Django prepared these values otherwise (a field type this module does not
            # mirror): its own SQL and parameters, compiled again next time.
            params = django_params
    with transaction.mark_for_rollback_on_error(using=db), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _compile(model, db: str, read: list, values: Mapping[str, object]) -> tuple[str, list]:
    """Django's own UPDATE for these values (`QuerySet.update`'s query and compiler)."""
    condition = Q()
    for name, value in read:
        condition &= Q(**{f"{name}__isnull": True}) if value is None else Q(**{name: value})
    query = model._default_manager.using(db).filter(condition).query.chain(UpdateQuery)
    query.add_update_values(dict(values))
    query.clear_select_clause()
    sql, params = query.get_compiler(db).as_sql()
    return sql, list(params)


def _same_params(compiled: list, prepared: list) -> bool:
    """Whether each prepared value is the compiler's (a JSON value is wrapped in an object that
    compares by identity: its type and content are compared)."""
    return len(compiled) == len(prepared) and all(
        type(a) is type(b) and getattr(a, "obj", a) == getattr(b, "obj", b)
        for a, b in zip(compiled, prepared, strict=True)
    )
