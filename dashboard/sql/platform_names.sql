-- Each platform's name in English and in Urdu (the reference table holds both).
SELECT platform_id, name, name_ur
FROM platforms
