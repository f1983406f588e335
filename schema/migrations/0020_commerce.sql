CREATE TABLE `commerce_cart_lines` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`cart_id` text NOT NULL,
	`variant_id` text NOT NULL,
	`quantity` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "commerce_cart_lines_quantity_check" CHECK("commerce_cart_lines"."quantity" > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `commerce_cart_lines_tenant_cart_variant_uq` ON `commerce_cart_lines` (`tenant_id`,`cart_id`,`variant_id`);--> statement-breakpoint
CREATE INDEX `commerce_cart_lines_tenant_variant_idx` ON `commerce_cart_lines` (`tenant_id`,`variant_id`);--> statement-breakpoint
CREATE TABLE `commerce_carts` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`currency` text NOT NULL,
	`end_user_id` text,
	`email` text,
	`country` text,
	`region` text,
	`coupon_code` text,
	`shipping_rate_id` text,
	`status` text DEFAULT 'open' NOT NULL,
	`merged_into` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `commerce_carts_tenant_user_idx` ON `commerce_carts` (`tenant_id`,`end_user_id`,`status`) WHERE end_user_id is not null;--> statement-breakpoint
CREATE INDEX `commerce_carts_tenant_updated_idx` ON `commerce_carts` (`tenant_id`,`updated_at`);--> statement-breakpoint
CREATE TABLE `commerce_collections` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`slug` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `commerce_collections_tenant_slug_uq` ON `commerce_collections` (`tenant_id`,`slug`);--> statement-breakpoint
CREATE INDEX `commerce_collections_tenant_created_idx` ON `commerce_collections` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `commerce_coupon_redemptions` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`coupon_id` text NOT NULL,
	`customer_key` text NOT NULL,
	`checkout_id` text NOT NULL,
	`status` text DEFAULT 'held' NOT NULL,
	`expires_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `commerce_coupon_redemptions_tenant_coupon_customer_idx` ON `commerce_coupon_redemptions` (`tenant_id`,`coupon_id`,`customer_key`,`status`);--> statement-breakpoint
CREATE INDEX `commerce_coupon_redemptions_tenant_checkout_idx` ON `commerce_coupon_redemptions` (`tenant_id`,`checkout_id`);--> statement-breakpoint
CREATE INDEX `commerce_coupon_redemptions_due_idx` ON `commerce_coupon_redemptions` (`expires_at`) WHERE status = 'held';--> statement-breakpoint
CREATE TABLE `commerce_coupons` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`name` text DEFAULT '' NOT NULL,
	`kind` text NOT NULL,
	`percent_off_bps` integer,
	`amount_off` integer,
	`currency` text,
	`applies_to` text DEFAULT 'order' NOT NULL,
	`product_ids` text DEFAULT '[]' NOT NULL,
	`min_subtotal` integer,
	`starts_at` integer,
	`ends_at` integer,
	`first_order_only` integer DEFAULT false NOT NULL,
	`max_redemptions` integer,
	`max_per_customer` integer,
	`redeemed_count` integer DEFAULT 0 NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `commerce_coupons_tenant_code_uq` ON `commerce_coupons` (`tenant_id`,`code`);--> statement-breakpoint
CREATE INDEX `commerce_coupons_tenant_created_idx` ON `commerce_coupons` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `commerce_product_collections` (
	`tenant_id` text NOT NULL,
	`collection_id` text NOT NULL,
	`product_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `collection_id`, `product_id`)
);
--> statement-breakpoint
CREATE INDEX `commerce_product_collections_tenant_product_idx` ON `commerce_product_collections` (`tenant_id`,`product_id`);--> statement-breakpoint
CREATE TABLE `commerce_products` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`slug` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`type` text DEFAULT 'physical' NOT NULL,
	`digital_file_id` text,
	`images` text DEFAULT '[]' NOT NULL,
	`options` text DEFAULT '[]' NOT NULL,
	`weight_grams` integer,
	`keywords` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `commerce_products_tenant_slug_uq` ON `commerce_products` (`tenant_id`,`slug`);--> statement-breakpoint
CREATE INDEX `commerce_products_tenant_created_idx` ON `commerce_products` (`tenant_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `commerce_products_tenant_status_created_idx` ON `commerce_products` (`tenant_id`,`status`,`created_at`,`id`);--> statement-breakpoint
CREATE TABLE `commerce_reservations` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`checkout_id` text NOT NULL,
	`variant_id` text NOT NULL,
	`quantity` integer NOT NULL,
	`status` text DEFAULT 'held' NOT NULL,
	`expires_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "commerce_reservations_quantity_check" CHECK("commerce_reservations"."quantity" > 0)
);
--> statement-breakpoint
CREATE INDEX `commerce_reservations_tenant_checkout_idx` ON `commerce_reservations` (`tenant_id`,`checkout_id`);--> statement-breakpoint
CREATE INDEX `commerce_reservations_tenant_variant_idx` ON `commerce_reservations` (`tenant_id`,`variant_id`,`status`);--> statement-breakpoint
CREATE INDEX `commerce_reservations_due_idx` ON `commerce_reservations` (`expires_at`) WHERE status = 'held';--> statement-breakpoint
CREATE TABLE `commerce_settings` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`currencies` text DEFAULT '["USD"]' NOT NULL,
	`default_currency` text DEFAULT 'USD' NOT NULL,
	`reservation_minutes` integer DEFAULT 15 NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `commerce_shipping_rates` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`currency` text NOT NULL,
	`countries` text DEFAULT '[]' NOT NULL,
	`kind` text DEFAULT 'flat' NOT NULL,
	`amount` integer DEFAULT 0 NOT NULL,
	`weight_bands` text DEFAULT '[]' NOT NULL,
	`free_over_amount` integer,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `commerce_shipping_rates_tenant_currency_idx` ON `commerce_shipping_rates` (`tenant_id`,`currency`);--> statement-breakpoint
CREATE TABLE `commerce_tax_rates` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`country` text NOT NULL,
	`region` text DEFAULT '' NOT NULL,
	`name` text DEFAULT 'Tax' NOT NULL,
	`rate_ppm` integer NOT NULL,
	`inclusive` integer DEFAULT false NOT NULL,
	`applies_to_shipping` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `commerce_tax_rates_tenant_dest_uq` ON `commerce_tax_rates` (`tenant_id`,`country`,`region`);--> statement-breakpoint
CREATE TABLE `commerce_variant_prices` (
	`tenant_id` text NOT NULL,
	`variant_id` text NOT NULL,
	`currency` text NOT NULL,
	`product_id` text NOT NULL,
	`amount` integer NOT NULL,
	`compare_at_amount` integer,
	PRIMARY KEY(`tenant_id`, `variant_id`, `currency`),
	CONSTRAINT "commerce_variant_prices_amount_check" CHECK("commerce_variant_prices"."amount" >= 0)
);
--> statement-breakpoint
CREATE INDEX `commerce_variant_prices_tenant_currency_amount_idx` ON `commerce_variant_prices` (`tenant_id`,`currency`,`amount`,`product_id`);--> statement-breakpoint
CREATE INDEX `commerce_variant_prices_tenant_product_idx` ON `commerce_variant_prices` (`tenant_id`,`product_id`);--> statement-breakpoint
CREATE TABLE `commerce_variants` (
	`tenant_id` text NOT NULL,
	`id` text PRIMARY KEY NOT NULL,
	`product_id` text NOT NULL,
	`title` text DEFAULT '' NOT NULL,
	`sku` text NOT NULL,
	`options` text DEFAULT '{}' NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`weight_grams` integer,
	`track_inventory` integer DEFAULT true NOT NULL,
	`on_hand` integer DEFAULT 0 NOT NULL,
	`reserved` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "commerce_variants_stock_check" CHECK("commerce_variants"."on_hand" >= 0 AND "commerce_variants"."reserved" >= 0 AND "commerce_variants"."reserved" <= "commerce_variants"."on_hand")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `commerce_variants_tenant_sku_uq` ON `commerce_variants` (`tenant_id`,`sku`);--> statement-breakpoint
CREATE INDEX `commerce_variants_tenant_product_idx` ON `commerce_variants` (`tenant_id`,`product_id`,`position`);