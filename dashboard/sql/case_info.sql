-- Case logs in this dataset: threshold, row counts, whether illustrative.
SELECT source_id, synthetic, disclosure_threshold_k, suppression_rule, rows_read, rows_aggregated, rows_quarantined,
       first_month, last_month, cells, cells_suppressed_primary, cells_suppressed_secondary
FROM case_log_info
ORDER BY source_id
