-- Event exports, pass 4: the published aggregates. An event's group is the first named militant group
-- among its actors (in the dataset's order); failing that 'other' when a named armed group outside the
-- list or an unknown name is involved, 'unknown' when only an unidentified group is, 'none' when only
-- state forces, civilians or other non-militant actors are named.
-- 'state' when state forces are named and no armed group is (interstate fire, a state's one-sided violence):
-- a state actor is never a militant group.
SELECT
    r.event_year AS year,
    r.event_month AS month,
    r.region_code,
    coalesce(g.group_id, 'unknown') AS group_id,
    r.event_type,
    count(*) AS events,
    count(*) FILTER (WHERE r.date_approx) AS events_date_approx,
    sum(r.fatalities) AS fatalities,
    sum(r.fatalities_low) AS fatalities_low,
    sum(r.fatalities_high) AS fatalities_high,
    count(*) FILTER (WHERE r.fatalities_unknown) AS events_fatalities_unknown,
    count(*) FILTER (WHERE r.estimates_out_of_order) AS events_estimates_out_of_order,
    sum(r.wounded) AS wounded
FROM ev_resolved AS r
LEFT JOIN (
    SELECT
        record,
        coalesce(
            arg_min(group_id, position) FILTER (WHERE group_id NOT IN ('other', 'unknown', 'state', 'none')),
            CASE WHEN bool_or(group_id IS NULL OR group_id = 'other') THEN 'other'
                 WHEN bool_or(group_id = 'unknown') THEN 'unknown'
                 WHEN bool_or(group_id = 'state') THEN 'state'
                 ELSE 'none' END
        ) AS group_id
    FROM ev_actor_groups
    GROUP BY record
) AS g USING (record)
WHERE r.status = 'aggregated'
GROUP BY ALL
ORDER BY ALL
