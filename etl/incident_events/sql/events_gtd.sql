-- GTD → one normalised row per event. eventid, summary, city, location, coordinates and notes are never
-- read. iday = 0 (day unknown) or an approxdate flags the date as approximate; imonth = 0 leaves the
-- event dated to the year only. nkill or nwound left blank means unknown, not zero.
SELECT
    record,  -- the reader's record number (WITH ORDINALITY), which the line of a refused row is found from
    CASE WHEN country_txt IS NULL AND country IS NULL THEN NULL
         ELSE coalesce(lower(trim(country_txt)) = 'pakistan', false) OR coalesce(trim(country) = '153', false) END
        AS in_pakistan,
    try_cast(iyear AS INTEGER) AS event_year,
    CASE WHEN try_cast(imonth AS INTEGER) BETWEEN 1 AND 12 AND try_cast(iyear AS INTEGER) BETWEEN 1970 AND 2100
         THEN make_date(try_cast(iyear AS INTEGER), try_cast(imonth AS INTEGER), 1) END AS event_month,
    coalesce(try_cast(iday AS INTEGER) = 0, false) OR coalesce(try_cast(imonth AS INTEGER) = 0, false)
        OR nullif(trim(approxdate), '') IS NOT NULL AS date_approx,
    provstate AS region_label,
    list_filter([gname, gname2, gname3], lambda a: nullif(trim(a), '') IS NOT NULL) AS actors,
    trim(attacktype1_txt) AS source_type,
    '' AS source_subtype,
    coalesce(trim(suicide) = '1', false) AS suicide,
    nkill AS fatalities_text,
    NULL::VARCHAR AS low_text,
    NULL::VARCHAR AS high_text,
    nwound AS wounded_text,
    list_filter([
        CASE WHEN country_txt IS NULL AND country IS NULL THEN {'column': 'country_txt', 'rule': 'required'} END,
        CASE WHEN iyear IS NULL THEN {'column': 'iyear', 'rule': 'required'}
             WHEN coalesce(try_cast(iyear AS INTEGER) NOT BETWEEN 1970 AND year($now), true)
             THEN {'column': 'iyear', 'rule': 'range'} END,
        CASE WHEN coalesce(try_cast(imonth AS INTEGER) NOT BETWEEN 0 AND 12, true)
             THEN {'column': 'imonth', 'rule': 'range'} END,
        CASE WHEN coalesce(try_cast(iday AS INTEGER) NOT BETWEEN 0 AND 31, true)
             THEN {'column': 'iday', 'rule': 'range'}
             WHEN try_cast(iday AS INTEGER) > 0 AND try_cast(imonth AS INTEGER) BETWEEN 1 AND 12
                  AND try_cast(iyear AS INTEGER) BETWEEN 1970 AND year($now)
                  AND try_cast(try_strptime(iyear || '-' || imonth || '-' || iday, '%Y-%m-%d') AS DATE) IS NULL
             THEN {'column': 'iday', 'rule': 'invalid_date'}
             WHEN try_cast(iyear AS INTEGER) BETWEEN 1970 AND year($now) AND try_cast(imonth AS INTEGER) BETWEEN 1 AND 12
                  AND make_date(try_cast(iyear AS INTEGER), try_cast(imonth AS INTEGER), 1) > $now
             THEN {'column': 'imonth', 'rule': 'future_date'} END,
        CASE WHEN attacktype1_txt IS NULL THEN {'column': 'attacktype1_txt', 'rule': 'required'} END
    ], lambda p: p IS NOT NULL) AS problems
FROM event_input
