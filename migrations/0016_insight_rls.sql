-- Row-level security for the insight capability's own table.
SELECT heard_enable_tenant_rls('insight_population');
--> statement-breakpoint
-- The partnership dashboard aggregates concerns raised in a date range. This index holds, in date
-- order, every column the dashboard groups or filters by, so PostgreSQL answers it from the index
-- alone (an index-only scan) instead of reading a million wide rows with their descriptions.
-- Hand-written (not in concerns.table.ts) because it belongs to insight, not to the concern workflow.
CREATE INDEX IF NOT EXISTS "insight_concerns_dashboard" ON "concerns" USING btree ("partnership_id", "created_at")
  INCLUDE ("topic", "area_id", "channel", "source", "urgent", "lead_organisation_id", "private",
           "first_response_at", "acknowledge_due_at", "respond_due_at", "closed_at");
