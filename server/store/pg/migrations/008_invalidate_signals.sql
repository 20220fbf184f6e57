-- Invalidation signals (server/store/pg/pgSignals.ts): every statement changing users, API tokens or
-- glossaries notifies `postedit_invalidate` with its topic, delivered on commit (never for a rollback),
-- whatever runs it. App instances cache the API token lookup and the glossary revision while they
-- listen, and drop them when the notification arrives. Statement-level triggers: one notification per
-- statement (PostgreSQL folds equal ones within a transaction), also for statements that change no row.
CREATE FUNCTION postedit_invalidate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('postedit_invalidate', TG_ARGV[0]);
  RETURN NULL;
END
$$;

CREATE TRIGGER users_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION postedit_invalidate('users');
CREATE TRIGGER api_tokens_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON api_tokens
  FOR EACH STATEMENT EXECUTE FUNCTION postedit_invalidate('users');
CREATE TRIGGER glossaries_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON glossaries
  FOR EACH STATEMENT EXECUTE FUNCTION postedit_invalidate('glossaries');
CREATE TRIGGER glossary_revision_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON glossary_revision
  FOR EACH STATEMENT EXECUTE FUNCTION postedit_invalidate('glossaries');
