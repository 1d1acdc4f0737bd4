"""Credits, crew groups and results, set-based: domain/attribution.py and fulfilment.results in SQL.

Every number is an integer: micro-units for quantities and hours, HUGEINT for their products,
and `//` for the one division the split needs. Rationals stay as (numerator, denominator)
columns; DuckDB's DECIMAL division would yield a binary float, so it is never used.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pyarrow as pa

from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.norms import ASSIST
from stakhanov.domain.wording import say

# A measured result and the norm version in force on its shift's date.
GROUPS = """
CREATE TEMP TABLE groups AS
SELECT o.entry_id AS output_entry, o.shift_id, o.operation, o.quantity, o.places,
       o.unit AS out_unit, s.date, s.prepared, n.norm_id, n.norm_unit
FROM (outputs o JOIN shifts s USING (shift_id))
ASOF LEFT JOIN norms n ON o.operation = n.operation AND s.date >= n.effective_from
"""

# Credits of doers: given as they are, else the split by hours x coefficient at the quantity's
# written precision, largest remainder first and ties to the earliest row (split_exact).
DOERS = """
CREATE TEMP TABLE doers AS
WITH d AS (
  SELECT c.entry_id, c.shift_id, c.operation, c.worker_id, c.hours, c.hours_places, c.credited,
         c.credited_places, g.quantity, g.places,
         CAST(list_extract([1000000, 100000, 10000, 1000, 100, 10, 1], g.places + 1) AS HUGEINT)
           AS quantum,
         bool_or(c.credited IS NOT NULL) OVER w AS given,
         CAST(c.hours AS HUGEINT) * coalesce(c.coefficient, 1000000) AS weight,
         sum(CAST(c.hours AS HUGEINT) * coalesce(c.coefficient, 1000000)) OVER w AS weight_sum,
         sum(c.hours) OVER w AS doer_hours,
         count(*) OVER w AS doers
  FROM crew c JOIN groups g ON c.shift_id = g.shift_id AND c.operation = g.operation
  WINDOW w AS (PARTITION BY c.shift_id, c.operation)
), f AS (
  SELECT *,
    CASE WHEN given OR weight_sum = 0 THEN 0
         ELSE (quantity // quantum) * weight // weight_sum END AS whole,
    CASE WHEN given OR weight_sum = 0 THEN 0
         ELSE (quantity // quantum) * weight % weight_sum END AS remainder
  FROM d
), r AS (
  SELECT *, quantity // quantum - sum(whole) OVER w AS left_over,
         row_number() OVER (PARTITION BY shift_id, operation ORDER BY remainder DESC, entry_id)
           AS place
  FROM f WINDOW w AS (PARTITION BY shift_id, operation)
), c AS (
  SELECT entry_id, shift_id, operation, worker_id, hours, hours_places, quantity, given,
         weight_sum, doer_hours, doers,
         CASE WHEN given THEN coalesce(credited_places, 0) ELSE places END AS credit_places,
         CAST(CASE WHEN given THEN coalesce(credited, 0)
              ELSE (whole + CASE WHEN place <= left_over THEN 1 ELSE 0 END) * quantum END
              AS BIGINT) AS credit
  FROM r
)
SELECT *,
  -- CrewGroup.pooling: under a tenth of one's hours share, or over one's own share.
  doers >= 2 AND doer_hours > 0 AND quantity > 0
    AND 10 * CAST(credit AS HUGEINT) * doer_hours < CAST(quantity AS HUGEINT) * hours AS donor,
  doers >= 2 AND doer_hours > 0 AND quantity > 0
    AND CAST(credit AS HUGEINT) * doer_hours > CAST(quantity AS HUGEINT) * hours AS beneficiary
FROM c
"""

# Helpers: on an operation the norm in force includes, or assisting.
HELPERS = f"""
CREATE TEMP TABLE helpers AS
SELECT g.shift_id, g.operation AS group_operation, c.entry_id, c.worker_id, c.operation,
       c.hours, c.hours_places
FROM groups g JOIN crew c ON c.shift_id = g.shift_id
LEFT JOIN includes i ON i.norm_id = g.norm_id AND i.operation = c.operation
WHERE c.operation = '{ASSIST}' OR i.norm_id IS NOT NULL
"""

CREW_GROUPS = """
CREATE TEMP TABLE crew_groups AS
SELECT g.*, coalesce(d.doers, 0) AS doers, coalesce(h.helpers, 0) > 0 AS assisted,
       coalesce(d.hours, 0) + coalesce(h.hours, 0) AS crew_hours,
       coalesce(d.pooled, false) AS pooled
FROM groups g
LEFT JOIN (SELECT shift_id, operation, count(*) AS doers, sum(hours) AS hours,
                  bool_or(donor) AND bool_or(beneficiary) AS pooled
           FROM doers GROUP BY shift_id, operation) d USING (shift_id, operation)
LEFT JOIN (SELECT shift_id, group_operation AS operation, count(*) AS helpers,
                  sum(hours) AS hours
           FROM helpers GROUP BY shift_id, group_operation) h USING (shift_id, operation)
"""

RATES = """
CREATE TEMP TABLE rates AS
SELECT norm_id, out_unit,
       CAST(f_num AS HUGEINT) AS f_num, CAST(f_den AS HUGEINT) AS f_den, f_places,
       CAST(k_num AS HUGEINT) AS k_num, CAST(k_den AS HUGEINT) AS k_den,
       CAST(m_num AS HUGEINT) AS m_num, CAST(m_den AS HUGEINT) AS m_den
FROM raw_rates
"""

# One result per shift, worker and operation (Result): rationals as numerator/denominator.
# A view: the audit never reads it, and a report reads it once.
RESULTS = """
CREATE TEMP VIEW results AS
SELECT d.shift_id, g.date, d.worker_id, d.operation, d.entry_id, d.hours, d.credit,
       d.hours_places, d.credit_places + coalesce(r.f_places, 0) AS output_places,
       coalesce(g.norm_unit, g.out_unit) AS unit, g.norm_id IS NOT NULL AS normed, g.norm_id,
       CAST(d.credit AS HUGEINT) * coalesce(r.f_num, 1) AS output_num,
       1000000 * coalesce(r.f_den, 1) AS output_den,
       d.hours * r.m_num AS norm_output_num, 1000000 * r.m_den AS norm_output_den,
       d.credit * r.k_num AS earned_num, 1000000 * r.k_den AS earned_den,
       CASE WHEN g.assisted OR g.pooled THEN CAST(g.quantity AS HUGEINT) * r.k_num * d.hours
            ELSE d.credit * r.k_num END AS fair_num,
       CASE WHEN g.assisted OR g.pooled THEN 1000000 * r.k_den * g.crew_hours
            ELSE 1000000 * r.k_den END AS fair_den,
       g.assisted, g.pooled, g.prepared
FROM doers d JOIN crew_groups g USING (shift_id, operation)
LEFT JOIN rates r ON r.norm_id = g.norm_id AND r.out_unit = g.out_unit
UNION ALL
-- Helpers' own rows: their work is inside the result they helped, so no output of their own.
SELECT c.shift_id, s.date, c.worker_id, c.operation, c.entry_id, c.hours, 0,
       c.hours_places, 0, NULL, false,
       NULL, 0, 1, NULL, NULL, NULL, NULL, NULL, NULL, false, false, s.prepared
FROM crew c JOIN shifts s USING (shift_id)
WHERE NOT EXISTS (
  SELECT 1 FROM outputs o WHERE o.shift_id = c.shift_id AND o.operation = c.operation)
"""


def build_attribution(db: duckdb.DuckDBPyConnection, rates: Callable[[], pa.Table]) -> None:
    """Create groups, doers (credits), helpers, crew_groups, rates and results."""
    for statement in (GROUPS, DOERS, HELPERS, CREW_GROUPS):
        db.execute(statement)
    empty = db.execute("SELECT count(*) FROM doers WHERE NOT given AND weight_sum = 0").fetchall()
    if empty[0][0]:
        raise InvalidValue("coefficient", "0", say("hours x coefficient add up to zero"))
    db.register("raw_rates", rates())
    db.execute(RATES)
    db.execute(RESULTS)
