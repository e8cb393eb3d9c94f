"""What a person reads when something is refused or stopped, in the reader's language.

Each `ServiceError.code` (and each code of `app.domain.notes`, which the engine stores on an
order it sent to the exception queue) has its wording here, with `{name}` placeholders for the
params. The English message a service wrote is for the command line and the log; a screen
shows `describe(exc)` or `describe_detail(stored)`. Entries are grouped by the module that
raises them."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from app.config import SettingsError
from app.domain.notes import Note, decode
from app.resources import resources_dir
from app.services.errors import ServiceError
from app.ui.qt import QT_TRANSLATE_NOOP, QCoreApplication, QTranslator


def catalogue() -> dict[str, str]:
    """Code → its wording in English; `wording(code)` gives it in the reader's language."""
    return {
        # app/services/context.py
        "permission.denied": QT_TRANSLATE_NOOP("messages", "You may not do this ({permission})."),
        # app/services/auth.py, app/station/users.py
        "auth.wrong_password": QT_TRANSLATE_NOOP("messages", "Unknown user or wrong password."),
        "auth.not_a_badge": QT_TRANSLATE_NOOP("messages", "That is not a badge."),
        "auth.unknown_badge": QT_TRANSLATE_NOOP("messages", "This badge is not recognised."),
        "auth.bad_user_code": QT_TRANSLATE_NOOP(
            "messages", "A user code is 2 to 32 letters, digits, '_', '.' or '-', and does not start with USR- or PLT-."),
        "auth.short_password": QT_TRANSLATE_NOOP("messages", "The password needs at least {minimum} characters."),
        "auth.user_exists": QT_TRANSLATE_NOOP("messages", "User {user} exists already."),
        "auth.pin_required": QT_TRANSLATE_NOOP("messages", "Enter your PIN (or password) to go on."),
        "auth.wrong_pin": QT_TRANSLATE_NOOP("messages", "Wrong PIN or password."),
        "auth.wait": QT_TRANSLATE_NOOP("messages", "Too many failed attempts: try again in {seconds} s."),
        "auth.locked": QT_TRANSLATE_NOOP(
            "messages", "Locked after too many failed attempts: try again in {minutes} min, or ask an admin to unlock."),
        "auth.station_locked": QT_TRANSLATE_NOOP(
            "messages", "This station is locked after too many failed logins: try again in {minutes} min, or ask an admin to unlock it."),
        "auth.bad_token": QT_TRANSLATE_NOOP("messages", "The service token is not recognised or was revoked."),
        "auth.not_empty": QT_TRANSLATE_NOOP("messages", "Users exist already: an admin adds further users."),
        "auth.bad_pin": QT_TRANSLATE_NOOP("messages", "A PIN is {minimum} to {maximum} digits."),
        "auth.no_such_user": QT_TRANSLATE_NOOP("messages", "No user {user}."),
        "auth.last_admin": QT_TRANSLATE_NOOP("messages", "The last active admin cannot be deactivated or given another role."),
        "auth.service_account": QT_TRANSLATE_NOOP("messages", "{user} is a service account: it has a token, not a password or badge."),
        "auth.not_service_account": QT_TRANSLATE_NOOP("messages", "{user} is a person, not a service account: only service accounts have tokens."),
        "auth.bad_scope": QT_TRANSLATE_NOOP("messages", "Unlock a user or a station, not “{scope}”."),
        "auth.session_ended": QT_TRANSLATE_NOOP("messages", "{user} is no longer active here: log in again."),
        # app/station/print_queue.py (badge cards)
        "print.needs_pdf": QT_TRANSLATE_NOOP(
            "messages", "Printer {printer} does not take PDF: save the card as a file and print it on an office printer."),
        "print.badge_card_once": QT_TRANSLATE_NOOP(
            "messages", "A badge card prints once: issue a new badge for another card."),
        # app/printing/component.py, through app/station/print_queue.py
        "print.platform_needs_component": QT_TRANSLATE_NOOP(
            "messages", "This {provider} e-waybill prints only through that platform's print component; printer {printer} is not one."),
        "print.wrong_component": QT_TRANSLATE_NOOP(
            "messages", "A {provider} e-waybill does not print through printer {printer}, the {language} print component."),
        "print.self_managed_on_component": QT_TRANSLATE_NOOP(
            "messages", "Printer {printer} is a platform's print component: it prints that platform's e-waybills, not waybills Packline draws."),
        "print.needs_custom_template": QT_TRANSLATE_NOOP(
            "messages", "Printer {printer} needs custom_template = URL (a custom-area template) to print this document."),
        # app/services/orders.py
        "order.none_given": QT_TRANSLATE_NOOP("messages", "No order given."),
        "order.not_found": QT_TRANSLATE_NOOP("messages", "No order {ref}."),
        "order.ambiguous": QT_TRANSLATE_NOOP("messages", "{ref} matches several orders; say which: {options}."),
        "order.intercepted": QT_TRANSLATE_NOOP(
            "messages", "Order {order_no} is intercepted ({intercept}): it cannot go to "
                        "“{target}”."),
        "order.illegal_transition": QT_TRANSLATE_NOOP(
            "messages", "Order {order_no} cannot go from “{status}” to “{target}”."),
        "order.category_needed": QT_TRANSLATE_NOOP("messages", "An exception needs its category."),
        "order.category_unexpected": QT_TRANSLATE_NOOP(
            "messages", "A category is given only when an order goes to the exception queue."),
        "order.no_warehouse": QT_TRANSLATE_NOOP("messages", "No warehouse {warehouse}."),
        "order.no_carrier": QT_TRANSLATE_NOOP("messages", "No carrier {carrier}."),
        "order.bad_sort": QT_TRANSLATE_NOOP("messages", "The list cannot be sorted by {sort}."),
        "dashboard.bad_reserve": QT_TRANSLATE_NOOP(
            "messages", "The reserve is a share between 0 and 100 %."),
        "dashboard.bad_rate": QT_TRANSLATE_NOOP(
            "messages", "A person's rate is orders per hour, above zero."),
        "dashboard.bad_plan": QT_TRANSLATE_NOOP(
            "messages", "Volumes and multipliers cannot be negative."),
        "dashboard.bad_days": QT_TRANSLATE_NOOP("messages", "Forecast 1 to 31 days."),
        # app/services/shops.py, app/services/channel_pull.py
        "shop.bad_code": QT_TRANSLATE_NOOP(
            "messages", "Shop code “{value}”: 1 to 32 letters, digits, - or _."),
        "shop.field_too_long": QT_TRANSLATE_NOOP(
            "messages", "The shop's {field} is too long (at most {limit})."),
        "shop.bad_url": QT_TRANSLATE_NOOP(
            "messages", "“{value}” is not an http(s) gateway address."),
        "shop.url_with_secret": QT_TRANSLATE_NOOP(
            "messages", "The gateway address may not hold a user or password."),
        "shop.bad_provider_pair": QT_TRANSLATE_NOOP(
            "messages", "“{value}”: write CARRIER=PROVIDER."),
        "shop.unknown_carrier": QT_TRANSLATE_NOOP("messages", "No carrier {carrier}."),
        "shop.bad_provider": QT_TRANSLATE_NOOP(
            "messages", "Waybill provider “{value}”: one of {choices}."),
        "shop.bad_confirm_on": QT_TRANSLATE_NOOP(
            "messages", "Confirm shipment on “{value}”: one of {choices}."),
        "shop.unknown_channel": QT_TRANSLATE_NOOP("messages", "No channel {channel}."),
        "shop.needs_channel_and_name": QT_TRANSLATE_NOOP(
            "messages", "The new shop {shop} needs its channel and name."),
        "shop.name_taken": QT_TRANSLATE_NOOP(
            "messages", "That shop already has the code {shop}."),
        "shop.not_found": QT_TRANSLATE_NOOP("messages", "No shop {shop}."),
        "shop.not_configured": QT_TRANSLATE_NOOP(
            "messages", "Shop {shop} has no gateway address or app key."),
        "shop.no_secret": QT_TRANSLATE_NOOP(
            "messages", "Shop {shop} has no app secret: set {env} or the keyring ({service})."),
        "channels.bad_page_size": QT_TRANSLATE_NOOP("messages", "Page size 1 to 100."),
        "channels.no_adapter": QT_TRANSLATE_NOOP(
            "messages", "Packline cannot pull orders of channel {channel} (shop {shop})."),
        "carrier.bad_cutoff": QT_TRANSLATE_NOOP(
            "messages", "“{value}” is not a time of day like 18:00."),
        "order.bad_page": QT_TRANSLATE_NOOP("messages", "That page of the list does not exist."),
        # app/services/exceptions.py
        "exceptions.field_empty": QT_TRANSLATE_NOOP("messages", "{field} is empty."),
        "exceptions.field_too_long": QT_TRANSLATE_NOOP("messages", "{field} is too long (at most {limit})."),
        "exceptions.substitute_incomplete": QT_TRANSLATE_NOOP(
            "messages", "Name the SKU to replace and the SKU that replaces it."),
        "exceptions.no_sku": QT_TRANSLATE_NOOP("messages", "No active SKU {sku}."),
        "exceptions.no_line": QT_TRANSLATE_NOOP("messages", "Order {order_no} has no line with {sku}."),
        "exceptions.not_queued": QT_TRANSLATE_NOOP(
            "messages", "Order {order_no} is not in the exception queue (it is “{status}”)."),
        "exceptions.wrong_action": QT_TRANSLATE_NOOP(
            "messages", "“{action}” is not an action for “{category}”."),
        # app/services/rules.py, app/domain/review.py
        "rules.not_found": QT_TRANSLATE_NOOP("messages", "No review rule {rule}."),
        "rules.bad_position": QT_TRANSLATE_NOOP("messages", "A position is 0 or more."),
        "rules.same_rule": QT_TRANSLATE_NOOP("messages", "Name two different rules."),
        "rules.params_not_mapping": QT_TRANSLATE_NOOP(
            "messages", "The parameters of {rule} must be a JSON object."),
        "rules.unknown_param": QT_TRANSLATE_NOOP("messages", "{rule} has no parameter {names}."),
        "rules.param_not_integer": QT_TRANSLATE_NOOP("messages", "{param} of {rule} must be a whole number."),
        "rules.param_too_low": QT_TRANSLATE_NOOP("messages", "{param} of {rule} must be at least {low}."),
        "rules.param_out_of_range": QT_TRANSLATE_NOOP(
            "messages", "{param} of {rule} must be between {low} and {high}."),
        "rules.param_not_list": QT_TRANSLATE_NOOP("messages", "{param} of {rule} must be a list of phrases."),
        "rules.param_not_text": QT_TRANSLATE_NOOP("messages", "{param} of {rule} must hold only text."),
        # app/services/handover.py
        "handover.no_warehouse_or_carrier": QT_TRANSLATE_NOOP(
            "messages", "No warehouse {warehouse} or no carrier {carrier}."),
        "handover.not_found": QT_TRANSLATE_NOOP("messages", "No handover {handover_no}."),
        "handover.closed": QT_TRANSLATE_NOOP("messages", "Handover {handover_no} is closed."),
        "handover.no_parcel": QT_TRANSLATE_NOOP("messages", "No parcel {tracking_no}."),
        "handover.parcel_taken": QT_TRANSLATE_NOOP("messages", "Parcel {tracking_no} is in a handover already."),
        "handover.other_carrier": QT_TRANSLATE_NOOP("messages", "Parcel {tracking_no} goes with another carrier."),
        "handover.not_packed": QT_TRANSLATE_NOOP(
            "messages", "Parcel {tracking_no} is not packed (its order is “{status}”)."),
        "handover.intercepted": QT_TRANSLATE_NOOP(
            "messages", "Order {order_no} is intercepted ({intercept}): keep it off the truck."),
        "handover.intercepted_at_close": QT_TRANSLATE_NOOP(
            "messages", "Handover {handover_no} is not closed: parcels {parcels} (orders "
                        "{orders}) were intercepted after they were scanned. Take them off the "
                        "truck and close again."),
        "handover.refused_at_close": QT_TRANSLATE_NOOP(
            "messages", "Handover {handover_no} is not closed: parcels {parcels} (orders "
                        "{orders}) were intercepted after they were scanned, and orders "
                        "{unpaid_orders} ({campaign}) have their balance not paid. Take them all "
                        "off the truck and close again."),
        "handover.empty": QT_TRANSLATE_NOOP("messages", "No parcel was scanned: nothing to hand over."),
        "handover.stopped_at_dock": QT_TRANSLATE_NOOP(
            "messages", "Intercepted after packing ({intercept}): stopped at the dock."),
        # app/services/waves.py, picking.py, put_wall.py, put_back.py, app/domain/picking_steps.py
        "wave.no_warehouse": QT_TRANSLATE_NOOP("messages", "No warehouse {warehouse}."),
        "wave.unknown_strategy": QT_TRANSLATE_NOOP("messages", "Unknown wave strategy {strategy}."),
        "wave.no_carrier": QT_TRANSLATE_NOOP("messages", "No carrier {carrier}."),
        "wave.bad_limits": QT_TRANSLATE_NOOP("messages", "These wave limits cannot work; check the numbers."),
        "wave.not_found": QT_TRANSLATE_NOOP("messages", "No wave {wave_no}."),
        "wave.cancel_started": QT_TRANSLATE_NOOP(
            "messages", "Wave {wave_no} is “{wave_status}”: only a wave nobody has started "
                        "picking can be cancelled."),
        "wave.claimed": QT_TRANSLATE_NOOP("messages", "Wave {wave_no} is taken by {user}."),
        "wave.not_released": QT_TRANSLATE_NOOP("messages", "Wave {wave_no} is “{wave_status}”."),
        "wave.not_picking": QT_TRANSLATE_NOOP("messages", "Wave {wave_no} is “{wave_status}”."),
        "wave.someone_else": QT_TRANSLATE_NOOP("messages", "Someone else is picking wave {wave_no}."),
        "wave.no_task": QT_TRANSLATE_NOOP("messages", "Wave {wave_no} has no task {seq}."),
        "pick.task_done": QT_TRANSLATE_NOOP("messages", "Task {seq} is finished already."),
        "pick.not_a_bin": QT_TRANSLATE_NOOP("messages", "Scan the bin {bin} first."),
        "pick.scan_bin_first": QT_TRANSLATE_NOOP("messages", "Scan the bin {bin} first, then the item."),
        "pick.wrong_bin": QT_TRANSLATE_NOOP("messages", "Wrong bin {scanned}: go to {bin}."),
        "pick.qty_zero": QT_TRANSLATE_NOOP("messages", "The quantity is at least 1."),
        "pick.wrong_item": QT_TRANSLATE_NOOP("messages", "Wrong item: this task is {sku}."),
        "pick.too_many": QT_TRANSLATE_NOOP("messages", "Too many: {left} left to pick."),
        "pick.nothing_left": QT_TRANSLATE_NOOP("messages", "Nothing left to pick here for this wave's orders."),
        "pick.short_qty": QT_TRANSLATE_NOOP(
            "messages", "A short pick finds fewer than the {left} units still to pick."),
        "pick.short": QT_TRANSLATE_NOOP(
            "messages", "Short pick at {bin}: {sku} is {missing} short."),
        "putback.not_found": QT_TRANSLATE_NOOP("messages", "No put-back task {task}."),
        "putback.done": QT_TRANSLATE_NOOP("messages", "This put-back is done already."),
        "putback.wrong_bin": QT_TRANSLATE_NOOP("messages", "Put it back in {bin}."),
        "putwall.not_waiting": QT_TRANSLATE_NOOP("messages", "Wave {wave_no} is not waiting at the put wall."),
        "putwall.not_in_wave": QT_TRANSLATE_NOOP("messages", "Not an item of this wave."),
        "putwall.no_slot": QT_TRANSLATE_NOOP(
            "messages", "No slot needs this item: put it aside for the shift lead."),
        # app/station/print_queue.py
        "print.unknown_document": QT_TRANSLATE_NOOP("messages", "Unknown document type {document}."),
        "print.reprint_reason": QT_TRANSLATE_NOOP("messages", "A reprint needs a reason (e.g. label torn)."),
        "print.no_job": QT_TRANSLATE_NOOP("messages", "No print job {job}."),
        "print.cancel_not_waiting": QT_TRANSLATE_NOOP(
            "messages", "Only a waiting job can be cancelled; this one is “{job_status}”."),
        "print.no_document": QT_TRANSLATE_NOOP("messages", "This job kept no document to show."),
        # app/services/waybills.py
        "waybill.pool_empty": QT_TRANSLATE_NOOP(
            "messages", "The carrier's tracking numbers are used up; load new numbers."),
        "waybill.bad_box": QT_TRANSLATE_NOOP("messages", "Box {box} of {boxes}: boxes count from 1."),
        "waybill.no_such_box": QT_TRANSLATE_NOOP(
            "messages", "Order {order_no} has {boxes} box(es), not box {box}."),
        "waybill.reprint_reason": QT_TRANSLATE_NOOP(
            "messages", "Box {box} of order {order_no} has its label: printing it again is a "
                        "reprint and needs a reason (e.g. label torn)."),
        "waybill.not_routed": QT_TRANSLATE_NOOP(
            "messages", "Order {order_no} is “{status}”: it has no carrier and warehouse yet, "
                        "so no waybill."),
        "waybill.intercepted": QT_TRANSLATE_NOOP(
            "messages", "Order {order_no} is intercepted ({intercept}): no label."),
        # app/services/waybill_issue.py, app/domain/waybill_providers.py, app/station/packing.py
        "waybill.unknown_provider": QT_TRANSLATE_NOOP(
            "messages", "The shop names the waybill provider “{provider}” for {carrier}, which "
                        "Packline does not know (pool, cainiao, pdd, douyin)."),
        "waybill.encrypted_needs_platform": QT_TRANSLATE_NOOP(
            "messages", "The receiver is encrypted by the platform: only the platform's "
                        "e-waybill service can print this order, not the self-managed pool. "
                        "Set the shop's waybill provider for {carrier}."),
        "waybill.platform_unreachable": QT_TRANSLATE_NOOP(
            "messages", "The {provider} e-waybill service cannot be reached for order "
                        "{order_no}: the order waits and Packline asks again by itself."),
        "waybill.platform_refused": QT_TRANSLATE_NOOP(
            "messages", "{provider} refused the waybill of order {order_no}: {reason}"),
        "waybill.shop_not_set_up": QT_TRANSLATE_NOOP(
            "messages", "The shop is not connected to its platform: it cannot use {provider} "
                        "waybills."),
        "waybill.busy": QT_TRANSLATE_NOOP(
            "messages", "Box {box} of order {order_no} is getting its waybill elsewhere: try again."),
        "waybill.cancelled": QT_TRANSLATE_NOOP(
            "messages", "The waybill {tracking_no} of box {box} was cancelled at its provider."),
        "waybill.platform_order": QT_TRANSLATE_NOOP(
            "messages", "Order {order_no} gets its waybill from {provider}: print it at a "
                        "packing station with that platform's print component."),
        "waybill.stale_platform_waybill": QT_TRANSLATE_NOOP(
            "messages", "Box {box} of order {order_no} holds the {provider} waybill "
                        "{tracking_no} issued before the order was routed again: it is given "
                        "back, and the box gets its new waybill at a packing station."),
        "waybill.needs_network": QT_TRANSLATE_NOOP(
            "messages", "Order {order_no} needs the network for its waybill (box {box}): it "
                        "waits, nothing is printed. Confirm again when the network is back."),
        "waybill.fetching": QT_TRANSLATE_NOOP(
            "messages", "The waybill of order {order_no} (box {box}) is being fetched from the "
                        "platform: it prints in a moment, nothing to do."),
        "waybill.refused_for_lead": QT_TRANSLATE_NOOP(
            "messages", "The platform refused the waybill of order {order_no} (box {box}): set "
                        "the order aside; the shift lead has it in the exception queue."),
        "shop.provider_not_served": QT_TRANSLATE_NOOP(
            "messages", "Packline cannot ask {provider} for waybills (it asks {choices}): "
                        "choose one of those for {carrier}."),
        "waybill.no_printer": QT_TRANSLATE_NOOP(
            "messages", "No printer for {provider} waybills at this station: name one in "
                        "[printers] waybill_{provider}."),
        "printer.no_platform_printer": QT_TRANSLATE_NOOP(
            "messages", "No printer for {provider} waybills at this station: name one in "
                        "[printers] {role}."),
        # app/services/shipments.py
        "shipments.bad_status": QT_TRANSLATE_NOOP(
            "messages", "Unknown status {status}; one of: {choices}."),
        "shipments.not_found": QT_TRANSLATE_NOOP("messages", "No shipment confirmation {id}."),
        "shipments.not_retryable": QT_TRANSLATE_NOOP(
            "messages", "Shipment confirmation {id} is “{status}”: nothing to retry."),
        "shipments.refused": QT_TRANSLATE_NOOP(
            "messages", "The platform refused the shipment confirmation of {channel_order_no} "
                        "({tracking_no}): {error}"),
        "shipments.sent_given_back": QT_TRANSLATE_NOOP(
            "messages", "The platform took the shipment confirmation of {channel_order_no} "
                        "({tracking_no}) after its waybill was given back: it shows the order "
                        "shipped under a waybill being cancelled. Settle it with the platform."),
        # app/services/tracking.py, app/station/tracking.py
        "tracking.bad_block": QT_TRANSLATE_NOOP("messages", "A block is 1 to 10,000 numbers."),
        "tracking.no_carrier": QT_TRANSLATE_NOOP("messages", "No carrier {carrier}."),
        "tracking.pool_empty": QT_TRANSLATE_NOOP("messages", "The {carrier} tracking numbers are used up."),
        "tracking.station_empty": QT_TRANSLATE_NOOP(
            "messages", "No {carrier} tracking numbers left at this station; they are refilled "
                        "when the central database is reachable."),
        # app/services/channel_events.py
        "channel.no_payment": QT_TRANSLATE_NOOP("messages", "Order {order_no} has no {payment} payment."),
        "channel.no_receiver": QT_TRANSLATE_NOOP("messages", "An address change needs the new receiver."),
        "channel.field_missing": QT_TRANSLATE_NOOP("messages", "The new receiver has no {field}."),
        "channel.field_too_long": QT_TRANSLATE_NOOP(
            "messages", "{field} of the new receiver is too long (at most {limit})."),
        "channel.unknown_event": QT_TRANSLATE_NOOP("messages", "Unknown event type {event}."),
        "channel.no_key": QT_TRANSLATE_NOOP("messages", "An event needs its id or time as its key."),
        # app/services/intake.py
        "intake.unreadable": QT_TRANSLATE_NOOP("messages", "Cannot read {path}."),
        "intake.not_text": QT_TRANSLATE_NOOP(
            "messages", "{path} is neither UTF-8 nor GB18030 text (line {line}: byte {byte})."),
        # app/domain/intake.py: rows of an order file the door refuses
        "intake.field_missing": QT_TRANSLATE_NOOP(
            "messages", "{field} is missing."),
        "intake.field_not_text": QT_TRANSLATE_NOOP(
            "messages", "{field} must be text, not {kind}."),
        "intake.field_empty": QT_TRANSLATE_NOOP(
            "messages", "{field} is empty."),
        "intake.field_too_long": QT_TRANSLATE_NOOP(
            "messages", "{field} is longer than {limit} characters."),
        "intake.text_control": QT_TRANSLATE_NOOP(
            "messages", "{field} holds {char} at character {position}: a control character."),
        "intake.text_surrogate": QT_TRANSLATE_NOOP(
            "messages", "{field} holds {char} at character {position}: a broken UTF-16 surrogate."),
        "intake.text_private": QT_TRANSLATE_NOOP(
            "messages", "{field} holds {char} at character {position}: a private-use character."),
        "intake.text_bidi": QT_TRANSLATE_NOOP(
            "messages", "{field} holds {char} at character {position}: a direction override that reorders the label."),
        "intake.text_unassigned": QT_TRANSLATE_NOOP(
            "messages", "{field} holds {char} at character {position}: not a character in Unicode 14."),
        "intake.text_unprintable": QT_TRANSLATE_NOOP(
            "messages", "{field} holds {char} at character {position}: not in any label font Packline carries."),
        "intake.bad_qty": QT_TRANSLATE_NOOP(
            "messages", "{field} must be a positive integer, not {value}."),
        "intake.qty_out_of_range": QT_TRANSLATE_NOOP(
            "messages", "{field} {value} is out of range."),
        "intake.bad_amount": QT_TRANSLATE_NOOP(
            "messages", "{field} {value} is not an amount in yuan (not negative, at most two decimals)."),
        "intake.bad_time": QT_TRANSLATE_NOOP(
            "messages", "{field} {value} is not an ISO 8601 time."),
        "intake.time_out_of_range": QT_TRANSLATE_NOOP(
            "messages", "{field} {value} is a time out of range."),
        "intake.bad_vip": QT_TRANSLATE_NOOP(
            "messages", "vip_level must be an integer 0-10, not {value}."),
        "intake.bad_presale": QT_TRANSLATE_NOOP(
            "messages", "presale must be an object or null."),
        "intake.no_lines": QT_TRANSLATE_NOOP(
            "messages", "The order has no lines."),
        "intake.not_an_object": QT_TRANSLATE_NOOP(
            "messages", "Not an order: expected a JSON object."),
        "intake.line_not_an_object": QT_TRANSLATE_NOOP(
            "messages", "{field} must be an object."),
        "intake.line_too_long": QT_TRANSLATE_NOOP(
            "messages", "The line is longer than {limit} bytes: not read."),
        "intake.not_encoded": QT_TRANSLATE_NOOP(
            "messages", "Not {encoding} text: byte {byte} at byte {position} of the line."),
        "intake.repeated_broken": QT_TRANSLATE_NOOP(
            "messages", "Order {order} appears {count} times (lines {lines}), one of them broken: it is refused everywhere; keep one."),
        "intake.repeated_different": QT_TRANSLATE_NOOP(
            "messages", "Order {order} appears {count} times (lines {lines}) with different contents: it is refused everywhere; keep one."),
        "intake.not_json": QT_TRANSLATE_NOOP(
            "messages", "Not valid JSON ({detail} at column {column})."),
        "intake.too_deep": QT_TRANSLATE_NOOP(
            "messages", "Not an order: JSON nested too deeply."),
        "intake.field_oversize": QT_TRANSLATE_NOOP(
            "messages", "A field is longer than {limit} characters (oversize): not read."),
        "intake.line_break_in_field": QT_TRANSLATE_NOOP(
            "messages", "A field holds a line break (this record runs on to line {last}): put the field on one line."),
        "intake.continues_record": QT_TRANSLATE_NOOP(
            "messages", "Continues the record of line {first} (a field broken over lines)."),
        "intake.open_quote": QT_TRANSLATE_NOOP(
            "messages", "A quote opened at column {column} is not closed on this line; reading goes on at the next line."),
        "intake.not_csv": QT_TRANSLATE_NOOP(
            "messages", "Cannot be read as CSV ({detail})."),
        "intake.header_unreadable": QT_TRANSLATE_NOOP(
            "messages", "The CSV header cannot be read."),
        "intake.header_lacks": QT_TRANSLATE_NOOP(
            "messages", "The CSV header lacks column(s): {columns}."),
        "intake.too_many_fields": QT_TRANSLATE_NOOP(
            "messages", "More fields than the header has."),
        "intake.receiver_differs": QT_TRANSLATE_NOOP(
            "messages", "The receiver differs from line {first} of the same order (rows of one order share the receiver)."),
        "intake.skipped": QT_TRANSLATE_NOOP(
            "messages", "Skipped: order {order} has a broken row."),
        "intake.unknown_channel": QT_TRANSLATE_NOOP(
            "messages", "Unknown channel {channel}; known: {known}."),
        "intake.unknown_campaign": QT_TRANSLATE_NOOP(
            "messages", "Unknown presale campaign {campaign}."),
        "intake.refused_by_database": QT_TRANSLATE_NOOP(
            "messages", "Refused by the database: {detail}."),
        # app/domain/order_sheets.py: rows of a platform's .xlsx export the door refuses
        "intake.not_xlsx": QT_TRANSLATE_NOOP(
            "messages", "{path} is not an .xlsx workbook."),
        "intake.sheet_unknown": QT_TRANSLATE_NOOP(
            "messages", "The header row names neither a Taobao/Tmall order export nor a Pinduoduo one."),
        "intake.sheet_header_lacks": QT_TRANSLATE_NOOP(
            "messages", "The header row lacks column(s): {columns}."),
        "intake.number_lost_digits": QT_TRANSLATE_NOOP(
            "messages", "{field} {value} was stored as a number and has lost its last digits: export the column as text."),
        "intake.sheet_status": QT_TRANSLATE_NOOP(
            "messages", "The order is “{status}” on the platform: only orders waiting to ship are imported."),
        "intake.masked_receiver": QT_TRANSLATE_NOOP(
            "messages", "The export hides the receiver ({field} is masked): pull the shop's orders through its platform instead."),
        "intake.address_unsplit": QT_TRANSLATE_NOOP(
            "messages", "The address {address} does not start with a province, city and district Packline knows."),
        "intake.sheet_several_items": QT_TRANSLATE_NOOP(
            "messages", "The row lists {count} kinds of goods in one order: export the item report, one row per item."),
        "intake.opaque_not_ascii": QT_TRANSLATE_NOOP(
            "messages", "{field} holds a character that is not printable ASCII at character {position} (a platform ciphertext or id is letters, digits and signs)."),
        "intake.bad_cipher": QT_TRANSLATE_NOOP(
            "messages", "{field} must be an object of ciphertexts (name, phone, address)."),
        # app/cli/main.py (`packline orders import`: its summary and its refusal of a file)
        "intake.summary": QT_TRANSLATE_NOOP(
            "messages", "{created} created, {duplicates} already there, {broken} broken row(s)"),
        "intake.nothing_imported": QT_TRANSLATE_NOOP(
            "messages", "nothing imported: no order in {file} could be read"),
        # app/services/stations.py, simulate.py, demo.py
        "station.bad_report": QT_TRANSLATE_NOOP(
            "messages", "A station report needs its code and counts that are not negative."),
        "simulate.bad_rate": QT_TRANSLATE_NOOP("messages", "Rate and duration must be above 0."),
        "simulate.bad_share": QT_TRANSLATE_NOOP("messages", "The share of encrypted orders is from 0 to 1."),
        "simulate.no_skus": QT_TRANSLATE_NOOP("messages", "No SKUs yet: seed the demo data first."),
        "demo.bad_count": QT_TRANSLATE_NOOP("messages", "The number of orders is zero or more."),
        # app/station/packing.py
        "packing.not_held": QT_TRANSLATE_NOOP(
            "messages", "The central database is not configured and this order is not held "
                        "at the station."),
        "packing.no_central": QT_TRANSLATE_NOOP("messages", "The central database is not configured."),
        "packing.override_reason": QT_TRANSLATE_NOOP("messages", "An override needs a reason."),
        # app/domain/validation.py, regions.py (stored on orders by the engine)
        "receiver.name_empty": QT_TRANSLATE_NOOP("messages", "The receiver's name is empty."),
        "receiver.name_too_long": QT_TRANSLATE_NOOP(
            "messages", "The receiver's name is {length} characters, at most {limit}."),
        "receiver.name_no_letters": QT_TRANSLATE_NOOP("messages", "The receiver's name {name} has no letters."),
        "receiver.name_masked": QT_TRANSLATE_NOOP(
            "messages", "The receiver's name {name} is masked, but the order carries no platform ciphertext or OAID to print the real one from."),
        "receiver.phone_empty": QT_TRANSLATE_NOOP("messages", "The receiver's phone is empty."),
        "receiver.phone_mask_invalid": QT_TRANSLATE_NOOP(
            "messages", "The receiver's phone {phone} is not a platform's mask of a phone number (digits and *, 7 to 15 of them, e.g. 138****8000)."),
        "receiver.phone_service": QT_TRANSLATE_NOOP(
            "messages", "The receiver's phone {phone} is a 400/800 service number."),
        "receiver.phone_invalid": QT_TRANSLATE_NOOP(
            "messages", "The receiver's phone {phone} is not a mobile or landline number of "
                        "the mainland, Hong Kong, Macau or Taiwan."),
        "address.line_empty": QT_TRANSLATE_NOOP(
            "messages", "The street address is empty (at least {minimum} characters)."),
        "address.line_too_short": QT_TRANSLATE_NOOP(
            "messages", "The street address {line} is too short (at least {minimum} "
                        "characters)."),
        "address.line_masked": QT_TRANSLATE_NOOP(
            "messages", "The street address {line} is masked, but the order carries no platform ciphertext or OAID to print the real one from."),
        "address.ambiguous": QT_TRANSLATE_NOOP("messages", "{given} could be any of: {names}."),
        "address.invalid": QT_TRANSLATE_NOOP("messages", "{given}: the region is not known."),
        "address.province_empty": QT_TRANSLATE_NOOP("messages", "{given}: the province is empty."),
        "address.unknown_province": QT_TRANSLATE_NOOP("messages", "{given}: unknown province {province}."),
        "address.city_not_in": QT_TRANSLATE_NOOP("messages", "{given}: {city} is not in {scope}."),
        "address.district_empty": QT_TRANSLATE_NOOP(
            "messages", "{given}: the district is empty; {scope} has {count} districts."),
        "address.city_district_empty": QT_TRANSLATE_NOOP(
            "messages", "{given}: the city and district are empty; {scope} has {count} "
                        "districts."),
        "address.district_not_in": QT_TRANSLATE_NOOP("messages", "{given}: {district} is not in {scope}."),
        "address.no_longer_resolves": QT_TRANSLATE_NOOP(
            "messages", "The changed address no longer matches a region."),
        "order.sku_unknown": QT_TRANSLATE_NOOP("messages", "Unknown SKU: {skus}."),
        "order.no_lines": QT_TRANSLATE_NOOP("messages", "The order has no lines."),
        "order.qty_not_positive": QT_TRANSLATE_NOOP("messages", "Quantities must be above 0: {lines}."),
        "amount.discount_negative": QT_TRANSLATE_NOOP("messages", "The discount {discount} is negative."),
        "amount.amount_negative": QT_TRANSLATE_NOOP("messages", "The amount {amount} is negative."),
        "amount.lines_differ": QT_TRANSLATE_NOOP(
            "messages", "Goods {goods}, but the lines add up to {lines}."),
        "amount.paid_differs": QT_TRANSLATE_NOOP(
            "messages", "Paid {amount}, but goods {goods} − discount {discount} = {expected}."),
        # app/domain/review.py
        "review.short_stock": QT_TRANSLATE_NOOP(
            "messages", "Not enough stock: {sku} needs {qty}, {available} available."),
        "review.short_pool": QT_TRANSLATE_NOOP(
            "messages", "Not enough in the presale pool: {sku} needs {qty}, {available} "
                        "available."),
        "review.region_unresolved": QT_TRANSLATE_NOOP(
            "messages", "The region {region} is not known ({category})."),
        "review.unpaid": QT_TRANSLATE_NOOP("messages", "The order is not paid."),
        "review.balance_unpaid": QT_TRANSLATE_NOOP("messages", "The presale balance is not paid."),
        "review.blacklist_buyer": QT_TRANSLATE_NOOP("messages", "Buyer {buyer} is on the buyer blacklist."),
        "review.blacklist_phone": QT_TRANSLATE_NOOP("messages", "Phone {phone} is on the phone blacklist."),
        "review.blacklist_address": QT_TRANSLATE_NOOP(
            "messages", "The address contains blacklisted {entries}."),
        "review.remark": QT_TRANSLATE_NOOP("messages", "The buyer's remark needs a person: {remark}"),
        "review.high_value": QT_TRANSLATE_NOOP(
            "messages", "Amount {amount} is at or above {threshold}: a person reviews it."),
        # app/services/station_events.py (a station's packing the centre had overtaken)
        "sync.packed_twice": QT_TRANSLATE_NOOP(
            "messages", "Order {order_no} was packed already (“{status}”); station {station} "
                        "packed it again."),
        "sync.intercepted_first": QT_TRANSLATE_NOOP(
            "messages", "Order {order_no} was intercepted ({intercept}) before the packing of "
                        "station {station} reached the central database."),
        "sync.tracking_taken": QT_TRANSLATE_NOOP(
            "messages", "The tracking number of order {order_no} is used by another parcel."),
        "sync.packed_unpicked": QT_TRANSLATE_NOOP(
            "messages", "Order {order_no} was “{status}” (wave {wave}), not picked, when station "
                        "{station} packed it: parcel {parcels} has no central record; find the "
                        "parcel."),
        "sync.overtaken": QT_TRANSLATE_NOOP(
            "messages", "Another station wrote this order's box or tracking number at the same "
                        "moment; check the parcel."),
        # app/services/engine.py
        "handover.balance_unpaid": QT_TRANSLATE_NOOP(
            "messages", "Order {order_no} ({campaign}): its balance is not paid. Keep the parcel on the staging shelf."),
        "presale.unknown_campaign": QT_TRANSLATE_NOOP(
            "messages", "No presale campaign {campaign}."),
        "presale.bad_mode": QT_TRANSLATE_NOOP(
            "messages", "Unknown stock mode {mode}; choose one of: {choices}."),
        "presale.mode_has_orders": QT_TRANSLATE_NOOP(
            "messages", "{campaign} already has {orders} orders: its stock mode can no longer change."),
        "presale.bad_max_orders": QT_TRANSLATE_NOOP(
            "messages", "Orders per wave must be at least 1 (got {value})."),
        "presale.not_real_stock": QT_TRANSLATE_NOOP(
            "messages", "{campaign} reserves no real stock: nothing to pack before the balance."),
        "presale.unpack_shipped": QT_TRANSLATE_NOOP(
            "messages", "Order {order_no} is handed over ({status}): it cannot be unpacked."),
        "presale.unpack_not_presale": QT_TRANSLATE_NOOP(
            "messages", "Order {order_no} is not a presale order."),
        "presale.unpack_paid": QT_TRANSLATE_NOOP(
            "messages", "Order {order_no}: its balance is paid and nothing stops it. Ship it."),
        "presale.unpack_nothing": QT_TRANSLATE_NOOP(
            "messages", "Order {order_no} ({status}) has nothing picked or packed to unpack."),
        "presale.balance_window_open": QT_TRANSLATE_NOOP(
            "messages", "{campaign}: the balance may still be paid, or its payment reported late, until {ends_at}."),
        "presale.real_stock_short": QT_TRANSLATE_NOOP(
            "messages", "{campaign}: not enough real stock for {asked} more units."),
        "simulate.ledger_broken": QT_TRANSLATE_NOOP(
            "messages", "After {step}: {figure} is {found}, expected {expected}."),
        "simulate.bad_orders": QT_TRANSLATE_NOOP(
            "messages", "The presale scenario needs at least 10 orders, with some left to pay (got {value})."),
        "presale.no_campaign": QT_TRANSLATE_NOOP("messages", "Presale order without a known campaign."),
        "presale.over_capacity": QT_TRANSLATE_NOOP(
            "messages", "{campaign}: {promised} of {capacity} units promised, {asked} more "
                        "asked."),
        # app/services/presale_report.py
        "presale_report.unknown_campaign": QT_TRANSLATE_NOOP(
            "messages", "No presale campaign {campaign}."),
        "presale_report.bad_period": QT_TRANSLATE_NOOP(
            "messages", "The report would start on {since}, after it ends on {until}: choose "
                        "the days again."),
        "route.no_warehouse": QT_TRANSLATE_NOOP("messages", "No warehouse can ship: {skus}."),
        "route.capacity_full": QT_TRANSLATE_NOOP(
            "messages", "No warehouse can ship: {skus} (capacity full today)."),
        "route.no_carrier": QT_TRANSLATE_NOOP("messages", "No carrier takes {weight} g to {province}."),
        "route.no_carrier_bulky": QT_TRANSLATE_NOOP(
            "messages", "No carrier takes {weight} g of bulky goods to {province}."),
        # Waves and picking (spelled out so lupdate finds them)
        "wave.none_chosen": QT_TRANSLATE_NOOP("messages", "Tick the waves to release first."),
        "wave.preview_changed": QT_TRANSLATE_NOOP("messages", "The preview has changed: preview again."),
        "wave.started": QT_TRANSLATE_NOOP("messages", "{wave}: picking has started, it can no longer be cancelled."),
        "wave.not_being_picked": QT_TRANSLATE_NOOP("messages", "{wave} is not being picked now."),
        "wave.not_yours": QT_TRANSLATE_NOOP("messages", "{wave} is being picked by another picker."),
        "wave.abandon_picked": QT_TRANSLATE_NOOP("messages", "{wave}: {units} units are picked already. Hand the wave back "
            "instead, or call the shift lead."),
        # ---- packing station
        "packing.not_picked": QT_TRANSLATE_NOOP("messages",
            "Order {order} is still in wave {wave}, not picked yet: pick it first."),
        "packing.not_picked_no_wave": QT_TRANSLATE_NOOP("messages",
            "Order {order} is not picked yet ({status}): pick it first."),
        "packing.not_packable": QT_TRANSLATE_NOOP("messages",
            "Order {order} is {status}: it cannot be packed. Give it to the shift lead."),
        "packing.not_held_offline": QT_TRANSLATE_NOOP("messages",
            "Order {order} is not available offline: this station does not hold it and the "
            "central database cannot be reached. Pack another order or wait for the network."),
        "packing.label_text": QT_TRANSLATE_NOOP("messages",
            "The waybill of order {order} cannot be printed: its receiver's text does not fit "
            "the label. Set the order aside (F3) and give it to the shift lead."),
        "packing.unknown_code": QT_TRANSLATE_NOOP("messages", "No order or waybill {code_scanned}: check the label and scan again."),
        "packing.no_wave": QT_TRANSLATE_NOOP("messages", "There is no wave {wave}."),
        "packing.wave_not_picked": QT_TRANSLATE_NOOP("messages",
            "Wave {wave} is not picked yet: pick it first."),
        "packing.wave_cancelled": QT_TRANSLATE_NOOP("messages", "Wave {wave} was cancelled: its orders went back to the queue."),
        "packing.wave_offline": QT_TRANSLATE_NOOP("messages",
            "Wave {wave} is not available offline: the central database cannot be reached."),
        # ---- end packing station
        # app/config.py, app/devices.py, app/printers.py: the station settings file
        "settings.invalid": QT_TRANSLATE_NOOP("messages", "This value cannot be used."),
        "settings.missing": QT_TRANSLATE_NOOP("messages", "There is no such file."),
        "settings.unreadable": QT_TRANSLATE_NOOP("messages", "The file cannot be read ({why})."),
        "settings.bad_encoding": QT_TRANSLATE_NOOP(
            "messages", "The file is neither UTF-8 nor GB18030 (byte {byte} fits neither): save it as UTF-8."),
        "settings.no_section": QT_TRANSLATE_NOOP("messages", "A key comes before the first [section] header."),
        "settings.duplicate_key": QT_TRANSLATE_NOOP("messages", "This key is given twice."),
        "settings.duplicate_section": QT_TRANSLATE_NOOP("messages", "This section is given twice."),
        "settings.bad_line": QT_TRANSLATE_NOOP(
            "messages", "This line is neither a [section], a key = value nor a comment."),
        "settings.unknown_key": QT_TRANSLATE_NOOP("messages", "Unknown key (known here: {known})."),
        "settings.unknown_section": QT_TRANSLATE_NOOP("messages", "Unknown section: Packline does not read it."),
        "settings.bad_choice": QT_TRANSLATE_NOOP("messages", "“{value}” is not one of {allowed}."),
        "settings.not_whole": QT_TRANSLATE_NOOP(
            "messages", "“{value}” is not a whole number ({minimum} to {maximum})."),
        "settings.not_number": QT_TRANSLATE_NOOP(
            "messages", "“{value}” is not a number ({minimum} to {maximum})."),
        "settings.out_of_range": QT_TRANSLATE_NOOP(
            "messages", "{value} is outside {minimum} to {maximum}."),
        "settings.not_boolean": QT_TRANSLATE_NOOP(
            "messages", "“{value}” is not true or false (also yes/no, on/off, 1/0)."),
        "settings.bad_character": QT_TRANSLATE_NOOP(
            "messages", "Holds a character that cannot be used ({char}) at character {position}."),
        "settings.too_long": QT_TRANSLATE_NOOP("messages", "Longer than {limit} characters."),
        "settings.bad_code": QT_TRANSLATE_NOOP(
            "messages", "“{value}” is not a code: 1 to 32 letters or digits, '.', '_' or '-', starting with a letter or digit."),
        "settings.bad_shifts": QT_TRANSLATE_NOOP(
            "messages", "“{value}” is not a list of shifts like day=08:00-20:00, night=20:00-08:00."),
        "settings.bad_replica_url": QT_TRANSLATE_NOOP(
            "messages", "Not the URL of a PostgreSQL server (postgresql+psycopg://USER@HOST:PORT/DB): a read replica is a PostgreSQL standby."),
        "settings.multi_line": QT_TRANSLATE_NOOP("messages", "A value is one line."),
        "settings.no_path": QT_TRANSLATE_NOOP("messages", "There is no settings file to save to."),
        "settings.unsavable": QT_TRANSLATE_NOOP(
            "messages", "This value cannot be written to the settings file (a ; or # after a space starts a comment)."),
        "settings.log_bytes": QT_TRANSLATE_NOOP(
            "messages", "{value} is outside 100 to 1000000000 (0: the log never rotates)."),
        "settings.newer_version": QT_TRANSLATE_NOOP(
            "messages", "This file was written for settings version {value}; this Packline reads up to version {current}. Run the Packline it was written for, or use a file written for this one."),
        "settings.bad_flag": QT_TRANSLATE_NOOP(
            "messages", "“{value}” is not SECTION.KEY=VALUE (e.g. --set ui.language=en)."),
        "settings.machine_only": QT_TRANSLATE_NOOP(
            "messages", "This is the station's, not a person's: set it in the machine-wide settings file {machine}. A person's own settings file sets only {personal}."),
        "settings.upgrade_failed": QT_TRANSLATE_NOOP(
            "messages", "The file could not be upgraded from settings version {version} to {current} ({why}); it was left as it was."),
        "device.bad_name": QT_TRANSLATE_NOOP(
            "messages", "A device name is not blank and holds no [ ] or : and no control character."),
        "device.wedge_url": QT_TRANSLATE_NOOP("messages", "A wedge scanner is a keyboard and has no URL."),
        "device.url_required": QT_TRANSLATE_NOOP("messages", "A URL is required for a {kind}."),
        "device.protocol_for_scales": QT_TRANSLATE_NOOP("messages", "protocol= is for scales."),
        "device.timeout_short": QT_TRANSLATE_NOOP("messages", "At least max_interkey_ms ({minimum})."),
        "device.exists": QT_TRANSLATE_NOOP("messages", "A device named {name} exists already."),
        "device.not_found": QT_TRANSLATE_NOOP("messages", "There is no device named {name}."),
        "device.no_driver": QT_TRANSLATE_NOOP("messages", "A {kind} has no driver of its own."),
        "scan.bad_pattern": QT_TRANSLATE_NOOP(
            "messages", "“{pattern}” is not a valid barcode pattern (regular expression)."),
        "scan.bad_patterns": QT_TRANSLATE_NOOP("messages", "The barcode patterns cannot be used."),
        "printer.bad_name": QT_TRANSLATE_NOOP(
            "messages", "A printer name is not blank and holds no [ ] or : and no control character."),
        "printer.url_required": QT_TRANSLATE_NOOP("messages", "A URL is required, e.g. tcp://192.168.1.50:9100."),
        "printer.escpos_language": QT_TRANSLATE_NOOP("messages", "An escpos+ printer speaks escpos."),
        "printer.winspool_driver_language": QT_TRANSLATE_NOOP(
            "messages", "raw=0 prints through the Windows driver, which takes language = pdf or png, not {language}."),
        "printer.own_backup": QT_TRANSLATE_NOOP("messages", "A printer cannot be its own backup."),
        "printer.component_language": QT_TRANSLATE_NOOP(
            "messages", "A {scheme}:// printer is that platform's print component: set language = {scheme}."),
        "printer.language_needs_component": QT_TRANSLATE_NOOP(
            "messages", "language = {language} is for that platform's print component: the URL is {language}://HOST:PORT?printer=NAME."),
        "printer.custom_template_component": QT_TRANSLATE_NOOP(
            "messages", "custom_template is for print component printers only."),
        "printer.bad_custom_template": QT_TRANSLATE_NOOP(
            "messages", "custom_template is the custom-area template's http:// or https:// URL."),
        "printer.component_backup": QT_TRANSLATE_NOOP(
            "messages", "The backup {printer} must speak {language} too: a print component and another kind of printer cannot stand in for each other."),
        "printer.no_such_printer": QT_TRANSLATE_NOOP("messages", "There is no printer named {printer}."),
        "printer.unknown_role": QT_TRANSLATE_NOOP("messages", "There is no printer role {role}."),
        # drivers/urls.py: DeviceUrlError codes, as app/devices.py gives them ("device_url.")
        "device_url.invalid": QT_TRANSLATE_NOOP("messages", "This device URL cannot be used."),
        "device_url.empty": QT_TRANSLATE_NOOP("messages", "The device URL is empty."),
        "device_url.no_scheme": QT_TRANSLATE_NOOP(
            "messages", "Not a device URL: it starts with scheme://, e.g. serial:///dev/ttyUSB0 or socket://127.0.0.1:7000."),
        "device_url.unknown_scheme": QT_TRANSLATE_NOOP(
            "messages", "Unknown device URL scheme {scheme}: use serial://, usbserial://, socket://, sim:// or a pyserial URL."),
        "device_url.malformed": QT_TRANSLATE_NOOP("messages", "Not a URL (check the brackets in the host)."),
        "device_url.fragment": QT_TRANSLATE_NOOP("messages", "A device URL has no #fragment."),
        "device_url.no_path": QT_TRANSLATE_NOOP(
            "messages", "serial:// needs a device path, e.g. serial:///dev/ttyUSB0."),
        "device_url.duplicate_option": QT_TRANSLATE_NOOP("messages", "The option {option} is given twice."),
        "device_url.unknown_option": QT_TRANSLATE_NOOP(
            "messages", "Unknown option {option} (known: {known})."),
        "device_url.bad_baud": QT_TRANSLATE_NOOP(
            "messages", "baud is a whole number from 50 to 4000000, not “{value}”."),
        "device_url.bad_bytesize": QT_TRANSLATE_NOOP(
            "messages", "bytesize is 5, 6, 7 or 8, not “{value}”."),
        "device_url.bad_parity": QT_TRANSLATE_NOOP(
            "messages", "parity is N, E, O, M or S, not “{value}”."),
        "device_url.bad_stopbits": QT_TRANSLATE_NOOP(
            "messages", "stopbits is 1, 1.5 or 2, not “{value}”."),
        "device_url.bad_suffix": QT_TRANSLATE_NOOP(
            "messages", "suffix is CR, LF, CRLF or NONE, not “{value}”."),
        "device_url.bad_prefix": QT_TRANSLATE_NOOP("messages", "prefix is empty."),
        "device_url.bad_timeout": QT_TRANSLATE_NOOP(
            "messages", "timeout_ms is a whole number from 1 to 10000, not “{value}”."),
        "device_url.bad_protocol": QT_TRANSLATE_NOOP(
            "messages", "protocol is ad or toledo, not “{value}”."),
        "device_url.bad_unit": QT_TRANSLATE_NOOP("messages", "unit is kg, g or lb, not “{value}”."),
        "device_url.bad_usb_id": QT_TRANSLATE_NOOP(
            "messages", "usbserial:// needs VID:PID in hex and at most one serial number, e.g. usbserial://1a86:7523."),
        "device_url.bad_socket": QT_TRANSLATE_NOOP(
            "messages", "socket:// needs HOST:PORT with a port from 1 to 65535 and no path, e.g. socket://127.0.0.1:7000."),
        # drivers/printers/urls.py: PrinterUrlError codes, as app/printers.py gives them
        "printer_url.invalid": QT_TRANSLATE_NOOP("messages", "This printer URL cannot be used."),
        "printer_url.empty": QT_TRANSLATE_NOOP("messages", "The printer URL is empty."),
        "printer_url.no_scheme": QT_TRANSLATE_NOOP(
            "messages", "Not a printer URL: it starts with scheme://, e.g. tcp://192.168.1.50:9100 or file://."),
        "printer_url.unknown_scheme": QT_TRANSLATE_NOOP(
            "messages", "Unknown printer URL scheme {scheme}: use tcp://, escpos+tcp://, escpos+usb://, escpos+serial://, cups://, winspool:// (a Windows printer), file:// or a print component's cainiao://, pdd://, douyin://, kuaishou://."),
        "printer_url.malformed": QT_TRANSLATE_NOOP("messages", "Not a URL (check the brackets in the host)."),
        "printer_url.fragment": QT_TRANSLATE_NOOP("messages", "A printer URL has no #fragment."),
        "printer_url.bad_usb_id": QT_TRANSLATE_NOOP(
            "messages", "escpos+usb:// needs VID:PID in hex, e.g. escpos+usb://04b8:0e15."),
        "printer_url.no_device": QT_TRANSLATE_NOOP(
            "messages", "escpos+serial:// needs a device path, e.g. escpos+serial:///dev/ttyS0."),
        "printer_url.bad_queue": QT_TRANSLATE_NOOP(
            "messages", "cups:// needs a queue name without spaces, slashes, quotes, ? or #, e.g. cups://Zebra_ZD420."),
        "printer_url.winspool_name": QT_TRANSLATE_NOOP(
            "messages", "winspool:// is followed by the printer's name as Windows shows it (Get-Printer in PowerShell lists them), e.g. winspool://TSC TTP-244 Pro; write # in the name as %23, ? as %3F, % as %25 and ; as %3B."),
        "printer_url.file_host": QT_TRANSLATE_NOOP(
            "messages", "file:// takes no host: write file:///ABS/FOLDER (three slashes), or file:// for the default folder."),
        "printer_url.not_absolute": QT_TRANSLATE_NOOP("messages", "The folder must be an absolute path."),
        "printer_url.duplicate_option": QT_TRANSLATE_NOOP("messages", "The option {option} is given twice."),
        "printer_url.unknown_option": QT_TRANSLATE_NOOP(
            "messages", "Unknown option {option} (known: {known})."),
        "printer_url.bad_status": QT_TRANSLATE_NOOP(
            "messages", "status is zpl, tspl, escpos or none, not “{value}”."),
        "printer_url.bad_raw": QT_TRANSLATE_NOOP("messages", "raw is 1 or 0, not “{value}”."),
        "printer_url.bad_profile": QT_TRANSLATE_NOOP(
            "messages", "profile is a python-escpos profile name such as TM-T20II, not “{value}”."),
        "printer_url.bad_endpoint": QT_TRANSLATE_NOOP(
            "messages", "{option} is an endpoint from 0x00 to 0xff, not “{value}”."),
        "printer_url.bad_baud": QT_TRANSLATE_NOOP(
            "messages", "baud is a whole number from 50 to 4000000, not “{value}”."),
        "printer_url.bad_bytesize": QT_TRANSLATE_NOOP(
            "messages", "bytesize is 5, 6, 7 or 8, not “{value}”."),
        "printer_url.bad_parity": QT_TRANSLATE_NOOP(
            "messages", "parity is N, E, O, M or S, not “{value}”."),
        "printer_url.bad_stopbits": QT_TRANSLATE_NOOP(
            "messages", "stopbits is 1, 1.5 or 2, not “{value}”."),
        "printer_url.tcp_path": QT_TRANSLATE_NOOP("messages", "A raw TCP printer URL takes no path."),
        "printer_url.tcp_user": QT_TRANSLATE_NOOP(
            "messages", "A raw TCP printer URL takes no user or password."),
        "printer_url.bad_port": QT_TRANSLATE_NOOP("messages", "The port is from 1 to 65535."),
        "printer_url.no_host": QT_TRANSLATE_NOOP(
            "messages", "The printer's host is missing, e.g. tcp://192.168.1.50:9100."),
        "printer_url.component_printer": QT_TRANSLATE_NOOP(
            "messages", "Name the component's printer, e.g. {scheme}://127.0.0.1?printer=ZTO-1."),
        "printer_url.component_path": QT_TRANSLATE_NOOP(
            "messages", "A print component URL takes no path: {scheme}://HOST:PORT?printer=NAME."),
        "printer_url.component_tls_port": QT_TRANSLATE_NOOP(
            "messages", "The wss port of this print component is not known: give HOST:PORT."),
        "printer_url.component_tls_ca": QT_TRANSLATE_NOOP(
            "messages", "wss to a component on another PC needs ca=PATH (the certificate authority file); only one on this PC (127.0.0.1) is trusted without it."),
        "printer_url.component_ca_without_tls": QT_TRANSLATE_NOOP("messages", "ca= goes with tls=1."),
        "printer_url.bad_tls": QT_TRANSLATE_NOOP("messages", "tls is 1 or 0, not “{value}”."),
        "printer_url.bad_ca": QT_TRANSLATE_NOOP(
            "messages", "ca is the absolute path of a certificate file, not “{value}”."),
        # app/services/schema.py (the central database's schema against this build)
        "schema.station_too_old": QT_TRANSLATE_NOOP(
            "messages", "This station's Packline ({version}, schema {build}) is too old for the central database: a newer Packline upgraded it to schema {database}. Ask IT to install that version here."),
        "schema.station_too_new": QT_TRANSLATE_NOOP(
            "messages", "The central database (schema {database}) is older than this station's Packline ({version}) needs (schema {build}). Ask IT to run `packline db upgrade` with this version first."),
        "schema.not_migrated": QT_TRANSLATE_NOOP(
            "messages", "The central database holds no Packline schema yet; this station's Packline ({version}) needs schema {build}. Ask IT to run `packline db upgrade` first."),
        "schema.unknown": QT_TRANSLATE_NOOP(
            "messages", "The central database records several schema versions ({database}); this station's Packline ({version}) needs schema {build}. Ask IT to check it with `packline doctor`."),
        "schema.no_grant": QT_TRANSLATE_NOOP(
            "messages", "This station's login may not read the central database's schema version: its grants are from an older Packline. Ask IT to run `packline db roles --apply` with this version ({version})."),
        "schema.store_too_new": QT_TRANSLATE_NOOP(
            "messages", "This station's Packline ({version}, station schema {build}) is too old for its own store {path}: a newer Packline upgraded it to schema {database}. Nothing was changed; ask IT to install that version here."),
        # app/services/supply.py (the presale suppliers' side)
        "supply.bad_code": QT_TRANSLATE_NOOP(
            "messages", "A supplier code is 1 to 64 letters, digits, '_', '.' or '-' (not {value})."),
        "supply.name_empty": QT_TRANSLATE_NOOP(
            "messages", "The new supplier {supplier} needs a name."),
        "supply.unknown_campaign": QT_TRANSLATE_NOOP(
            "messages", "There is no presale campaign {campaign}."),
        "supply.unknown_supplier": QT_TRANSLATE_NOOP(
            "messages", "There is no supplier {supplier}."),
        "supply.same_supplier": QT_TRANSLATE_NOOP(
            "messages", "The backup supplier must be another supplier than {supplier}."),
        "supply.bad_number": QT_TRANSLATE_NOOP(
            "messages", "{field} must be a whole number, 0 or more (not {value})."),
        "supply.too_many": QT_TRANSLATE_NOOP(
            "messages", "In transit ({in_transit}) and arrived ({arrived}) exceed the quantity ({qty})."),
        "supply.file_unreadable": QT_TRANSLATE_NOOP(
            "messages", "Cannot read {path} (a UTF-8 CSV or an xlsx workbook)."),
        "supply.file_empty": QT_TRANSLATE_NOOP(
            "messages", "{path} holds no deliveries."),
        "supply.file_refused": QT_TRANSLATE_NOOP(
            "messages", "{count} rows of {path} are wrong: nothing was imported."),
        "supply.row_empty_file": QT_TRANSLATE_NOOP(
            "messages", "The file has no rows."),
        "supply.row_headers": QT_TRANSLATE_NOOP(
            "messages", "Row {row}: columns missing: {missing}."),
        "supply.row_missing": QT_TRANSLATE_NOOP(
            "messages", "Row {row}: {field} is empty."),
        "supply.row_bad_date": QT_TRANSLATE_NOOP(
            "messages", "Row {row}: {field} {value} is no date (YYYY-MM-DD)."),
        "supply.row_bad_number": QT_TRANSLATE_NOOP(
            "messages", "Row {row}: {field} {value} is not a whole number, 0 or more."),
        "supply.row_too_many": QT_TRANSLATE_NOOP(
            "messages", "Row {row}: in transit ({in_transit}) and arrived ({arrived}) exceed the quantity ({qty})."),
        "supply.row_duplicate": QT_TRANSLATE_NOOP(
            "messages", "Row {row}: the same delivery as row {other}."),
        "supply.row_unknown_campaign": QT_TRANSLATE_NOOP(
            "messages", "Row {row}: there is no presale campaign {campaign}."),
        "supply.row_unknown_supplier": QT_TRANSLATE_NOOP(
            "messages", "Row {row}: there is no supplier {supplier}."),
        "supply.bad_export": QT_TRANSLATE_NOOP(
            "messages", "Export to a .csv or .xlsx file (not {path})."),
        "supply.no_campaign": QT_TRANSLATE_NOOP(
            "messages", "Order {order_no} is in no presale campaign."),
        "supply.not_compensable": QT_TRANSLATE_NOOP(
            "messages", "Order {order_no} is cancelled, shipped or being refunded: its buyer is not flagged for compensation."),
        "channel.paid_after_cancel": QT_TRANSLATE_NOOP(
            "messages", "Order {order_no}: its {payment} ({amount} yuan) was paid after the order was cancelled. Have the shop refund the buyer."),
        "presale.unpack_window_open": QT_TRANSLATE_NOOP(
            "messages", "Order {order_no}: its balance may still be paid until {ends_at}. Keep the parcel on the staging shelf; unpack it only after a refund or cancellation, or at the campaign's end."),
        "supply.delayed": QT_TRANSLATE_NOOP(
            "messages", "{campaign}: the goods come {hours} h later than the supplier confirmed (due {due}, now expected {expected})."),
        # app/services/handover.py (the dock's waiting parcels)
        "handover.unknown_place": QT_TRANSLATE_NOOP(
            "messages", "There is no warehouse {warehouse} or no carrier {carrier}."),
    }


_CATALOGUE = catalogue()


def describe(exc: ServiceError) -> str:
    return _word(exc.code, exc.params, str(exc))


Translate = Callable[[str, str], str]


def words_in(language: str | None) -> Translate:
    """`translate(context, source)` in `language` without an application (the command line),
    or through the installed translator when `language` is None (the screens)."""
    if language is None:
        return lambda context, source: QCoreApplication.translate(context, source)
    if language.lower().startswith("en"):
        return lambda _context, source: source
    translator = QTranslator()
    if not translator.load(f"packline_{language}", str(resources_dir() / "translations")):
        return lambda _context, source: source
    _KEEP.append(translator)
    return lambda context, source: translator.translate(context, source) or source


_KEEP: list[QTranslator] = []


def word_in(words: Translate, code: str, params: Mapping[str, object]) -> str | None:
    """The code's wording in `words`' language with its params filled in (each as text), or
    None when the catalogue lacks the code or the wording does not take these params."""
    source = _CATALOGUE.get(code)
    if source is None:
        return None
    try:
        return words("messages", source).format(**{k: str(v) for k, v in params.items()})
    except (KeyError, IndexError, ValueError):
        return None


def describe_setting(exc: SettingsError, words: Translate | None = None, *,
                     with_path: bool = True) -> str:
    """A settings problem in the reader's language: where (file, line, [section] key), then
    what is wrong. A screen about the station's own file leaves the path out."""
    words = words or words_in(None)
    reason = word_in(words, exc.code, exc.params) or exc.reason
    where = []
    if exc.path is not None and with_path:
        where.append(str(exc.path) if not exc.line else
                     words("settings", "%1, line %2").replace("%1", str(exc.path))
                     .replace("%2", str(exc.line)))
    elif exc.origin is not None and exc.origin.kind == "env":
        where.append(words("settings", "environment variable %1")
                     .replace("%1", exc.origin.detail))
    elif exc.origin is not None:
        where.append(words("settings", "command line %1").replace("%1", exc.origin.detail))
    elif exc.line:
        where.append(words("settings", "line %1").replace("%1", str(exc.line)))
    if exc.section is not None:
        where.append(f"[{exc.section}]" + (f" {exc.key}" if exc.key is not None else ""))
    text = reason
    for part in reversed(where):
        text = _join(words, part, text)
    return text


def _join(words: Translate, where: str, what: str) -> str:
    # Not str.replace twice: `what` may itself hold %1 or %2.
    pattern = words("settings", "%1: %2")
    head, _, tail = pattern.partition("%1")
    middle, _, end = tail.partition("%2")
    return f"{head}{where}{middle}{what}{end}"


def settings_words() -> None:
    """The command line's and the start-up dialog's own sentences about settings files (for
    lupdate; `app.cli.main` looks them up by these sources)."""
    QT_TRANSLATE_NOOP("settings", "%1: %2")
    QT_TRANSLATE_NOOP("settings", "%1, line %2")
    QT_TRANSLATE_NOOP("settings", "line %1")
    QT_TRANSLATE_NOOP("settings", "environment variable %1")
    QT_TRANSLATE_NOOP("settings", "command line %1")
    QT_TRANSLATE_NOOP("settings", "%1: OK: station %2 (%3), %4 device(s), %5 printer(s), "
                                  "language %6")
    QT_TRANSLATE_NOOP("settings", "%1: %2 problem(s)")
    QT_TRANSLATE_NOOP("settings", "%1: settings version %2: the station upgrades it to version "
                                  "%3 when it starts (keeping a copy of the old file)")
    QT_TRANSLATE_NOOP("settings", "Packline cannot start: the station settings file has a "
                                  "problem")
    QT_TRANSLATE_NOOP("settings", "Fix the file (or ask IT), then start Packline again. "
                                  "`packline settings check FILE` lists every problem.")


def describe_note(note: Note) -> str:
    return _word(note.code, note.params, note.text)


def describe_detail(detail: str | None) -> str:
    """An exception's stored detail in the reader's language; an old plain-text detail as is."""
    found = decode(detail)
    if found is None:
        return detail or ""
    return " ".join(_word(n.code, n.params, n.text) for n in found)


def wording(code: str) -> str | None:
    """The code's wording in the reader's language (translated when asked, so a language
    switch takes effect), or None when the catalogue lacks it."""
    source = _CATALOGUE.get(code)
    return QCoreApplication.translate("messages", source) if source is not None else None


def describe_url_error(exc: Exception, prefix: str = "device_url") -> str:
    """A DeviceUrlError ("device_url") or PrinterUrlError ("printer_url") in the reader's
    language, from its code and params; its English text when the code is not worded."""
    code = getattr(exc, "code", "invalid")
    return _word(f"{prefix}.{code}", getattr(exc, "params", {}), str(exc))


def _word(code: str, params: object, fallback: str) -> str:
    wording_ = wording(code) if code else None
    if wording_ is None or not isinstance(params, dict):
        return fallback
    values = {key: _param(key, value) for key, value in params.items()}
    try:
        return wording_.format(**values)
    except (KeyError, IndexError, ValueError):
        return fallback


_FIELDS = {"name", "phone", "province", "city", "district", "address"}


def _param(key: str, value: object) -> str:
    """Values that are codes (a status, a role, a category) are named in the reader's language."""
    from app.ui import labels

    if not isinstance(value, str):
        return str(value)
    named = {
        "status": labels.status_names, "target": labels.status_names,
        "role": labels.role_names, "wave_status": labels.wave_status_names,
        "job_status": labels.print_status_names, "category": labels.exception_names,
        "action": labels.exception_action_names, "strategy": labels.strategy_names,
        "intercept": labels.intercept_names, "payment": labels.payment_kind_names,
        "permission": labels.permission_names, "rule": labels.rule_names,
        "field": labels.receiver_field_names,
    }.get(key)
    if named is not None:
        return labels.label(named(), value)
    if key == "param":  # the reader's name, and the key as it is typed in the JSON
        name = labels.rule_param_names().get(value)
        return f"{name} ({value})" if name else value
    return value
