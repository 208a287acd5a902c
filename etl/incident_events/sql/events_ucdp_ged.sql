-- UCDP GED → one normalised row per event. id, relid, source texts, places and coordinates are never read.
-- An event is dated by a range (date_start … date_end): within one calendar month it is counted in that
-- month; across months, in the year of date_start with no month. best is the death count; low and high
-- the range. date_prec above 1, or a range of more than one day, flags the date as approximate.
SELECT
    record,  -- the reader's record number (WITH ORDINALITY), which the line of a refused row is found from
    CASE WHEN country IS NULL AND country_id IS NULL THEN NULL
         ELSE coalesce(lower(trim(country)) = 'pakistan', false) OR coalesce(trim(country_id) = '770', false) END
        AS in_pakistan,
    year(try_cast(left(trim(date_start), 10) AS DATE)) AS event_year,
    CASE WHEN date_trunc('month', try_cast(left(trim(date_start), 10) AS DATE))
              = date_trunc('month', try_cast(left(trim(date_end), 10) AS DATE))
         THEN CAST(date_trunc('month', try_cast(left(trim(date_start), 10) AS DATE)) AS DATE) END AS event_month,
    coalesce(try_cast(date_prec AS INTEGER) > 1, false)
        OR coalesce(try_cast(left(trim(date_start), 10) AS DATE) <> try_cast(left(trim(date_end), 10) AS DATE), false)
        AS date_approx,
    adm_1 AS region_label,
    list_filter([side_a, side_b], lambda a: nullif(trim(a), '') IS NOT NULL) AS actors,
    trim(type_of_violence) AS source_type,
    '' AS source_subtype,
    false AS suicide,
    best AS fatalities_text,
    low AS low_text,
    high AS high_text,
    NULL::VARCHAR AS wounded_text,
    list_filter([
        CASE WHEN country IS NULL AND country_id IS NULL THEN {'column': 'country', 'rule': 'required'} END,
        CASE WHEN date_start IS NULL THEN {'column': 'date_start', 'rule': 'required'}
             WHEN NOT regexp_matches(date_start, '^\s*[0-9]{4}-[0-9]{2}-[0-9]{2}')
                  OR try_cast(left(trim(date_start), 10) AS DATE) IS NULL
             THEN {'column': 'date_start', 'rule': 'type_date'}
             WHEN try_cast(left(trim(date_start), 10) AS DATE) > $now THEN {'column': 'date_start', 'rule': 'future_date'} END,
        CASE WHEN date_end IS NULL THEN {'column': 'date_end', 'rule': 'required'}
             WHEN NOT regexp_matches(date_end, '^\s*[0-9]{4}-[0-9]{2}-[0-9]{2}')
                  OR try_cast(left(trim(date_end), 10) AS DATE) IS NULL
             THEN {'column': 'date_end', 'rule': 'type_date'}
             WHEN try_cast(left(trim(date_end), 10) AS DATE) < try_cast(left(trim(date_start), 10) AS DATE)
             THEN {'column': 'date_end', 'rule': 'end_before_start'} END,
        CASE WHEN date_prec IS NOT NULL AND coalesce(try_cast(date_prec AS INTEGER) NOT BETWEEN 1 AND 5, true)
             THEN {'column': 'date_prec', 'rule': 'enum'} END,
        CASE WHEN type_of_violence IS NULL THEN {'column': 'type_of_violence', 'rule': 'required'} END,
        CASE WHEN best IS NULL THEN {'column': 'best', 'rule': 'required'} END
    ], lambda p: p IS NOT NULL) AS problems
FROM event_input
