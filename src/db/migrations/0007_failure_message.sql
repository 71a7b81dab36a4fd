-- Failure reasons in both languages (issue 13); failure_reason keeps the English of earlier failures.
ALTER TABLE "contents" ADD COLUMN "failure_message" jsonb;
