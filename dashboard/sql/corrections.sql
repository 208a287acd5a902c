-- The public corrections log, newest first: what changed, why, and the release that first carries it.
SELECT correction_id, corrected_on, table_name, what_changed, why, what_changed_ur, why_ur, evidence_url,
       release_version
FROM corrections
ORDER BY corrected_on DESC, correction_id
