-- Case log, pass 1: every row typed and mapped in one streaming scan. Identifiers are reduced on the way
-- in: request_id to a 64-bit hash (for duplicate detection only); target is never read.
-- The caller replaces case_input with the file reader; $platform_labels/$platform_ids and
-- $category_labels/$category_ids are the mapping tables, $now the build time.
CREATE TEMP TABLE case_typed AS
WITH typed AS (
    SELECT
        hash(request_id) AS request_key,
        request_id IS NULL AS request_id_missing,
        sent_at IS NOT NULL AS sent_at_present,
        -- ISO 8601 only (DuckDB would also take 'epoch' or 'infinity'); the common UTC form parses fast,
        -- other forms (offsets, no zone = UTC) fall back to the general parser
        CASE WHEN regexp_matches(sent_at, '^[0-9]{4}-[0-9]{2}-[0-9]{2}')
             THEN coalesce(try_strptime(sent_at, '%Y-%m-%dT%H:%M:%SZ'), timezone('UTC', try_cast(sent_at AS TIMESTAMPTZ)))
        END AS sent_at,
        responded_at IS NOT NULL AS responded_present,
        CASE WHEN regexp_matches(responded_at, '^[0-9]{4}-[0-9]{2}-[0-9]{2}')
             THEN coalesce(try_strptime(responded_at, '%Y-%m-%dT%H:%M:%SZ'),
                           timezone('UTC', try_cast(responded_at AS TIMESTAMPTZ)))
        END AS responded_at,
        platform IS NOT NULL AS platform_present,
        CAST(map($platform_labels, $platform_ids)[lower(trim(platform))] AS case_platform) AS platform_id,
        category IS NOT NULL AS category_present,
        CAST(map($category_labels, $category_ids)[lower(trim(category))] AS case_category) AS category_id,
        linked_group IS NOT NULL AS linked_group_present,
        try_cast(linked_group AS case_linked_group) AS linked_group,
        origin_country IS NOT NULL AS origin_present,
        try_cast(origin_country AS case_origin) AS origin_country,
        requester,
        target_kind IS NOT NULL AS target_kind_present,
        try_cast(target_kind AS case_target_kind) AS target_kind,
        status IS NOT NULL AS status_present,
        try_cast(status AS case_status) AS status
    FROM case_input
)
SELECT *,
    NOT request_id_missing
    AND sent_at IS NOT NULL
    AND (responded_at IS NOT NULL OR NOT responded_present)
    AND coalesce(responded_at >= sent_at, true)
    AND sent_at <= $now AND coalesce(responded_at <= $now, true)
    AND sent_at >= TIMESTAMP '2000-01-01' AND coalesce(responded_at >= TIMESTAMP '2000-01-01', true)
    AND (status <> 'pending' OR NOT responded_present)
    AND (status = 'pending' OR responded_present)
    AND platform_id IS NOT NULL AND category_id IS NOT NULL AND linked_group IS NOT NULL
    AND origin_country IS NOT NULL
    AND coalesce(regexp_full_match(requester, '[A-Za-z][A-Za-z .()&-]{0,39}'), false)
    AND target_kind IS NOT NULL AND status IS NOT NULL AS valid
FROM typed
