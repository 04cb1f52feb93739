ALTER TABLE "thread_messages" ADD COLUMN "change_no" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "threads" ADD COLUMN "last_change" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "thread_messages_thread_change_idx" ON "thread_messages" USING btree ("thread_id","change_no");--> statement-breakpoint
-- Until now only posts changed a thread: its change counter starts where its numbering is.
UPDATE "thread_messages" SET "change_no" = "seq";--> statement-breakpoint
UPDATE "threads" SET "last_change" = "last_seq";