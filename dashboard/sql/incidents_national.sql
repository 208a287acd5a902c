-- Militant violence, whole country, per period, source organisation and definition (never summed across them).
SELECT i.source_org, i.definition_id, i.definition_as_printed, i.period_start, i.period_end, i.date_precision,
       i.attacks, i.killed_total, i.killed_security, i.killed_civilians, i.killed_militants, i.injured_total,
       i.attacks_qualifier, i.killed_total_qualifier, i.killed_security_qualifier, i.killed_civilians_qualifier,
       i.killed_militants_qualifier, i.injured_total_qualifier,
       i.approx, i.revision, i.published, i.citation_grade, i.source_id, i.source_line, i.citation_url, i.note
FROM incidents AS i
WHERE i.region_code = 'PK'
  AND list_contains($source_orgs, i.source_org)
  AND year(i.period_end) BETWEEN $year_from AND $year_to
ORDER BY i.source_org, i.definition_id, i.period_end
