DROP INDEX `analytics_events_tenant_person_ts_idx`;--> statement-breakpoint
CREATE INDEX `analytics_events_tenant_person_idx` ON `analytics_events` (`tenant_id`,`person_id`,`ts`,`name`,`is_bot`);