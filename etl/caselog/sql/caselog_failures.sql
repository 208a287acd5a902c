-- Case log, pass 2: every broken rule of every refused row, by line (header = line 1). Never the value.
CREATE TEMP TABLE case_failures AS
WITH checked AS (
    SELECT rowid + 2 AS line, list_filter([
        CASE WHEN request_id_missing THEN 'request_id:required' END,
        CASE WHEN NOT sent_at_present THEN 'sent_at:required'
             WHEN sent_at IS NULL THEN 'sent_at:type_datetime' END,
        CASE WHEN responded_present AND responded_at IS NULL THEN 'responded_at:type_datetime' END,
        CASE WHEN responded_at < sent_at THEN 'responded_at:responded_before_sent' END,
        CASE WHEN sent_at > $now OR responded_at > $now THEN 'sent_at:future_date' END,
        CASE WHEN sent_at < TIMESTAMP '2000-01-01' OR responded_at < TIMESTAMP '2000-01-01'
             THEN 'sent_at:out_of_range' END,
        CASE WHEN status = 'pending' AND responded_present THEN 'responded_at:pending_has_no_response' END,
        CASE WHEN status IN ('actioned', 'partial', 'rejected') AND NOT responded_present
             THEN 'responded_at:answered_has_response' END,
        CASE WHEN NOT platform_present THEN 'platform:required'
             WHEN platform_id IS NULL THEN 'platform:unknown_platform' END,
        CASE WHEN NOT category_present THEN 'category:required'
             WHEN category_id IS NULL THEN 'category:unmapped_label' END,
        CASE WHEN NOT linked_group_present THEN 'linked_group:required'
             WHEN linked_group IS NULL THEN 'linked_group:enum' END,
        CASE WHEN NOT origin_present THEN 'origin_country:required'
             WHEN origin_country IS NULL THEN 'origin_country:pattern' END,
        CASE WHEN requester IS NULL THEN 'requester:required'
             WHEN NOT regexp_full_match(requester, '[A-Za-z][A-Za-z .()&-]{0,39}') THEN 'requester:pattern' END,
        CASE WHEN NOT target_kind_present THEN 'target_kind:required'
             WHEN target_kind IS NULL THEN 'target_kind:enum' END,
        CASE WHEN NOT status_present THEN 'status:required'
             WHEN status IS NULL THEN 'status:enum' END
    ], lambda x: x IS NOT NULL) AS broken
    FROM case_typed
    WHERE NOT valid
), duplicates AS (
    -- the first row of a request_id counts; later rows with the same id are refused
    SELECT t.rowid + 2 AS line
    FROM case_typed AS t
    JOIN (SELECT request_key, min(rowid) AS first_row FROM case_typed WHERE NOT request_id_missing
          GROUP BY request_key HAVING count(*) > 1) AS d USING (request_key)
    WHERE t.rowid <> d.first_row
)
SELECT line, split_part(item, ':', 1) AS "column", split_part(item, ':', 2) AS rule
FROM (SELECT line, unnest(broken) AS item FROM checked)
UNION ALL
SELECT line, 'request_id', 'duplicate_request_id' FROM duplicates
