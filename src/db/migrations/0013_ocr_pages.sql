ALTER TABLE "content_pages" ADD COLUMN "ocr" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "contents" ADD COLUMN "ocr_pages" jsonb DEFAULT '[]'::jsonb NOT NULL;