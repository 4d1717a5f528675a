-- Row-level security for the dashboard's rollup (see src/capabilities/insight/rollup.repository.ts).
SELECT heard_enable_tenant_rls(t::regclass) FROM unnest(ARRAY['insight_daily', 'insight_changes', 'insight_rollup_state']) AS t;
--> statement-breakpoint
GRANT USAGE, SELECT ON SEQUENCE insight_changes_id_seq TO heard_app;
--> statement-breakpoint
-- The unfiltered dashboard's breakdowns (a few rows a day each, every row but the `all` grain), with
-- every column it reads, so they come from the index alone.
CREATE INDEX IF NOT EXISTS "insight_daily_marginal" ON "insight_daily" USING btree ("partnership_id", "grain", "day")
  INCLUDE ("topic", "area_id", "lead_organisation_id", "channel", "source", "response_hours", "concerns", "urgent",
           "responded", "acknowledged_on_time", "closed", "closed_on_time", "open", "open_urgent",
           "acknowledge_overdue", "respond_overdue", "open_overdue")
  WHERE grain <> 'all';
--> statement-breakpoint
-- A changed concern marks its day (the London day it was raised) as changed, in the same
-- transaction: the dashboard then counts that day from the concerns until the refresh has rolled it
-- up again. Append-only rows, one per statement and day, so concurrent writers never wait on a
-- shared row; statement-level, so a bulk insert adds one row per day, not per concern.
-- Only concerns raised before yesterday are marked: from the day before yesterday on, the dashboard
-- counts every day live (insight_rollup_state.live_from), so intake (raised now) writes no mark.
-- The day of margin covers a transaction that spans midnight.
CREATE OR REPLACE FUNCTION heard_insight_marked_before() RETURNS timestamptz
  LANGUAGE sql STABLE
  AS $$ SELECT (((now() AT TIME ZONE 'Europe/London')::date - 1)::timestamp AT TIME ZONE 'Europe/London') $$;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION heard_insight_marked_before() TO heard_app;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION heard_insight_mark_inserted() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  INSERT INTO insight_changes (partnership_id, day)
    SELECT DISTINCT n.partnership_id, (n.created_at AT TIME ZONE 'Europe/London')::date FROM new_rows n
    WHERE n.created_at < heard_insight_marked_before();
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Only changes to what the dashboard counts mark a day: a note, a redaction or an assignment do not.
CREATE OR REPLACE FUNCTION heard_insight_mark_updated() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  INSERT INTO insight_changes (partnership_id, day)
    SELECT DISTINCT x.partnership_id, (x.created_at AT TIME ZONE 'Europe/London')::date
    FROM old_rows o JOIN new_rows n ON n.id = o.id
    CROSS JOIN LATERAL (VALUES (o.partnership_id, o.created_at), (n.partnership_id, n.created_at)) AS x(partnership_id, created_at)
    WHERE (o.partnership_id, o.created_at, o.topic, o.area_id, o.lead_organisation_id, o.channel, o.source,
           o.urgent, o.first_response_at, o.closed_at, o.acknowledge_due_at, o.respond_due_at)
      IS DISTINCT FROM
          (n.partnership_id, n.created_at, n.topic, n.area_id, n.lead_organisation_id, n.channel, n.source,
           n.urgent, n.first_response_at, n.closed_at, n.acknowledge_due_at, n.respond_due_at)
      AND x.created_at < heard_insight_marked_before();
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION heard_insight_mark_deleted() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  INSERT INTO insight_changes (partnership_id, day)
    SELECT DISTINCT o.partnership_id, (o.created_at AT TIME ZONE 'Europe/London')::date FROM old_rows o
    WHERE o.created_at < heard_insight_marked_before();
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER concerns_insight_inserted AFTER INSERT ON concerns
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_insight_mark_inserted();
--> statement-breakpoint
CREATE TRIGGER concerns_insight_updated AFTER UPDATE ON concerns
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_insight_mark_updated();
--> statement-breakpoint
CREATE TRIGGER concerns_insight_deleted AFTER DELETE ON concerns
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION heard_insight_mark_deleted();
--> statement-breakpoint
-- Concerns not yet answered, by when their acknowledgement falls due: the dashboard finds the few
-- that have become overdue since the last refresh here (open concerns by response due date are
-- already indexed by concerns_open_due). Small: answered concerns leave it.
CREATE INDEX IF NOT EXISTS "insight_concerns_unanswered" ON "concerns" USING btree ("partnership_id", "acknowledge_due_at")
  WHERE first_response_at IS NULL;
