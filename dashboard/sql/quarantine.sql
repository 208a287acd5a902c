-- Rows refused by the last build: where and why (never the refused value).
SELECT file, line, "column", rule, message FROM quarantine ORDER BY file, line
