-- Event exports, pass 3: every named actor of an aggregated event, matched to a canonical group through
-- group_aliases (ev_aliases, keyed by the normalised name: lower case, single spaces, a trailing period in
-- brackets such as "(2022-)" dropped). An unmatched name keeps group_id NULL: it is reported, not dropped.
CREATE TEMP TABLE ev_actor_groups AS
WITH actor_rows AS (
    SELECT record, generate_subscripts(actors, 1) AS position, unnest(actors) AS actor
    FROM ev_resolved
    WHERE status = 'aggregated'
)
SELECT
    a.record, a.position, trim(a.actor) AS actor, alias.group_id
FROM actor_rows AS a
LEFT JOIN ev_aliases AS alias
    ON alias.alias_key = regexp_replace(regexp_replace(lower(trim(a.actor)), '\s+', ' ', 'g'), ' ?\([0-9]{4}-([0-9]{4})?\)$', '')
