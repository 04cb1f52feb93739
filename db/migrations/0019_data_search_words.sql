CREATE TABLE "data_source_words" (
	"word" text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE INDEX "data_source_words_trgm_idx" ON "data_source_words" USING gin ("word" gin_trgm_ops);--> statement-breakpoint
-- The words of every entry's name and topics (3 to 40 letters), kept as entries are written;
-- never removed (a stale word only corrects a search to one that finds nothing).
CREATE OR REPLACE FUNCTION convene_data_source_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO data_source_words (word)
  SELECT DISTINCT w FROM regexp_split_to_table(lower(NEW.name || ' ' || array_to_string(NEW.topics, ' ')), '[^[:alpha:]]+') AS w
  WHERE length(w) BETWEEN 3 AND 40
  ON CONFLICT DO NOTHING;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER data_source_words_kept AFTER INSERT OR UPDATE OF name, topics ON data_sources
  FOR EACH ROW EXECUTE FUNCTION convene_data_source_words();
--> statement-breakpoint
INSERT INTO data_source_words (word)
SELECT DISTINCT w FROM data_sources, regexp_split_to_table(lower(name || ' ' || array_to_string(topics, ' ')), '[^[:alpha:]]+') AS w
WHERE length(w) BETWEEN 3 AND 40
ON CONFLICT DO NOTHING;
