-- The audit trail is append-only and a saved protocol version is never changed:
-- earlier values must stay visible (21 CFR 11.10(e)), so the database itself
-- refuses to change or remove them, as the SQLite triggers do.
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '%', TG_ARGV[0];
END;
$$;
--> statement-breakpoint
CREATE TRIGGER events_no_update BEFORE UPDATE ON events FOR EACH ROW EXECUTE FUNCTION refuse_change('events are append-only');
--> statement-breakpoint
CREATE TRIGGER events_no_delete BEFORE DELETE ON events FOR EACH ROW EXECUTE FUNCTION refuse_change('events are append-only');
--> statement-breakpoint
CREATE TRIGGER protocol_versions_no_update BEFORE UPDATE ON protocol_versions FOR EACH ROW EXECUTE FUNCTION refuse_change('protocol versions are immutable');
