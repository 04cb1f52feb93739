CREATE INDEX "data_sources_name_idx" ON "data_sources" USING btree ("name");--> statement-breakpoint
CREATE INDEX "data_sources_place_levels_idx" ON "data_sources" USING gin ("place_levels");--> statement-breakpoint
CREATE INDEX "data_sources_breakdowns_idx" ON "data_sources" USING gin ("breakdowns");