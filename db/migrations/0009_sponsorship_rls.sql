-- Sponsorship: what drizzle cannot say about the tables of 0008.

-- Row-level security applies to the tables' owner too (db/test/tenancy.test.ts checks the catalog).
ALTER TABLE "children" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "sponsors" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "sponsorships" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "sponsorship_support" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "sponsorship_visits" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "sponsorship_visit_volunteers" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "sponsorship_updates" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- History is kept: deleting a child anonymizes the row (a tombstone), sponsors are made inactive,
-- sponsorships end or lapse, and support given stays counted. Only a deleted child's visit
-- volunteers and updates (free text about the child) are removed.
REVOKE DELETE, TRUNCATE ON "children", "sponsors", "sponsorships", "sponsorship_support" FROM qicai_app;
--> statement-breakpoint
-- An individual sponsor who is a member: if the member is removed, the sponsor stays, unlinked.
-- (A composite key clearing only member_id: SET NULL with a column list, PostgreSQL 15.)
ALTER TABLE "sponsors" ADD CONSTRAINT "sponsors_member_fk" FOREIGN KEY ("org_id", "member_id")
  REFERENCES "members" ("org_id", "id") ON DELETE SET NULL ("member_id");
--> statement-breakpoint
-- Rule 11: a sponsor never has more active sponsorships than children offered. The sponsor's row
-- is locked first, so confirmations for one sponsor running at the same moment queue here and
-- each counts what the others committed (under READ COMMITTED every statement of a trigger
-- function takes a fresh snapshot).
CREATE FUNCTION sponsorships_within_capacity() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE
  offered integer;
  taken integer;
BEGIN
  IF NEW.status <> 'ACTIVE' THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.status = 'ACTIVE' AND OLD.sponsor_id = NEW.sponsor_id THEN
    RETURN NEW;
  END IF;
  SELECT children_offered INTO offered FROM sponsors
    WHERE org_id = NEW.org_id AND id = NEW.sponsor_id FOR UPDATE;
  SELECT count(*) INTO taken FROM sponsorships
    WHERE org_id = NEW.org_id AND sponsor_id = NEW.sponsor_id AND status = 'ACTIVE' AND id <> NEW.id;
  IF taken >= offered THEN
    RAISE EXCEPTION 'the sponsor has no place left'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'sponsorships_within_capacity';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER sponsorships_within_capacity BEFORE INSERT OR UPDATE OF status, sponsor_id ON "sponsorships"
  FOR EACH ROW EXECUTE FUNCTION sponsorships_within_capacity();
--> statement-breakpoint
-- ... nor is the number offered lowered below the children already sponsored.
CREATE FUNCTION sponsors_offer_covers_active() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF NEW.children_offered < (SELECT count(*) FROM sponsorships
      WHERE org_id = NEW.org_id AND sponsor_id = NEW.id AND status = 'ACTIVE') THEN
    RAISE EXCEPTION 'fewer children offered than sponsored'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'sponsors_offer_covers_active';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER sponsors_offer_covers_active BEFORE UPDATE OF children_offered ON "sponsors"
  FOR EACH ROW EXECUTE FUNCTION sponsors_offer_covers_active();
