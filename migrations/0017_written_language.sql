ALTER TABLE "concerns" ADD COLUMN "written_language" text;--> statement-breakpoint
ALTER TABLE "concerns" ADD COLUMN "written_language_source" text;--> statement-breakpoint
CREATE INDEX "concerns_written_language" ON "concerns" USING btree ("partnership_id","written_language","urgent" DESC NULLS LAST,"created_at","id") WHERE written_language <> 'en';