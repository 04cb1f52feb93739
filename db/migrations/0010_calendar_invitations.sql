ALTER TABLE "event_registrations" ADD COLUMN "invitation_sequence" integer;--> statement-breakpoint
ALTER TABLE "event_registrations" ADD COLUMN "invitation_held" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Confirmed places were sent an invitation at the event's SEQUENCE of the time: hold it so.
UPDATE "event_registrations" r SET "invitation_sequence" = e."sequence", "invitation_held" = true FROM "events" e WHERE e."id" = r."event_id" AND r."status" = 'confirmed';
