ALTER TABLE "communities" ADD COLUMN "about_html" text;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "description_html" text;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "description_text" text;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "materials_html" text;--> statement-breakpoint
ALTER TABLE "hubs" ADD COLUMN "description_html" text;--> statement-breakpoint
ALTER TABLE "hubs" ADD COLUMN "description_text" text;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "description_html" text;