-- Row-level security for the programme of actions, its themes, links and opt-outs.
SELECT heard_enable_tenant_rls(t::regclass) FROM unnest(ARRAY[
  'programme_priorities', 'programme_themes', 'concern_themes', 'programme_actions',
  'programme_milestones', 'programme_updates', 'programme_links', 'programme_opt_outs'
]) AS t;
