-- Row-level security for the tables added with email intake, correspondence and Open311.
SELECT heard_enable_tenant_rls(t::regclass) FROM unnest(ARRAY[
  'inbound_messages', 'concern_attachments', 'correspondence', 'open311_keys', 'open311_services'
]) AS t;
