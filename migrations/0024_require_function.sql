-- Ends the statement (and so its transaction) with SQLSTATE HR001 when `ok` is not true. For a
-- pipelined transaction whose later statements were sent before an earlier one was answered: a
-- condition the earlier one checks must stop them, not just report back (see share.repository.ts).
CREATE OR REPLACE FUNCTION heard_require(ok boolean, what text) RETURNS boolean
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF ok IS NOT TRUE THEN
    RAISE EXCEPTION 'heard_require: %', what USING ERRCODE = 'HR001';
  END IF;
  RETURN true;
END
$$;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION heard_require(boolean, text) TO heard_app;
