-- Row-level security for the community forums tables.
SELECT heard_enable_tenant_rls(t::regclass) FROM unnest(ARRAY[
  'forums', 'forum_facilitators', 'forum_join_requests', 'forum_join_equality', 'forum_members',
  'forum_meetings', 'forum_attendance', 'forum_issues'
]) AS t;
