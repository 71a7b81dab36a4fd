-- Answers stored before sources kept the document's title get "title": null, so every stored source
-- has the shape the API returns (ChatSource in src/modules/chat/chat.schemas.ts). Order is kept.
UPDATE "messages" SET "sources" = (
  SELECT jsonb_agg(CASE WHEN s.source -> 'title' IS NULL THEN s.source || jsonb_build_object('title', NULL) ELSE s.source END ORDER BY s.position)
  FROM jsonb_array_elements("messages"."sources") WITH ORDINALITY AS s(source, position)
)
WHERE jsonb_typeof("sources") = 'array'
  AND EXISTS (SELECT 1 FROM jsonb_array_elements("messages"."sources") AS e(source) WHERE e.source -> 'title' IS NULL);
