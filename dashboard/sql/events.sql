-- Dated events for chart annotations, by kind.
SELECT event_id, event_date, kind, platform_id, title, description, title_ur, description_ur, source_title, source_url
FROM events
WHERE list_contains($kinds, kind)
ORDER BY event_date
