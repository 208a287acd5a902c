-- The tables of the published dataset (a release may lack a table added after it was built).
SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY table_name
