-- Shared categories, for the category picker.
SELECT category_id, name, description, legal_basis FROM categories ORDER BY name
