CREATE TABLE "website_pages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"source_id" uuid NOT NULL,
	"url" text NOT NULL,
	"content_id" uuid,
	"status" text NOT NULL,
	"failure_code" text,
	"failure_message" jsonb,
	"etag" text,
	"last_modified" text,
	"sha256" text,
	"depth" integer DEFAULT 0 NOT NULL,
	"links" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"changed_at" timestamp with time zone,
	"fetched_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "website_sources" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"start_url" text NOT NULL,
	"is_sitemap" boolean DEFAULT false NOT NULL,
	"path_prefix" text DEFAULT '/' NOT NULL,
	"sync_interval_hours" integer DEFAULT 24 NOT NULL,
	"next_sync_at" timestamp with time zone,
	"status" text DEFAULT 'queued' NOT NULL,
	"progress" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"last_error" jsonb,
	"last_crawl_started_at" timestamp with time zone,
	"last_crawl_finished_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "contents_tenant_sha256_key";--> statement-breakpoint
ALTER TABLE "ingestion_jobs" ALTER COLUMN "content_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "contents" ADD COLUMN "website_source_id" uuid;--> statement-breakpoint
ALTER TABLE "contents" ADD COLUMN "source_url" text;--> statement-breakpoint
ALTER TABLE "ingestion_jobs" ADD COLUMN "website_source_id" uuid;--> statement-breakpoint
ALTER TABLE "website_pages" ADD CONSTRAINT "website_pages_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "website_pages" ADD CONSTRAINT "website_pages_source_id_website_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."website_sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "website_pages" ADD CONSTRAINT "website_pages_content_id_contents_id_fk" FOREIGN KEY ("content_id") REFERENCES "public"."contents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "website_sources" ADD CONSTRAINT "website_sources_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "website_sources" ADD CONSTRAINT "website_sources_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "website_pages_source_url_key" ON "website_pages" USING btree ("source_id","url");--> statement-breakpoint
CREATE INDEX "website_pages_tenant_source_idx" ON "website_pages" USING btree ("tenant_id","source_id","status");--> statement-breakpoint
CREATE INDEX "website_sources_tenant_idx" ON "website_sources" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "website_sources_due_idx" ON "website_sources" USING btree ("next_sync_at");--> statement-breakpoint
ALTER TABLE "contents" ADD CONSTRAINT "contents_website_source_id_website_sources_id_fk" FOREIGN KEY ("website_source_id") REFERENCES "public"."website_sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ingestion_jobs" ADD CONSTRAINT "ingestion_jobs_website_source_id_website_sources_id_fk" FOREIGN KEY ("website_source_id") REFERENCES "public"."website_sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contents_website_source_idx" ON "contents" USING btree ("website_source_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ingestion_jobs_live_crawl_key" ON "ingestion_jobs" USING btree ("website_source_id") WHERE status in ('queued', 'running');--> statement-breakpoint
CREATE UNIQUE INDEX "contents_tenant_sha256_key" ON "contents" USING btree ("tenant_id","sha256") WHERE website_source_id is null;--> statement-breakpoint
ALTER TABLE "ingestion_jobs" ADD CONSTRAINT "ingestion_jobs_subject_check" CHECK ((kind = 'crawl') = (content_id is null) and (kind = 'crawl') = (website_source_id is not null));