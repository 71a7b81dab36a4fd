ALTER TABLE "contents" ADD COLUMN "title_edited_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "website_pages" ADD COLUMN "removed_at" timestamp with time zone;