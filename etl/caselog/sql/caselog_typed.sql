-- Case log: every row typed and mapped, in one streaming projection. Identifiers are reduced on the way in:
-- request_id to a 64-bit hash (for duplicate detection only); target is never read.
-- The caller replaces case_input with the file reader; $platform_labels/$platform_ids and
-- $category_labels/$category_ids are the case-insensitive mapping tables, $platform_spelling_ids and
-- $category_spelling_ids the ids of the case_platform_spelling / case_category_spelling ENUMs (the exact
-- spellings of the reference tables, mapped by one lookup), $now the build time. Used twice: streamed straight
-- into caselog_aggregate.sql, and (only for a file with refused rows) stored as case_typed, whose rowid gives
-- each refused row its line.
WITH typed AS (
    SELECT
        CASE WHEN request_id IS NOT NULL THEN hash(request_id) END AS request_key,
        request_id IS NULL AS request_id_missing,
        sent_at IS NOT NULL AS sent_at_present,
        -- ISO 8601 only (DuckDB would also take 'epoch' or 'infinity'): the value must start with a date
        -- (GLOB here is the anchored pattern ^[0-9]{4}-[0-9]{2}-[0-9]{2}, at a fraction of a regex's cost);
        -- the common UTC form parses fast, other forms (offsets, no zone = UTC) fall back to the general parser
        CASE WHEN sent_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'
             THEN coalesce(try_strptime(sent_at, '%Y-%m-%dT%H:%M:%SZ'), timezone('UTC', try_cast(sent_at AS TIMESTAMPTZ)))
        END AS sent_at,
        responded_at IS NOT NULL AS responded_present,
        CASE WHEN responded_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'
             THEN coalesce(try_strptime(responded_at, '%Y-%m-%dT%H:%M:%SZ'),
                           timezone('UTC', try_cast(responded_at AS TIMESTAMPTZ)))
        END AS responded_at,
        platform IS NOT NULL AS platform_present,
        coalesce(CAST($platform_spelling_ids[enum_code(try_cast(platform AS case_platform_spelling)) + 1] AS case_platform),
                 CAST(map($platform_labels, $platform_ids)[lower(trim(platform))] AS case_platform)) AS platform_id,
        category IS NOT NULL AS category_present,
        coalesce(CAST($category_spelling_ids[enum_code(try_cast(category AS case_category_spelling)) + 1] AS case_category),
                 CAST(map($category_labels, $category_ids)[lower(trim(category))] AS case_category)) AS category_id,
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
    date_trunc('month', sent_at)::DATE AS month,
    epoch(responded_at - sent_at) / 3600.0 AS response_hours,
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
