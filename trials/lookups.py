"""`has_item`: does a JSON list hold this exact value? The same query on SQLite and PostgreSQL.
`has_item_iexact`: the same, ignoring case.

Django's `contains` on a JSONField is not supported on SQLite, and a text `icontains` would let
"PHASE1" match "EARLY_PHASE1". Phases, standard age groups and conditions are JSON lists, and the
search filters must find a PHASE2/PHASE3 trial under either phase on both databases.
"""

import json

from django.db.models import JSONField, Lookup


@JSONField.register_lookup
class HasItem(Lookup):
    lookup_name = "has_item"
    prepare_rhs = False

    def as_postgresql(self, compiler, connection):
        # jsonb containment: can use a GIN index on the column. The list is a constant
        # ('["PHASE2"]'::jsonb), not jsonb_build_array(...), which PostgreSQL would build again
        # for every row: counting the phases at scale took far longer (bench/RESULTS.md has the
        # current figures).
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if hasattr(self.rhs, "resolve_expression"):  # a column or subquery: built per row
            rhs, rhs_params = self.process_rhs(compiler, connection)
            return f"{lhs} @> jsonb_build_array({rhs}::text)", [*lhs_params, *rhs_params]
        return f"{lhs} @> %s::jsonb", [*lhs_params, json.dumps([str(self.rhs)])]

    def as_sqlite(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        sql = f"EXISTS (SELECT 1 FROM json_each({lhs}) WHERE json_each.value = {rhs})"
        return sql, [*lhs_params, *rhs_params]

    def get_db_prep_lookup(self, value, connection):
        # The right-hand side is a plain string, not a JSON document.
        return ("%s", [str(value)])


@JSONField.register_lookup
class HasItemIexact(HasItem):
    """The same, ignoring case: a country typed "united states" finds "United States". The
    list is unnested row by row (a trial's few countries), so no index is needed or used."""

    lookup_name = "has_item_iexact"

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        sql = (
            f"EXISTS (SELECT 1 FROM jsonb_array_elements_text({lhs}) AS item "
            f"WHERE lower(item) = lower({rhs}::text))"
        )
        return sql, [*lhs_params, *rhs_params]

    def as_sqlite(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        sql = f"EXISTS (SELECT 1 FROM json_each({lhs}) WHERE lower(json_each.value) = lower({rhs}))"
        return sql, [*lhs_params, *rhs_params]
