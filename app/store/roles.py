"""PostgreSQL login roles for the three kinds of client of the central database, as SQL text.

- station: packing, picking and dock PCs (the packing bench, its outbox push and pull, the
  picker's waves, the dock's handover);
- engine: the server's order engine, intake, channel events and wave release;
- office: the shift lead's and admin's screens (an office PC may also pick and pack).

Each grant below says why its client needs it; what is not granted is refused by the server,
whatever a compromised or tampered client sends. Nobody but the owner that runs the migrations
may DELETE orders or users, rewrite the audit log or the stock ledger, TRUNCATE or change the
schema. Stock and its ledger are written directly by the engine only (it reserves stock when
it routes orders); a station or an office PC changes stock through four SECURITY DEFINER
functions owned by the engine role (`STOCK_FUNCTIONS`), each of which writes the stock row and
its ledger line together and refuses what its step cannot do. `app.services.stock` calls them
when its connection may not update `stock` itself.

`script()` is what `packline db roles` prints and `apply()` runs it (docs/database.md). Both
are idempotent: a run revokes what the roles held before and grants exactly what is listed,
so it is run again after a migration adds tables.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

KINDS = ("station", "engine", "office")
DEFAULT_PREFIX = "packline_"
_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")

# The statuses in which an order holds no stock (`app.services.orders.HOLDS_NOTHING`): the
# release function gives back an order's stock only once its stored status is one of these.
HOLDS_NOTHING = ("pending_review", "on_hold", "exception", "awaiting_stock", "cancelled")

# Tables no role is granted: the owner's alone. Every other table of the schema is listed
# for at least one role below (a test holds every new table to a decision).
OWNER_ONLY = ("totes",)

# Alembic's record of the schema's revision: every role reads it (and none writes it), so a
# client can refuse a database its build was not made for.
VERSION_TABLE = "alembic_version"

# A table's privileges: "SELECT", "INSERT", "DELETE", "UPDATE" or "UPDATE (col, ...)".
Privileges = tuple[str, ...]

_REFERENCE = ("bins", "carriers", "channels", "presale_campaigns", "shops", "sku_barcodes",
              "skus", "warehouses", "zones")

# Counting failed logins and noting the last one: whoever logs people in (every role: the
# engine's command line logs its service account in too).
_THROTTLE = ("SELECT", "INSERT", "UPDATE (failures, last_failed_at, retry_after, locked_until, "
                                 "last_login_at)")

# ---------------------------------------------------------------- station

STATION: dict[str, tuple[Privileges, str]] = {
    **{t: (("SELECT",), "reference data: scans, labels, the walk through the bins, order "
                        "detail; the pull copies SKUs, barcodes and carriers for offline "
                        "packing")
       for t in ("bins", "carriers", "shops", "sku_barcodes", "skus", "warehouses", "zones")},
    **{t: (("SELECT",), "the app's change watcher reads a fingerprint of these every few "
                        "seconds, in one query with the others (app/services/watch.py)")
       for t in ("presale_campaigns", "presale_pools", "review_rules")},
    "users": (("SELECT",),
              "a login checks the hashes (password, PIN, badge) and every action reads the "
              "person's role again; the pull copies them for offline login; never written"),
    "login_throttle": (_THROTTLE,
                       "failed logins slow down and lock a person and a station; a login "
                       "notes the last login here, not in users"),
    "orders": (("SELECT", "UPDATE (status, exception, wave_id, warehouse_id, carrier_id, "
                          "status_changed_at, updated_at, version)"),
               "a claim, a pick, a push, a handover move an order's status; never its "
               "receiver, amounts, priority or intercept"),
    "order_lines": (("SELECT", "UPDATE (picked_qty, packed_qty)"),
                    "a pick and a pushed confirm count units into the lines"),
    "order_payments": (("SELECT",), "order detail"),
    "order_exceptions": (("SELECT", "INSERT"),
                         "a short pick or a push conflict raises an exception for a shift "
                         "lead; resolving one is the office's"),
    "audit_log": (("SELECT", "INSERT"),
                  "every change is audited in its own transaction; order history; never "
                  "rewritten"),
    "waves": (("SELECT", "UPDATE (status, picker_id, claimed_at, finished_at, cancelled_at, "
                         "order_count)"),
              "a picker claims, hands back and finishes a wave; the station fetches waves to "
              "pack"),
    "wave_orders": (("SELECT", "UPDATE (removed_at)"),
                    "an order short-picked or overtaken at a station leaves its wave"),
    "pick_tasks": (("SELECT", "UPDATE (qty, picked_qty, status, picked_by, picked_at, "
                                        "bin_confirmed_at)", "DELETE"),
                   "a picker scans each task's bin and picks it; an order leaving a wave "
                   "shrinks or removes its stop"),
    "putback_tasks": (("SELECT", "INSERT"),
                      "units picked for an order that left its wave get a put-back task; it "
                      "is done only through packline_stock_put_back"),
    "stock_movements": (("SELECT",),
                        "what each order holds bin by bin, for picking; stock and its ledger "
                        "change only through the stock functions"),
    "packages": (("SELECT", "INSERT", "UPDATE (tracking_no, carrier_id, status, weight_g, "
                                      "expected_weight_g, packed_by, station_id, packed_at, "
                                      "handover_id, waybill_provider, print_data)"),
                 "a pushed confirm writes the boxes; a bench's platform waybill is stored on "
                 "its box; the dock hands them over"),
    "shipment_confirmations": (("SELECT", "INSERT"),
                               "closing a handover (or a pushed confirm, for shops that "
                               "confirm at packing) queues the platforms' shipment "
                               "confirmations; the engine sends them"),
    "package_items": (("SELECT", "INSERT"), "what each box holds, from a pushed confirm"),
    "waybill_requests": (("SELECT", "INSERT"),
                         "a bench asks for a box's platform waybill the centre does not have "
                         "yet; the engine fetches it (a station never calls a platform)"),
    "waybill_waits": (("SELECT",),
                      "a bench asking for a waybill the platform refused is told the lead "
                      "has it"),
    "waybill_cancellations": (("SELECT",),
                              "a waybill given back is never handed to a bench again, nor "
                              "confirmed by a pushed confirm"),
    "tracking_numbers": (("SELECT", "UPDATE (status, station_id, allocated_at, used_at)"),
                         "a station takes a block of numbers and marks them used when its "
                         "parcels are pushed; never adds numbers"),
    "pack_progress": (("SELECT", "INSERT", "UPDATE (station, session, packer, events, units, "
                                           "paused_at)", "DELETE"),
                      "an order set aside (暂停) waits here for the station that takes it up"),
    "applied_events": (("SELECT", "INSERT"),
                       "each pushed event is applied once; a repeated push reads the first "
                       "outcome"),
    "handovers": (("SELECT", "INSERT", "UPDATE (status, parcel_count, closed_at)"),
                  "the dock opens, fills and closes a carrier's handover"),
    "counters": (("SELECT", "INSERT", "UPDATE (value)"),
                 "the dock numbers its handovers from a counter row"),
    "stations": (("SELECT", "INSERT", "UPDATE (last_seen_at, app_version, outbox_pending, "
                                      "outbox_lag_s, outbox_refused, last_push_at, printers)"),
                 "a station reports its link and its printers after each push (created on "
                 "first contact); never its kind or warehouse"),
    "work_slots": (("SELECT", "INSERT", "UPDATE (orders, units, seconds, events)"),
                   "every pick, pushed pack and handover adds to its person's five-minute "
                   "slot, which the dashboard's rates are read from"),
    "backlog_summary": (("SELECT",), "a lead's dashboard at a packing or dock PC reads the "
                                     "engine's count of the live orders"),
}

# ---------------------------------------------------------------- engine

ENGINE: dict[str, tuple[Privileges, str]] = {
    **{t: (("SELECT",), "reference data for validation, routing and wave planning")
       for t in _REFERENCE if t not in ("shops", "presale_campaigns", "sku_barcodes")},
    "shops": (("SELECT", "INSERT"), "intake adds a channel's shop the first time it is seen"),
    "presale_campaigns": (("SELECT", "UPDATE (warned_at)"),
                          "the engine warns once when a presale pool runs low"),
    "presale_pools": (("SELECT", "UPDATE (reserved)"),
                      "presale orders reserve pool units; a cancellation gives them back"),
    "suppliers": (("SELECT",), "a presale order's promised ship date counts on its "
                               "campaign's suppliers"),
    "presale_supplies": (("SELECT",), "a presale order's promised ship date counts on the "
                                      "deliveries its suppliers confirmed"),
    "order_compensations": (("SELECT", "INSERT"),
                            "the exception queue's ageing flags the buyers of goods more "
                            "than 72 h late for compensation"),
    "blacklist": (("SELECT",), "auto review checks buyers, phones and addresses"),
    "review_rules": (("SELECT",), "auto review runs the rules a shift lead edits"),
    "orders": (("SELECT", "INSERT", "UPDATE"),
               "intake creates orders; the engine validates, reviews, routes, merges, splits; "
               "channel events intercept them; release puts them in waves"),
    "order_lines": (("SELECT", "INSERT", "UPDATE"),
                    "intake writes lines; the engine resolves SKUs and splits orders"),
    "order_payments": (("SELECT", "INSERT", "UPDATE"),
                       "intake writes payments; balance payments arrive as channel events"),
    "order_exceptions": (("SELECT", "INSERT", "UPDATE (resolved_at, resolved_by, resolution)"),
                         "the engine raises exceptions and closes them when an order moves "
                         "on"),
    "channel_events": (("SELECT", "INSERT", "UPDATE (processed_at)"),
                       "channel status events are recorded once and applied"),
    "audit_log": (("INSERT",), "every change is audited; the engine never reads or rewrites "
                               "it"),
    "counters": (("SELECT", "INSERT", "UPDATE (value)"), "order and wave numbers"),
    "stock": (("SELECT", "UPDATE"),
              "routing reserves stock; the engine owns the stock functions the other roles "
              "call"),
    "stock_movements": (("SELECT", "INSERT"), "the ledger line of every stock change"),
    "waves": (("SELECT", "INSERT", "UPDATE"), "release forms waves; an intercept settles one"),
    "users": (("SELECT",), "the command line logs its service account (or a person) in, and "
                           "every action reads the role again"),
    "login_throttle": (_THROTTLE, "failed logins of the command line count as anywhere"),
    "wave_orders": (("SELECT", "INSERT", "UPDATE (removed_at)"),
                    "release puts orders in waves; an intercepted order leaves its wave"),
    "pick_tasks": (("SELECT", "INSERT", "UPDATE (qty, status)", "DELETE"),
                   "release writes the pick path; an intercepted order shrinks or removes "
                   "its stops"),
    "putback_tasks": (("SELECT", "INSERT", "UPDATE (status, done_at, done_by)"),
                      "an order intercepted mid-pick gets put-back tasks; "
                      "packline_stock_put_back (owned by the engine) marks one done"),
    "work_slots": (("SELECT", "INSERT", "UPDATE (orders, units, seconds, events)"),
                   "an intercepted order leaving the last stops of a wave finishes it: its "
                   "orders count as picked by its picker"),
    "backlog_summary": (("SELECT", "INSERT", "UPDATE (computed_at, took_ms, data)"),
                        "the engine counts the live orders for the dashboards every few "
                        "seconds"),
    "packages": (("SELECT", "INSERT", "UPDATE (tracking_no, carrier_id, status, "
                                      "waybill_provider, print_data, waybill_cancelled_at, "
                                      "waybill_for)"),
                 "platform waybills are issued (asked by a station or fetched ahead) and "
                 "stored on their boxes; one given back is cleared from, or marked on, its "
                 "box"),
    "shipment_confirmations": (("SELECT", "INSERT", "UPDATE (status, attempts, next_at, "
                                                    "last_error, sent_at)"),
                               "the engine sends the platforms' shipment confirmations, "
                               "with retries; an intercept withdraws a parcel's"),
    "waybill_cancellations": (("SELECT", "INSERT", "UPDATE (status, attempts, next_at, "
                                                   "last_error, done_at)"),
                              "a channel's intercept or changed address queues a parcel's "
                              "platform waybill; the engine cancels it at the provider"),
    "waybill_requests": (("SELECT", "INSERT", "UPDATE (requested_at)", "DELETE"),
                         "the engine serves the stations' asks for waybills and removes "
                         "each once served (it locks the asks it serves, SKIP LOCKED, which "
                         "needs an UPDATE grant)"),
    "waybill_waits": (("SELECT", "INSERT", "UPDATE (attempts, next_at, refused, last_error)",
                       "DELETE"),
                      "a box whose waybill failed waits before the engine asks again"),
    "channel_cursors": (("SELECT", "INSERT", "UPDATE (pulled_until, last_run_at, last_error, "
                                             "orders_seen)"),
                        "the engine pulls the shops' orders from their platforms and keeps "
                        "how far each got"),
    "channel_rejects": (("SELECT", "INSERT", "UPDATE (modified_at, record, reason, reason_code, "
                                             "reason_params, last_tried, tries)", "DELETE"),
                        "a pulled order intake refused is kept and tried again at every "
                        "pull, and deleted once it is taken in"),
}

# ---------------------------------------------------------------- office

_OFFICE_OWN: dict[str, tuple[Privileges, str]] = {
    "users": (("SELECT", "INSERT", "UPDATE (name, role, password_hash, pin_hash, badge_hash, "
                                   "badge_issued_at, token_hash, active, warehouse_id)"),
              "an admin adds people and service accounts, changes roles, passwords, PINs, "
              "badges and tokens, deactivates; users are never deleted (the audit log names "
              "them)"),
    "login_throttle": (_THROTTLE, "logins as at every PC; an admin lifts a lockout"),
    "orders": (("SELECT", "INSERT", "UPDATE"),
               "a lead imports orders, changes statuses, fixes addresses, releases waves"),
    "order_lines": (("SELECT", "INSERT", "UPDATE"), "import; a lead substitutes a SKU"),
    "order_exceptions": (("SELECT", "INSERT", "UPDATE (level, escalated_at, resolved_at, "
                                              "resolved_by, resolution)"),
                         "a lead resolves and escalates the exception queue"),
    "review_rules": (("SELECT", "UPDATE (name, position, enabled, params, updated_by, "
                                        "updated_at)"),
                     "a lead edits the review rules"),
    "waves": (("SELECT", "INSERT", "UPDATE"), "a lead releases, cancels and picks waves"),
    "wave_orders": (("SELECT", "INSERT", "UPDATE (removed_at)"),
                    "release and cancel put orders in and out of waves"),
    "pick_tasks": (("SELECT", "INSERT", "UPDATE (qty, picked_qty, status, picked_by, "
                                        "picked_at, bin_confirmed_at)", "DELETE"),
                   "release writes the pick path; a lead may pick"),
    "presale_pools": (("SELECT", "UPDATE (reserved)"),
                      "cancelling an order gives back its presale pool units"),
    "stations": (("SELECT", "INSERT", "UPDATE"), "an admin manages stations"),
    "presale_campaigns": (("SELECT", "UPDATE (supplier_id, backup_supplier_id, stock_mode)"),
                          "a lead names a presale campaign's supplier and backup supplier, "
                          "and sets its stock mode before it has orders "
                          "(`packline presale mode`)"),
    "suppliers": (("SELECT", "INSERT", "UPDATE"),
                  "a lead enters or imports a presale campaign's suppliers"),
    "presale_supplies": (("SELECT", "INSERT", "UPDATE"),
                         "a lead enters or imports the deliveries suppliers confirmed and "
                         "their slipping dates"),
    "order_compensations": (("SELECT", "INSERT", "UPDATE (exported_at)"),
                            "a lead flags buyers of late goods for compensation and exports "
                            "them for the shop"),
    "carriers": (("SELECT", "UPDATE (cutoff)"), "a lead sets a carrier's daily cut-off"),
    "shipment_confirmations": (("SELECT", "INSERT", "UPDATE (status, attempts, next_at, "
                                                    "last_error, sent_at)"),
                               "a lead sends a refused shipment confirmation again; an "
                               "office PC may run the embedded engine's sends"),
    "waybill_cancellations": (("SELECT", "INSERT", "UPDATE (status, attempts, next_at, "
                                                   "last_error, done_at)"),
                              "a lead's intercept, cancel or routing again queues a parcel's "
                              "waybill to cancel"),
    "packages": (("SELECT", "INSERT", "UPDATE (tracking_no, carrier_id, status, weight_g, "
                                      "expected_weight_g, packed_by, station_id, packed_at, "
                                      "handover_id, waybill_provider, print_data, "
                                      "waybill_cancelled_at, waybill_for)"),
                 "as at a station; a lead's routing again clears a box's waybill given back; "
                 "an office PC may run the embedded engine's waybill fetches"),
    "waybill_requests": (("SELECT", "INSERT", "UPDATE (requested_at)", "DELETE"),
                         "as at a station; the embedded engine serves them (locking them)"),
    "waybill_waits": (("SELECT", "INSERT", "UPDATE (attempts, next_at, refused, last_error)",
                       "DELETE"),
                      "the embedded engine waits before asking again for a failed waybill"),
    "shops": (("SELECT", "INSERT", "UPDATE (channel, name, code, platform_shop_id, api_url, "
                                   "app_key, pull_enabled, waybill_providers, confirm_on)"),
              "intake adds a channel's shop; a lead sets a shop up for its platform"),
    "channel_cursors": (("SELECT", "INSERT", "UPDATE (pulled_until, last_run_at, last_error, "
                                             "orders_seen)"),
                        "a lead pulls a shop's orders (`packline channels pull`)"),
    "channel_rejects": (("SELECT", "INSERT", "UPDATE (modified_at, record, reason, reason_code, "
                                             "reason_params, last_tried, tries)", "DELETE"),
                        "a lead's pull keeps and retries the orders intake refused, and lists "
                        "them (`packline channels rejects`)"),
}

OFFICE: dict[str, tuple[Privileges, str]] = {
    **{t: (("SELECT",), "reference data for the screens, wave planning and labels")
       for t in _REFERENCE},
    **{t: v for t, v in STATION.items() if t not in ("users",)},
    **{t: ENGINE[t] for t in ("shops", "order_payments", "channel_events", "counters")},
    **_OFFICE_OWN,
}

GRANTS: dict[str, dict[str, tuple[Privileges, str]]] = {
    "station": STATION, "engine": ENGINE, "office": OFFICE}

# ---------------------------------------------------------------- stock functions

# name(argument types) -> who may call it, what it is for
STOCK_FUNCTIONS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "packline_stock_pick": (
        "bigint, bigint, bigint, bigint, integer, bigint", ("station", "office"),
        "picked units leave the bin: only for an order in a wave being picked, and never more "
        "than the ledger says it holds there"),
    "packline_stock_short": (
        "bigint, bigint, bigint, integer, bigint, text", ("station", "office"),
        "a short pick counts the bin down: only lowers on hand, never below what is "
        "promised, only during a wave being picked"),
    "packline_stock_put_back": (
        "bigint, bigint", ("station", "office"),
        "the units of an open put-back task go back to their bin, and the task is done"),
    "packline_stock_release": (
        "bigint, bigint, text", ("station", "office"),
        "an order that holds no stock any more (its stored status) gives back what the "
        "ledger says it holds"),
}

_FUNCTION_BODIES = {
    "packline_stock_pick": """
CREATE OR REPLACE FUNCTION packline_stock_pick(p_wave bigint, p_bin bigint, p_sku bigint,
    p_order bigint, p_units integer, p_user bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $fn$
DECLARE
  held bigint;
BEGIN
  IF p_units IS NULL OR p_units < 1 THEN
    RAISE EXCEPTION 'packline_stock_pick: at least one unit' USING ERRCODE = '22023';
  END IF;
  PERFORM 1 FROM waves w JOIN wave_orders m ON m.wave_id = w.id
   WHERE w.id = p_wave AND w.status = 'picking' AND m.order_id = p_order
     AND m.removed_at IS NULL;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'packline_stock_pick: order % is not in wave % being picked',
      p_order, p_wave USING ERRCODE = '42501';
  END IF;
  SELECT coalesce(sum(delta_reserved), 0) INTO held FROM stock_movements
   WHERE order_id = p_order AND sku_id = p_sku AND bin_id = p_bin
     AND reason IN ('reserve', 'release', 'pick');
  IF p_units > held THEN
    RAISE EXCEPTION 'packline_stock_pick: order % holds % units there, not %',
      p_order, held, p_units USING ERRCODE = '42501';
  END IF;
  UPDATE stock SET on_hand = on_hand - p_units, reserved = reserved - p_units,
         updated_at = now()
   WHERE bin_id = p_bin AND sku_id = p_sku;
  INSERT INTO stock_movements (at, sku_id, bin_id, delta_on_hand, delta_reserved, reason,
                               order_id, wave_id, user_id, note)
  VALUES (now(), p_sku, p_bin, -p_units, -p_units, 'pick', p_order, p_wave, p_user, '');
END
$fn$""",
    "packline_stock_short": """
CREATE OR REPLACE FUNCTION packline_stock_short(p_wave bigint, p_bin bigint, p_sku bigint,
    p_missing integer, p_user bigint, p_note text) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $fn$
DECLARE
  was integer;
  promised integer;
  corrected integer;
BEGIN
  IF p_missing IS NULL OR p_missing < 1 THEN
    RAISE EXCEPTION 'packline_stock_short: at least one unit missing' USING ERRCODE = '22023';
  END IF;
  PERFORM 1 FROM waves w JOIN bins b ON b.warehouse_id = w.warehouse_id
   WHERE w.id = p_wave AND w.status = 'picking' AND b.id = p_bin;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'packline_stock_short: wave % is not being picked in bin %''s warehouse',
      p_wave, p_bin USING ERRCODE = '42501';
  END IF;
  SELECT on_hand, reserved INTO was, promised FROM stock
   WHERE bin_id = p_bin AND sku_id = p_sku FOR UPDATE;
  IF NOT FOUND THEN
    RETURN 0;
  END IF;
  corrected := greatest(was - p_missing, promised);
  UPDATE stock SET on_hand = corrected, updated_at = now()
   WHERE bin_id = p_bin AND sku_id = p_sku;
  INSERT INTO stock_movements (at, sku_id, bin_id, delta_on_hand, delta_reserved, reason,
                               order_id, wave_id, user_id, note)
  VALUES (now(), p_sku, p_bin, corrected - was, 0, 'adjust', NULL, p_wave, p_user,
          left(coalesce(p_note, ''), 200));
  RETURN corrected - was;
END
$fn$""",
    "packline_stock_put_back": """
CREATE OR REPLACE FUNCTION packline_stock_put_back(p_task bigint, p_user bigint)
    RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $fn$
DECLARE
  t record;
BEGIN
  UPDATE putback_tasks SET status = 'done', done_at = now(), done_by = p_user
   WHERE id = p_task AND status = 'open'
   RETURNING sku_id, bin_id, qty, order_id, wave_id INTO t;
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  UPDATE stock SET on_hand = on_hand + t.qty, updated_at = now()
   WHERE bin_id = t.bin_id AND sku_id = t.sku_id;
  INSERT INTO stock_movements (at, sku_id, bin_id, delta_on_hand, delta_reserved, reason,
                               order_id, wave_id, user_id, note)
  VALUES (now(), t.sku_id, t.bin_id, t.qty, 0, 'putback', t.order_id, t.wave_id, p_user,
          'put back');
  RETURN true;
END
$fn$""",
    "packline_stock_release": f"""
CREATE OR REPLACE FUNCTION packline_stock_release(p_order bigint, p_user bigint, p_note text)
    RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $fn$
DECLARE
  current_status text;
  h record;
  released integer := 0;
BEGIN
  SELECT status INTO current_status FROM orders WHERE id = p_order;
  IF current_status IS NULL OR current_status NOT IN
     ({", ".join(f"'{s}'" for s in HOLDS_NOTHING)}) THEN
    RAISE EXCEPTION 'packline_stock_release: order % is %, which holds stock',
      p_order, current_status USING ERRCODE = '42501';
  END IF;
  FOR h IN SELECT sku_id, bin_id, sum(delta_reserved)::integer AS units FROM stock_movements
            WHERE order_id = p_order AND reason IN ('reserve', 'release', 'pick')
            GROUP BY sku_id, bin_id ORDER BY sku_id, bin_id LOOP
    CONTINUE WHEN h.units = 0;
    UPDATE stock SET reserved = reserved - h.units, updated_at = now()
     WHERE sku_id = h.sku_id AND bin_id = h.bin_id;
    INSERT INTO stock_movements (at, sku_id, bin_id, delta_on_hand, delta_reserved, reason,
                                 order_id, wave_id, user_id, note)
    VALUES (now(), h.sku_id, h.bin_id, 0, -h.units, 'release', p_order, NULL, p_user,
            left(coalesce(p_note, ''), 200));
    released := released + h.units;
  END LOOP;
  RETURN released;
END
$fn$""",
}


# ---------------------------------------------------------------- the script


def role_names(prefix: str = DEFAULT_PREFIX) -> dict[str, str]:
    """kind -> role name; refuses a prefix that is not a plain lower-case SQL name."""
    names = {kind: f"{prefix}{kind}" for kind in KINDS}
    for name in names.values():
        if not _NAME.match(name) or len(name) > 63:
            raise ValueError(f"role name {name!r}: lower-case letters, digits and '_', "
                             "starting with a letter or '_', at most 63 characters")
    return names


def _sequences() -> frozenset[str]:
    """Tables whose id comes from a sequence (nextval needs USAGE on it)."""
    from app.store.models import Base

    return frozenset(t.name for t in Base.metadata.tables.values()
                     if t.autoincrement_column is not None)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True, slots=True)
class Statement:
    sql: str
    why: str = ""


def statements(prefix: str = DEFAULT_PREFIX) -> list[Statement]:
    """Everything `packline db roles` runs, in order, each with the reason it is there."""
    names = role_names(prefix)
    roles = {kind: _quote(name) for kind, name in names.items()}
    seqs = _sequences()
    out: list[Statement] = [
        Statement("REVOKE CREATE ON SCHEMA public FROM PUBLIC",
                  "nobody but the schema's owners creates tables or functions (PostgreSQL 15 "
                  "does this by default; older servers need it)"),
        # The owner of the tables keeps CREATE, so `packline db upgrade` still works.
        Statement("DO $$ BEGIN EXECUTE format('GRANT USAGE, CREATE ON SCHEMA public TO %I', "
                  "(SELECT tableowner FROM pg_tables WHERE schemaname = 'public' "
                  "AND tablename = 'orders')); END $$",
                  "the user that ran the migrations keeps creating tables"),
    ]
    for kind in KINDS:
        name, role = names[kind], roles[kind]
        out.append(Statement(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{name}') THEN "
            f"CREATE ROLE {role}; END IF; END $$",
            f"the {kind} role, once per server"))
        out.append(Statement(
            f"ALTER ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION "
            "NOBYPASSRLS INHERIT",
            "logs in, with no power beyond its grants; its password is set apart, never here"))
        out.append(Statement(
            f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}",
            "start from nothing: a second run leaves exactly the grants below"))
        out.append(Statement(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {role}"))
        out.append(Statement(f"REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM {role}"))
        out.append(Statement(
            "DO $$ BEGIN EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', "
            f"current_database(), '{name}'); END $$",
            "connects to this database; bulk writes stage rows in temporary tables"))
        out.append(Statement(f"GRANT USAGE ON SCHEMA public TO {role}"))
        # Tables granted alike for one reason share a statement.
        alike: dict[tuple[Privileges, str], list[str]] = {}
        for table, (privileges, why) in sorted(GRANTS[kind].items()):
            alike.setdefault((privileges, why), []).append(table)
        for (privileges, why), tables in alike.items():
            out.append(Statement(
                f"GRANT {', '.join(privileges)} ON TABLE {', '.join(tables)} TO {role}", why))
        out.append(Statement(
            f"GRANT SELECT ON TABLE {VERSION_TABLE} TO {role}",
            "the schema's version: a client refuses a database its build does not match "
            "(app/services/schema.py)"))
        inserted = sorted(t for t, (p, _w) in GRANTS[kind].items()
                          if "INSERT" in p and t in seqs)
        for table in inserted:
            out.append(Statement(f"GRANT USAGE ON SEQUENCE {table}_id_seq TO {role}",
                                 "new rows take their id from it" if table == inserted[0]
                                 else ""))
    for fn, (args, callers, why) in STOCK_FUNCTIONS.items():
        out.append(Statement(_FUNCTION_BODIES[fn].strip(), why))
        out.append(Statement(
            f"ALTER FUNCTION {fn}({args}) OWNER TO {roles['engine']}",
            "runs with the engine's rights, not the owner's"))
        out.append(Statement(f"REVOKE ALL ON FUNCTION {fn}({args}) FROM PUBLIC"))
        out.append(Statement(
            f"GRANT EXECUTE ON FUNCTION {fn}({args}) TO "
            + ", ".join(roles[c] for c in callers)))
    return out


def script(prefix: str = DEFAULT_PREFIX) -> str:
    """The SQL `packline db roles` prints: one transaction, for psql against the central
    database as a superuser. It holds no password."""
    names = role_names(prefix)
    lines = [
        "-- Packline: login roles for the central database (packline db roles).",
        "-- Run as a superuser against the central database, e.g.",
        "--   psql 'postgresql://postgres@HOST/packline' -v ON_ERROR_STOP=1 -f roles.sql",
        f"-- then set each password with psql's \\password {names['station']} (and "
        f"{names['engine']}, {names['office']}).",
        "-- Run it again after `packline db upgrade`: it grants exactly what is listed.",
        "BEGIN;",
    ]
    for st in statements(prefix):
        lines.append("")
        if st.why:
            lines.append(f"-- {st.why}")
        lines.append(f"{st.sql};")
    lines += ["", "COMMIT;", ""]
    return "\n".join(lines)


def apply(connection: Any, prefix: str = DEFAULT_PREFIX,
          passwords: Mapping[str, str] | None = None) -> dict[str, str]:
    """Run the statements on `connection` (a SQLAlchemy Connection to the central PostgreSQL
    database, as a superuser, inside the caller's transaction) and set the passwords given
    (kind -> password). A password is hashed (SCRAM-SHA-256) by libpq on this side first, so
    neither the server's log nor its statistics ever hold it. Returns kind -> role name."""
    names = role_names(prefix)
    unknown = sorted(set(passwords or {}) - set(KINDS))
    if unknown:
        raise ValueError(f"no role kind {', '.join(unknown)}; kinds: {', '.join(KINDS)}")
    # The driver's own connection, in the caller's transaction: statements without
    # parameters are sent as they are (format()'s %I is no placeholder).
    raw = connection.connection.driver_connection
    for st in statements(prefix):
        raw.execute(st.sql)
    for kind, password in (passwords or {}).items():
        if not password:
            raise ValueError(f"the {kind} password is empty")
        verifier = raw.pgconn.encrypt_password(password.encode(), names[kind].encode(),
                                               b"scram-sha-256").decode()
        raw.execute(f"ALTER ROLE {_quote(names[kind])} PASSWORD '{verifier}'")
    return names


def table_privileges(kind: str) -> dict[str, Privileges]:
    """What `kind` is granted on each table, as listed (for the docs and tests)."""
    return {t: p for t, (p, _w) in GRANTS[kind].items()}


def granted_tables(kinds: Sequence[str] = KINDS) -> list[str]:
    return sorted({t for k in kinds for t in GRANTS[k]})


def _cell(privileges: Privileges) -> str:
    """One role's privileges on a table, short: S I U D, a column list after U."""
    out = []
    for p in privileges:
        verb, _sep, cols = p.partition(" (")
        out.append(verb[0] + (f"({cols.rstrip(')')})" if cols else ""))
    return " ".join(out) or "—"


def grants_markdown() -> str:
    """The grants as a Markdown table (docs/database.md shows it; a test keeps it true)."""
    lines = ["| table | station | engine | office |", "|---|---|---|---|"]
    for table in granted_tables():
        cells = [_cell(GRANTS[k].get(table, ((), ""))[0]) for k in KINDS]
        lines.append(f"| `{table}` | " + " | ".join(cells) + " |")
    for fn, (_args, callers, _why) in STOCK_FUNCTIONS.items():
        cells = ["EXECUTE" if k in callers else ("owner" if k == "engine" else "—")
                 for k in KINDS]
        lines.append(f"| `{fn}()` | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
