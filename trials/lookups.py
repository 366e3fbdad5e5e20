"""`has_item`: does a JSON list hold this exact value? The same query on SQLite and PostgreSQL.

Django's `contains` on a JSONField is not supported on SQLite, and a text `icontains` would let
"PHASE1" match "EARLY_PHASE1". Phases, standard age groups and conditions are JSON lists, and the
search filters must find a PHASE2/PHASE3 trial under either phase on both databases.
"""

from django.db.models import JSONField, Lookup


@JSONField.register_lookup
class HasItem(Lookup):
    lookup_name = "has_item"
    prepare_rhs = False

    def as_postgresql(self, compiler, connection):
        # jsonb containment: can use a GIN index on the column.
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} @> jsonb_build_array({rhs}::text)", [*lhs_params, *rhs_params]

    def as_sqlite(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        sql = f"EXISTS (SELECT 1 FROM json_each({lhs}) WHERE json_each.value = {rhs})"
        return sql, [*lhs_params, *rhs_params]

    def get_db_prep_lookup(self, value, connection):
        # The right-hand side is a plain string, not a JSON document.
        return ("%s", [str(value)])
