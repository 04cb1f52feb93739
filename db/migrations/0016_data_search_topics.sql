-- Topics are searched too ("poverty" finds HBAI, whose topics say so). A generated column
-- may call only immutable functions, and array_to_string is not declared immutable: this
-- wrapper is (it joins with a fixed separator, so the same array always gives the same text).
CREATE OR REPLACE FUNCTION convene_join_words(words text[]) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT array_to_string(words, ' ') $$;--> statement-breakpoint
DROP INDEX IF EXISTS "data_sources_search_idx";--> statement-breakpoint
ALTER TABLE "data_sources" DROP COLUMN IF EXISTS "search";--> statement-breakpoint
ALTER TABLE "data_sources" ADD COLUMN "search" tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('english'::regconfig, coalesce("name", '')), 'A') ||
  setweight(to_tsvector('english'::regconfig, coalesce("publisher", '') || ' ' || convene_join_words("topics")), 'B') ||
  setweight(to_tsvector('english'::regconfig, coalesce("measures", '') || ' ' || coalesce("coverage", '')), 'C')
) STORED;--> statement-breakpoint
CREATE INDEX "data_sources_search_idx" ON "data_sources" USING gin ("search");
