CREATE TABLE "payment_approvals" (
	"claim_id" text NOT NULL,
	"approver_id" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payment_approvals_claim_id_approver_id_pk" PRIMARY KEY("claim_id","approver_id")
);
--> statement-breakpoint
CREATE TABLE "payment_audit" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"claim_id" text,
	"actor_id" text,
	"action" text NOT NULL,
	"detail" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payment_claim_expenses" (
	"claim_id" text NOT NULL,
	"kind" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"amount_pence" integer NOT NULL,
	CONSTRAINT "payment_claim_expenses_claim_id_kind_pk" PRIMARY KEY("claim_id","kind")
);
--> statement-breakpoint
CREATE TABLE "payment_claim_steps" (
	"id" text PRIMARY KEY NOT NULL,
	"claim_id" text NOT NULL,
	"step" text NOT NULL,
	"by_id" text,
	"message" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payment_claims" (
	"id" text PRIMARY KEY NOT NULL,
	"event_id" text,
	"user_id" text,
	"event_title" text NOT NULL,
	"event_kind" text NOT NULL,
	"attended_on" timestamp with time zone NOT NULL,
	"payee_name" text NOT NULL,
	"route" text NOT NULL,
	"organisation_name" text,
	"charity" text,
	"honorarium_pence" integer DEFAULT 0 NOT NULL,
	"expenses_pence" integer DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'submitted' NOT NULL,
	"bank_sealed" "bytea",
	"bank_last2" text,
	"bank_deleted_at" timestamp with time zone,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"waiting_since" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	"paid_at" timestamp with time zone,
	"paid_method" text,
	"paid_reference" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payment_claims_amounts" CHECK ("payment_claims"."honorarium_pence" >= 0 and "payment_claims"."expenses_pence" >= 0 and "payment_claims"."honorarium_pence" + "payment_claims"."expenses_pence" <= 10000000)
);
--> statement-breakpoint
CREATE TABLE "payment_receipts" (
	"id" text PRIMARY KEY NOT NULL,
	"claim_id" text NOT NULL,
	"kind" text,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"bytes" integer NOT NULL,
	"sealed" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "payment_approvals" ADD CONSTRAINT "payment_approvals_claim_id_payment_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."payment_claims"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_audit" ADD CONSTRAINT "payment_audit_claim_id_payment_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."payment_claims"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_audit" ADD CONSTRAINT "payment_audit_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_claim_expenses" ADD CONSTRAINT "payment_claim_expenses_claim_id_payment_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."payment_claims"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_claim_steps" ADD CONSTRAINT "payment_claim_steps_claim_id_payment_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."payment_claims"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_claim_steps" ADD CONSTRAINT "payment_claim_steps_by_id_users_id_fk" FOREIGN KEY ("by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_claims" ADD CONSTRAINT "payment_claims_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_claims" ADD CONSTRAINT "payment_claims_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_receipts" ADD CONSTRAINT "payment_receipts_claim_id_payment_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."payment_claims"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "payment_audit_claim_idx" ON "payment_audit" USING btree ("claim_id","at");--> statement-breakpoint
CREATE INDEX "payment_claim_steps_claim_idx" ON "payment_claim_steps" USING btree ("claim_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "payment_claims_event_user_key" ON "payment_claims" USING btree ("event_id","user_id");--> statement-breakpoint
CREATE INDEX "payment_claims_status_idx" ON "payment_claims" USING btree ("status","waiting_since");--> statement-breakpoint
CREATE INDEX "payment_claims_user_idx" ON "payment_claims" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "payment_receipts_claim_idx" ON "payment_receipts" USING btree ("claim_id");