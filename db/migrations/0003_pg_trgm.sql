-- Trigram similarity for duplicate-task suggestions (pg_trgm is a trusted extension,
-- so the database owner may create it). PGlite loads it as a bundled extension.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
