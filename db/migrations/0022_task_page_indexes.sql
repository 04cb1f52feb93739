CREATE INDEX "data_gaps_task_idx" ON "data_gaps" USING btree ("task_id");--> statement-breakpoint
CREATE INDEX "data_sources_name_lower_idx" ON "data_sources" USING btree (lower("name"));