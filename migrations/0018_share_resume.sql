ALTER TABLE "share_drafts" ADD COLUMN "resume_hash" text;--> statement-breakpoint
ALTER TABLE "share_drafts" ADD CONSTRAINT "share_drafts_resume_hash_unique" UNIQUE("resume_hash");