-- Coverage of each published series: which periods have a figure, which the publisher reported but the
-- dataset lacks (by name), and how the rows are cited. Reads the series reference table and the fact tables.
CREATE TEMP VIEW series_rows AS
WITH facts AS (
    SELECT 'platform_reported_requests' AS table_name, reporter_id AS org, NULL AS definition_id,
           period_start, period_end, date_precision, NULL::DATE AS as_of, citation_grade, source_id
    FROM platform_reported_requests WHERE country_code = 'PK'
    UNION ALL
    SELECT 'regulator_reported_actions', regulator, NULL, period_start, period_end, date_precision, as_of,
           citation_grade, source_id
    FROM regulator_reported_actions
    UNION ALL
    SELECT 'incidents', source_org, definition_id, period_start, period_end, date_precision, NULL, citation_grade,
           source_id
    FROM incidents WHERE region_code = 'PK'
)
SELECT s.series_id, s.cadence, f.*
FROM series AS s JOIN facts AS f
  ON f.table_name = s.table_name AND f.org = s.org AND (s.definition_id IS NULL OR f.definition_id = s.definition_id);

CREATE TEMP VIEW series_expected AS
SELECT series_id, cadence, CAST(p AS DATE) AS period_start,
       CAST(p + CASE cadence WHEN 'year' THEN INTERVAL 12 MONTH ELSE INTERVAL 6 MONTH END - INTERVAL 1 DAY AS DATE)
           AS period_end
FROM (
    SELECT series_id, cadence,
           unnest(generate_series(CAST(expected_from AS TIMESTAMP), CAST(expected_to AS TIMESTAMP),
                  CASE cadence WHEN 'year' THEN INTERVAL 12 MONTH ELSE INTERVAL 6 MONTH END)) AS p
    FROM series WHERE cadence IN ('half_year', 'year')
);

CREATE TEMP VIEW series_expected_status AS
SELECT e.series_id, e.cadence, e.period_start, e.period_end,
       CASE e.cadence WHEN 'year' THEN CAST(year(e.period_end) AS VARCHAR)
            ELSE year(e.period_end) || ' H' || CASE WHEN month(e.period_end) <= 6 THEN '1' ELSE '2' END END
           AS period_label,
       EXISTS (SELECT 1 FROM series_rows AS r
               WHERE r.series_id = e.series_id AND r.date_precision = e.cadence
                 AND r.period_end BETWEEN e.period_start AND e.period_end) AS has_figure
FROM series_expected AS e;

INSERT INTO series_missing_periods
SELECT series_id, period_label, period_start, period_end
FROM series_expected_status WHERE NOT has_figure
ORDER BY series_id, period_start;

INSERT INTO series_coverage
SELECT s.series_id, s.name, s.publisher, s.cadence,
       (SELECT min(period_label) FILTER (WHERE has_figure) FROM series_expected_status AS x WHERE x.series_id = s.series_id),
       (SELECT max(period_label) FILTER (WHERE has_figure) FROM series_expected_status AS x WHERE x.series_id = s.series_id),
       (SELECT min(coalesce(as_of, period_end)) FROM series_rows AS r WHERE r.series_id = s.series_id),
       (SELECT max(coalesce(as_of, period_end)) FROM series_rows AS r WHERE r.series_id = s.series_id),
       CASE WHEN s.cadence = 'irregular'
            THEN (SELECT count(DISTINCT coalesce(as_of, period_end)) FROM series_rows AS r WHERE r.series_id = s.series_id)
            ELSE (SELECT count(*) FILTER (WHERE has_figure) FROM series_expected_status AS x WHERE x.series_id = s.series_id)
       END,
       (SELECT count(*) FROM series_expected_status AS x WHERE x.series_id = s.series_id),
       (SELECT count(*) FROM series_missing_periods AS m WHERE m.series_id = s.series_id),
       (SELECT string_agg(period_label, ', ' ORDER BY period_start) FROM series_missing_periods AS m
        WHERE m.series_id = s.series_id),
       s.next_report_due,
       (SELECT count(*) FROM series_rows AS r WHERE r.series_id = s.series_id),
       (SELECT count(*) FILTER (WHERE citation_grade = 'publisher') FROM series_rows AS r WHERE r.series_id = s.series_id),
       (SELECT count(*) FILTER (WHERE citation_grade = 'press') FROM series_rows AS r WHERE r.series_id = s.series_id),
       (SELECT count(*) FILTER (WHERE citation_grade = 'repost') FROM series_rows AS r WHERE r.series_id = s.series_id),
       s.cadence_note, s.cadence_citation_url,
       -- the files this series is loaded from, as python -m etl fetch last asked their publisher (NULL: never)
       (SELECT max(last_checked) FROM sources
        WHERE source_id IN (SELECT source_id FROM series_rows AS r WHERE r.series_id = s.series_id)),
       (SELECT max(last_changed) FROM sources
        WHERE source_id IN (SELECT source_id FROM series_rows AS r WHERE r.series_id = s.series_id))
FROM series AS s
ORDER BY s.series_id;
