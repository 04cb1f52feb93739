CREATE TABLE "data_source_changes" (
	"id" text PRIMARY KEY NOT NULL,
	"source_id" text NOT NULL,
	"changed_by" text,
	"what" text NOT NULL,
	"snapshot" jsonb NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "data_sources" (
	"id" text PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"publisher" text NOT NULL,
	"url" text,
	"measures" text DEFAULT '' NOT NULL,
	"topics" text[] DEFAULT '{}'::text[] NOT NULL,
	"coverage" text DEFAULT '' NOT NULL,
	"place_levels" text[] DEFAULT '{}'::text[] NOT NULL,
	"first_year" integer,
	"latest_release" text,
	"frequency" text,
	"breakdowns" text[] DEFAULT '{}'::text[] NOT NULL,
	"licence" text,
	"access" text DEFAULT 'open' NOT NULL,
	"methods" text DEFAULT '' NOT NULL,
	"quality_issues" text DEFAULT '' NOT NULL,
	"contact" text,
	"status" text DEFAULT 'proposed' NOT NULL,
	"proposed_by" text,
	"published_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "data_source_changes" ADD CONSTRAINT "data_source_changes_source_id_data_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."data_sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_source_changes" ADD CONSTRAINT "data_source_changes_changed_by_users_id_fk" FOREIGN KEY ("changed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_sources" ADD CONSTRAINT "data_sources_proposed_by_users_id_fk" FOREIGN KEY ("proposed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_sources" ADD CONSTRAINT "data_sources_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "data_source_changes_source_idx" ON "data_source_changes" USING btree ("source_id","changed_at");--> statement-breakpoint
CREATE UNIQUE INDEX "data_sources_slug_key" ON "data_sources" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "data_sources_status_idx" ON "data_sources" USING btree ("status");--> statement-breakpoint
ALTER TABLE "data_sources" ADD COLUMN "search" tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('english'::regconfig, coalesce("name", '')), 'A') ||
  setweight(to_tsvector('english'::regconfig, coalesce("publisher", '')), 'B') ||
  setweight(to_tsvector('english'::regconfig, coalesce("measures", '') || ' ' || coalesce("coverage", '')), 'C')
) STORED;--> statement-breakpoint
CREATE INDEX "data_sources_search_idx" ON "data_sources" USING gin ("search");--> statement-breakpoint
CREATE INDEX "data_sources_name_trgm_idx" ON "data_sources" USING gin ("name" gin_trgm_ops);
