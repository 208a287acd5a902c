-- Event exports, pass 2: where each row goes (outside Pakistan, quarantined, out of scope, aggregated) and
-- its shared event type and province, mapped through event_type_map and region_aliases (ev_types and
-- ev_regions, keyed by lower-cased names). A GTD suicide attack is a suicide attack whatever its type.
CREATE TEMP TABLE ev_resolved AS
SELECT
    r.record,
    CASE WHEN NOT r.in_pakistan THEN 'outside'
         WHEN len(r.problems) > 0 THEN 'quarantined'
         WHEN NOT coalesce(exact.in_scope, any_sub.in_scope, true) THEN 'out_of_scope'
         ELSE 'aggregated' END AS status,
    r.event_year, r.event_month, r.date_approx, r.actors,
    CASE WHEN r.suicide THEN 'suicide_attack' ELSE coalesce(exact.event_type, any_sub.event_type, 'other') END AS event_type,
    CASE WHEN exact.event_type IS NULL AND any_sub.event_type IS NULL
         THEN concat_ws(' / ', r.source_type, nullif(r.source_subtype, '')) END AS unmapped_type,
    reg.region_code,
    CASE WHEN reg.region_code IS NULL THEN nullif(trim(r.region_label), '') END AS unmapped_region,
    r.fatalities, r.fatalities_low, r.fatalities_high, r.wounded, r.fatalities_unknown, r.estimates_out_of_order
FROM ev_rows AS r
LEFT JOIN ev_types AS exact
    ON exact.type_key = lower(r.source_type) AND exact.subtype_key = lower(r.source_subtype)
LEFT JOIN ev_types AS any_sub
    ON any_sub.type_key = lower(r.source_type) AND any_sub.subtype_key = ''
LEFT JOIN ev_regions AS reg
    ON reg.name_key = lower(trim(r.region_label))
