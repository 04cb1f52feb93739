CREATE TABLE "data_source_suggestions" (
	"id" text PRIMARY KEY NOT NULL,
	"source_id" text NOT NULL,
	"suggested_by" text,
	"fields" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "data_source_suggestions" ADD CONSTRAINT "data_source_suggestions_source_id_data_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."data_sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_source_suggestions" ADD CONSTRAINT "data_source_suggestions_suggested_by_users_id_fk" FOREIGN KEY ("suggested_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_source_suggestions" ADD CONSTRAINT "data_source_suggestions_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "data_source_suggestions_source_idx" ON "data_source_suggestions" USING btree ("source_id","status");--> statement-breakpoint
CREATE INDEX "data_source_suggestions_user_idx" ON "data_source_suggestions" USING btree ("suggested_by");