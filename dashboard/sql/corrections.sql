-- The public corrections log: what was corrected, when and why (present in releases that publish it).
SELECT * FROM corrections
