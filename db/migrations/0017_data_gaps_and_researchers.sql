CREATE TABLE "data_gap_endorsements" (
	"id" text PRIMARY KEY NOT NULL,
	"gap_id" text NOT NULL,
	"organisation_id" text NOT NULL,
	"user_id" text,
	"evidence_url" text,
	"note" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "data_gap_sources" (
	"gap_id" text NOT NULL,
	"source_id" text NOT NULL,
	CONSTRAINT "data_gap_sources_gap_id_source_id_pk" PRIMARY KEY("gap_id","source_id")
);
--> statement-breakpoint
CREATE TABLE "data_gap_steps" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"gap_id" text NOT NULL,
	"status" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"set_by" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "data_gaps" (
	"id" text PRIMARY KEY NOT NULL,
	"question" text NOT NULL,
	"kind" text NOT NULL,
	"places" text DEFAULT '' NOT NULL,
	"place_levels" text[] DEFAULT '{}'::text[] NOT NULL,
	"groups" text[] DEFAULT '{}'::text[] NOT NULL,
	"shortfall" text DEFAULT '' NOT NULL,
	"hub_id" text,
	"task_id" text,
	"community_id" text,
	"public" boolean DEFAULT true NOT NULL,
	"status" text DEFAULT 'raised' NOT NULL,
	"raised_by" text,
	"organisation_id" text,
	"endorsements" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "help_offers" (
	"id" text PRIMARY KEY NOT NULL,
	"task_id" text NOT NULL,
	"user_id" text NOT NULL,
	"organisation_id" text,
	"message" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"reply" text DEFAULT '' NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "researcher_profiles" (
	"user_id" text PRIMARY KEY NOT NULL,
	"skills" text[] DEFAULT '{}'::text[] NOT NULL,
	"available" boolean DEFAULT false NOT NULL,
	"terms" text[] DEFAULT '{}'::text[] NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"pledged_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "source_notes" (
	"id" text PRIMARY KEY NOT NULL,
	"source_id" text NOT NULL,
	"author_id" text,
	"organisation_id" text,
	"body" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "task_skill_asks" (
	"task_id" text NOT NULL,
	"skill" text NOT NULL,
	CONSTRAINT "task_skill_asks_task_id_skill_pk" PRIMARY KEY("task_id","skill")
);
--> statement-breakpoint
CREATE TABLE "task_sources" (
	"task_id" text NOT NULL,
	"source_id" text NOT NULL,
	"linked_by" text,
	"linked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "task_sources_task_id_source_id_pk" PRIMARY KEY("task_id","source_id")
);
--> statement-breakpoint
ALTER TABLE "data_gap_endorsements" ADD CONSTRAINT "data_gap_endorsements_gap_id_data_gaps_id_fk" FOREIGN KEY ("gap_id") REFERENCES "public"."data_gaps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_gap_endorsements" ADD CONSTRAINT "data_gap_endorsements_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_gap_endorsements" ADD CONSTRAINT "data_gap_endorsements_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_gap_sources" ADD CONSTRAINT "data_gap_sources_gap_id_data_gaps_id_fk" FOREIGN KEY ("gap_id") REFERENCES "public"."data_gaps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_gap_sources" ADD CONSTRAINT "data_gap_sources_source_id_data_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."data_sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_gap_steps" ADD CONSTRAINT "data_gap_steps_gap_id_data_gaps_id_fk" FOREIGN KEY ("gap_id") REFERENCES "public"."data_gaps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_gap_steps" ADD CONSTRAINT "data_gap_steps_set_by_users_id_fk" FOREIGN KEY ("set_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_gaps" ADD CONSTRAINT "data_gaps_hub_id_hubs_id_fk" FOREIGN KEY ("hub_id") REFERENCES "public"."hubs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_gaps" ADD CONSTRAINT "data_gaps_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_gaps" ADD CONSTRAINT "data_gaps_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_gaps" ADD CONSTRAINT "data_gaps_raised_by_users_id_fk" FOREIGN KEY ("raised_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_gaps" ADD CONSTRAINT "data_gaps_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_offers" ADD CONSTRAINT "help_offers_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_offers" ADD CONSTRAINT "help_offers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_offers" ADD CONSTRAINT "help_offers_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_offers" ADD CONSTRAINT "help_offers_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "researcher_profiles" ADD CONSTRAINT "researcher_profiles_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_notes" ADD CONSTRAINT "source_notes_source_id_data_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."data_sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_notes" ADD CONSTRAINT "source_notes_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_notes" ADD CONSTRAINT "source_notes_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_notes" ADD CONSTRAINT "source_notes_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_skill_asks" ADD CONSTRAINT "task_skill_asks_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_sources" ADD CONSTRAINT "task_sources_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_sources" ADD CONSTRAINT "task_sources_source_id_data_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."data_sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_sources" ADD CONSTRAINT "task_sources_linked_by_users_id_fk" FOREIGN KEY ("linked_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "data_gap_endorsements_gap_idx" ON "data_gap_endorsements" USING btree ("gap_id","organisation_id");--> statement-breakpoint
CREATE INDEX "data_gap_endorsements_user_idx" ON "data_gap_endorsements" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "data_gap_sources_source_idx" ON "data_gap_sources" USING btree ("source_id");--> statement-breakpoint
CREATE INDEX "data_gap_steps_gap_idx" ON "data_gap_steps" USING btree ("gap_id","at");--> statement-breakpoint
CREATE INDEX "data_gaps_rank_idx" ON "data_gaps" USING btree ("endorsements","created_at");--> statement-breakpoint
CREATE INDEX "data_gaps_hub_idx" ON "data_gaps" USING btree ("hub_id");--> statement-breakpoint
CREATE INDEX "data_gaps_community_idx" ON "data_gaps" USING btree ("community_id");--> statement-breakpoint
CREATE UNIQUE INDEX "help_offers_open_key" ON "help_offers" USING btree ("task_id","user_id") WHERE "help_offers"."status" = 'open';--> statement-breakpoint
CREATE INDEX "help_offers_user_idx" ON "help_offers" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "source_notes_source_idx" ON "source_notes" USING btree ("source_id","status");--> statement-breakpoint
CREATE INDEX "source_notes_author_idx" ON "source_notes" USING btree ("author_id");--> statement-breakpoint
CREATE INDEX "task_skill_asks_skill_idx" ON "task_skill_asks" USING btree ("skill");--> statement-breakpoint
CREATE INDEX "task_sources_source_idx" ON "task_sources" USING btree ("source_id");