-- btree_gin lets one GIN index key chunks by tenant and word (trusted: no superuser needed).
CREATE EXTENSION IF NOT EXISTS btree_gin;--> statement-breakpoint
CREATE TABLE "search_corpus" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"chunk_count" bigint NOT NULL,
	"total_length" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "search_terms" (
	"tenant_id" uuid NOT NULL,
	"term" text NOT NULL,
	"df" integer NOT NULL,
	CONSTRAINT "search_terms_tenant_id_term_pk" PRIMARY KEY("tenant_id","term")
);
--> statement-breakpoint
DROP INDEX "chunks_tsv_idx";--> statement-breakpoint
ALTER TABLE "search_corpus" ADD CONSTRAINT "search_corpus_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "search_terms" ADD CONSTRAINT "search_terms_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "chunks_tenant_tsv_idx" ON "chunks" USING gin ("tenant_id","tsv");--> statement-breakpoint
-- The statistics of chunks indexed before this migration.
INSERT INTO "search_terms" ("tenant_id", "term", "df")
	SELECT "tenant_id", u.lexeme, count(*) FROM "chunks" CROSS JOIN LATERAL unnest("tsv") AS u GROUP BY 1, 2;--> statement-breakpoint
INSERT INTO "search_corpus" ("tenant_id", "chunk_count", "total_length")
	SELECT "tenant_id", count(*), sum(length("tsv")) FROM "chunks" GROUP BY 1;