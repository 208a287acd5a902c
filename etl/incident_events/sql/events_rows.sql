-- Event exports, pass 1: the normalised rows of one export (event_norm: one of events_<dataset>.sql) with
-- their death and injury counts checked: whole non-negative numbers; a blank is unknown, never zero.
-- A best estimate outside the source's own low-high range (UCDP GED has about 200 such rows upstream) is
-- the publisher's data, not damage: the row is kept, flagged (estimates_out_of_order) and counted.
-- $fatalities_column, $low_column, $high_column and $wounded_column name the source columns in failures.
CREATE TEMP TABLE ev_rows AS
WITH counted AS (
    SELECT *,
        try_cast(trim(fatalities_text) AS DOUBLE) AS fatalities_value,
        try_cast(trim(low_text) AS DOUBLE) AS low_value,
        try_cast(trim(high_text) AS DOUBLE) AS high_value,
        try_cast(trim(wounded_text) AS DOUBLE) AS wounded_value
    FROM event_norm
)
SELECT
    record, in_pakistan, event_year, event_month, date_approx, region_label, actors, source_type, source_subtype,
    suicide,
    CAST(fatalities_value AS BIGINT) AS fatalities,
    CAST(low_value AS BIGINT) AS fatalities_low,
    CAST(high_value AS BIGINT) AS fatalities_high,
    CAST(wounded_value AS BIGINT) AS wounded,
    nullif(trim(fatalities_text), '') IS NULL AS fatalities_unknown,
    coalesce(low_value > fatalities_value OR fatalities_value > high_value, false) AS estimates_out_of_order,
    list_concat(problems, list_filter([
        CASE WHEN nullif(trim(fatalities_text), '') IS NOT NULL
                  AND coalesce(fatalities_value <> floor(fatalities_value) OR fatalities_value > 1e9, true)
             THEN {'column': $fatalities_column, 'rule': 'type_integer'}
             WHEN fatalities_value < 0 THEN {'column': $fatalities_column, 'rule': 'minimum'} END,
        CASE WHEN nullif(trim(low_text), '') IS NOT NULL
                  AND coalesce(low_value <> floor(low_value) OR low_value < 0 OR low_value > 1e9, true)
             THEN {'column': $low_column, 'rule': 'type_integer'} END,
        CASE WHEN nullif(trim(high_text), '') IS NOT NULL
                  AND coalesce(high_value <> floor(high_value) OR high_value < 0 OR high_value > 1e9, true)
             THEN {'column': $high_column, 'rule': 'type_integer'} END,
        CASE WHEN nullif(trim(wounded_text), '') IS NOT NULL
                  AND coalesce(wounded_value <> floor(wounded_value) OR wounded_value < 0 OR wounded_value > 1e9, true)
             THEN {'column': $wounded_column, 'rule': 'type_integer'} END
    ], lambda p: p IS NOT NULL)) AS problems
FROM counted
