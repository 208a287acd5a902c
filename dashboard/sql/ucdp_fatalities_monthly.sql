-- UCDP's best-estimate deaths per month by type of violence over a span of years: a series of its own,
-- never added to the event aggregates; months resting on UCDP Candidate events are marked preliminary.
SELECT f.month, f.violence_type, f.fatalities, f.preliminary, f.source_id, f.citation_url, s.cite_as
FROM ucdp_fatalities_monthly AS f
JOIN sources AS s USING (source_id)
WHERE year(f.month) BETWEEN $year_from AND $year_to
ORDER BY f.month, f.violence_type
