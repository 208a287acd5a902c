-- ACLED export → one normalised row per event. event_id_cnty, notes, location and coordinates are never read.
-- Dates: event_date as Year-Month-Day (current exports) or '15 January 2024' (older ones); time_precision
-- 2 or 3 means the date is only known to the week or month: counted in that month, flagged approximate.
SELECT
    record,  -- the reader's record number (WITH ORDINALITY), which the line of a refused row is found from
    CASE WHEN country IS NULL THEN NULL ELSE lower(trim(country)) = 'pakistan' END AS in_pakistan,
    year(try_strptime(trim(event_date), ['%Y-%m-%d', '%d %B %Y', '%d-%B-%Y'])) AS event_year,
    CAST(date_trunc('month', try_strptime(trim(event_date), ['%Y-%m-%d', '%d %B %Y', '%d-%B-%Y'])) AS DATE) AS event_month,
    coalesce(try_cast(time_precision AS INTEGER) > 1, false) AS date_approx,
    admin1 AS region_label,
    list_filter(
        flatten([[actor1], string_split(coalesce(assoc_actor_1, ''), ';'), [actor2],
                 string_split(coalesce(assoc_actor_2, ''), ';')]),
        lambda a: nullif(trim(a), '') IS NOT NULL
    ) AS actors,
    trim(event_type) AS source_type,
    coalesce(trim(sub_event_type), '') AS source_subtype,
    false AS suicide,
    fatalities AS fatalities_text,
    NULL::VARCHAR AS low_text,
    NULL::VARCHAR AS high_text,
    NULL::VARCHAR AS wounded_text,
    list_filter([
        CASE WHEN country IS NULL THEN {'column': 'country', 'rule': 'required'} END,
        CASE WHEN event_date IS NULL THEN {'column': 'event_date', 'rule': 'required'}
             WHEN try_strptime(trim(event_date), ['%Y-%m-%d', '%d %B %Y', '%d-%B-%Y']) IS NULL
             THEN {'column': 'event_date', 'rule': 'type_date'}
             WHEN try_strptime(trim(event_date), ['%Y-%m-%d', '%d %B %Y', '%d-%B-%Y']) > $now
             THEN {'column': 'event_date', 'rule': 'future_date'} END,
        CASE WHEN time_precision IS NOT NULL AND coalesce(try_cast(time_precision AS INTEGER) NOT IN (1, 2, 3), true)
             THEN {'column': 'time_precision', 'rule': 'enum'} END,
        CASE WHEN event_type IS NULL THEN {'column': 'event_type', 'rule': 'required'} END
    ], lambda p: p IS NOT NULL) AS problems
FROM event_input
