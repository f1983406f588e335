ALTER TABLE `sales_icp` ADD `scores_valid_from` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `sales_icp` ADD `rescore_requested_at` integer;--> statement-breakpoint
ALTER TABLE `sales_icp` ADD `rescore_cursor` text;--> statement-breakpoint
ALTER TABLE `sales_score_models` ADD `replaced_model_id` text;