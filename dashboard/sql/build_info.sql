-- Dataset version and build time.
SELECT dataset_version, built_at, etl_version, tables FROM build_info
