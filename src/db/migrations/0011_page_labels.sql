ALTER TABLE "contents" ADD COLUMN "page_labels" text[];--> statement-breakpoint
-- Answers stored before sources said what kind of file they cite, and where to open it, get
-- "file_type" (from the document, null when it is gone), "sheet_name": null and "url" (the
-- original file, a PDF at its page), so every stored source has the shape the API returns
-- (ChatSource in src/modules/chat/chat.schemas.ts). Order is kept.
UPDATE "messages" SET "sources" = (
  SELECT jsonb_agg(
    s.source || jsonb_build_object(
      'file_type', c."file_type",
      'sheet_name', NULL,
      'url', '/api/v1/contents/' || (s.source ->> 'file_id') || '/file'
        || CASE WHEN c."file_type" = 'pdf' THEN '?disposition=inline' || COALESCE('#page=' || (s.source ->> 'page'), '') ELSE '' END
    ) ORDER BY s.position)
  FROM jsonb_array_elements("messages"."sources") WITH ORDINALITY AS s(source, position)
  LEFT JOIN "contents" c ON c."id"::text = s.source ->> 'file_id'
)
WHERE jsonb_typeof("sources") = 'array'
  AND EXISTS (SELECT 1 FROM jsonb_array_elements("messages"."sources") AS e(source) WHERE e.source -> 'file_type' IS NULL);
