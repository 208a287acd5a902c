-- Case log, pass 1: every row typed in one streaming scan. Identifiers are reduced on the way in:
-- request_id to a 64-bit hash (for duplicate detection), target not read at all.
-- $path is the file; the relation below is replaced by read_csv or read_parquet by the caller.
CREATE TEMP TABLE case_typed AS
SELECT
    hash(request_id) AS request_key,
    request_id IS NULL AS request_id_missing,
    sent_at AS sent_at_text_present,
    timezone('UTC', try_cast(sent_at AS TIMESTAMPTZ)) AS sent_at,
    responded_at IS NOT NULL AS responded_present,
    timezone('UTC', try_cast(responded_at AS TIMESTAMPTZ)) AS responded_at,
    lower(trim(platform)) AS platform_label,
    lower(trim(category)) AS category_label,
    try_cast(linked_group AS case_linked_group) AS linked_group,
    linked_group IS NOT NULL AS linked_group_present,
    origin_country,
    requester,
    try_cast(target_kind AS case_target_kind) AS target_kind,
    target_kind IS NOT NULL AS target_kind_present,
    try_cast(status AS case_status) AS status,
    status IS NOT NULL AS status_present
FROM case_input
