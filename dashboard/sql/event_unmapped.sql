-- Names in event exports that no mapping table knows: counted as other / unknown, listed here.
SELECT u.source_id, i.dataset, u.field, u.name, u.events
FROM incident_events_unmapped AS u
JOIN incident_events_info AS i USING (source_id)
WHERE i.dataset = $dataset
ORDER BY u.events DESC, u.field, u.name
