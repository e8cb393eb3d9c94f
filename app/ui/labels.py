"""What the floor reads for each code: statuses, roles, channels, exception categories.
Source strings are English; the shipped Chinese translation is what most stations show."""

from __future__ import annotations

from app.ui.qt import QCoreApplication


def status_names() -> dict[str, str]:
    return {
        "new": QCoreApplication.translate("labels", "New"),
        "pending_review": QCoreApplication.translate("labels", "Pending review"),
        "on_hold": QCoreApplication.translate("labels", "On hold"),
        "exception": QCoreApplication.translate("labels", "Exception"),
        "awaiting_balance": QCoreApplication.translate("labels", "Awaiting balance"),
        "awaiting_stock": QCoreApplication.translate("labels", "Awaiting stock"),
        "routed": QCoreApplication.translate("labels", "Ready for wave"),
        "in_wave": QCoreApplication.translate("labels", "In wave"),
        "picking": QCoreApplication.translate("labels", "Picking"),
        "picked": QCoreApplication.translate("labels", "Picked"),
        "packing": QCoreApplication.translate("labels", "Packing"),
        "packed": QCoreApplication.translate("labels", "Packed"),
        "shipped": QCoreApplication.translate("labels", "Shipped"),
        "cancelled": QCoreApplication.translate("labels", "Cancelled"),
        "merged": QCoreApplication.translate("labels", "Merged"),
        "split": QCoreApplication.translate("labels", "Split"),
    }


def role_names() -> dict[str, str]:
    return {
        "packer": QCoreApplication.translate("labels", "Packer"),
        "picker": QCoreApplication.translate("labels", "Picker"),
        "shift_lead": QCoreApplication.translate("labels", "Shift lead"),
        "admin": QCoreApplication.translate("labels", "Administrator"),
    }


def channel_names() -> dict[str, str]:
    return {
        "taobao": QCoreApplication.translate("labels", "Taobao"),
        "tmall": QCoreApplication.translate("labels", "Tmall"),
        "jd": QCoreApplication.translate("labels", "JD"),
        "douyin": QCoreApplication.translate("labels", "Douyin"),
        "pdd": QCoreApplication.translate("labels", "Pinduoduo"),
        "manual": QCoreApplication.translate("labels", "Manual"),
    }


def band_names() -> dict[str, str]:
    return {
        "overdue": QCoreApplication.translate("labels", "Overdue"),
        "due_soon": QCoreApplication.translate("labels", "Due soon"),
        "presale": QCoreApplication.translate("labels", "Presale"),
        "vip": QCoreApplication.translate("labels", "VIP"),
        "normal": QCoreApplication.translate("labels", "Normal"),
    }


def exception_names() -> dict[str, str]:
    return {
        "out_of_stock": QCoreApplication.translate("labels", "Out of stock"),
        "address_invalid": QCoreApplication.translate("labels", "Address invalid"),
        "address_ambiguous": QCoreApplication.translate("labels", "Address ambiguous"),
        "payment_incomplete": QCoreApplication.translate("labels", "Payment incomplete"),
        "amount_mismatch": QCoreApplication.translate("labels", "Amount mismatch"),
        "blacklist": QCoreApplication.translate("labels", "Blacklist"),
        "remark_review": QCoreApplication.translate("labels", "Buyer remark"),
        "high_value_review": QCoreApplication.translate("labels", "High value"),
        "presale_over_capacity": QCoreApplication.translate("labels", "Presale over capacity"),
        "short_pick": QCoreApplication.translate("labels", "Short pick"),
        "weight_mismatch": QCoreApplication.translate("labels", "Weight mismatch"),
        "print_failed": QCoreApplication.translate("labels", "Print failed"),
        "intercepted_after_pack": QCoreApplication.translate("labels", "Intercepted after pack"),
        "sync_conflict": QCoreApplication.translate("labels", "Sync conflict"),
        "sku_unknown": QCoreApplication.translate("labels", "Unknown SKU"),
        "phone_invalid": QCoreApplication.translate("labels", "Phone invalid"),
        "receiver_incomplete": QCoreApplication.translate("labels", "Receiver incomplete"),
        "qty_invalid": QCoreApplication.translate("labels", "Quantity invalid"),
        "carrier_unavailable": QCoreApplication.translate("labels", "No carrier available"),
        "shipment_refused": QCoreApplication.translate("labels",
                                                       "Shipment confirmation refused"),
        "waybill_refused": QCoreApplication.translate("labels", "Waybill refused by the platform"),
        "supplier_delay": QCoreApplication.translate("labels", "Supplier delay"),
        "paid_after_cancel": QCoreApplication.translate("labels", "Paid after cancellation"),
    }


def exception_action_names() -> dict[str, str]:
    """The suggested actions of the exception queue, as the buttons read."""
    return {
        "approve": QCoreApplication.translate("labels", "Approve"),
        "retry": QCoreApplication.translate("labels", "Retry"),
        "fix_address": QCoreApplication.translate("labels", "Fix address"),
        "substitute": QCoreApplication.translate("labels", "Substitute SKU"),
        "backorder": QCoreApplication.translate("labels", "Backorder"),
        "hold": QCoreApplication.translate("labels", "Hold"),
        "cancel": QCoreApplication.translate("labels", "Cancel order"),
        "retry_confirmation": QCoreApplication.translate("labels", "Confirm shipment again"),
        "retry_waybill": QCoreApplication.translate("labels", "Ask for the waybill again"),
        "notify": QCoreApplication.translate("labels", "Purchasing and buyer told"),
        "switch_supplier": QCoreApplication.translate("labels", "Switch to backup supplier"),
        "compensate": QCoreApplication.translate("labels", "Compensate the buyer"),
        "refunded": QCoreApplication.translate("labels", "Buyer refunded"),
    }


def escalation_names() -> dict[int, str]:
    """What each escalation level asks of the shift lead (DESIGN.md, exceptions)."""
    return {
        0: QCoreApplication.translate("labels", "Not escalated"),
        1: QCoreApplication.translate("labels", "Over 24 h: notify"),
        2: QCoreApplication.translate("labels", "Over 48 h: backup supplier or carrier"),
        3: QCoreApplication.translate("labels", "Over 72 h: compensate the buyer"),
    }


def rule_names() -> dict[str, str]:
    """Built-in review rules; a rule not listed here shows the name stored with it."""
    return {
        "stock_sufficient": QCoreApplication.translate("labels", "Stock sufficient"),
        "address_valid": QCoreApplication.translate("labels", "Address valid"),
        "payment_complete": QCoreApplication.translate("labels", "Payment complete"),
        "amount_consistent": QCoreApplication.translate(
            "labels", "Amount consistent with discounts"),
        "blacklist": QCoreApplication.translate("labels", "Blacklist"),
        "remark_review": QCoreApplication.translate("labels", "Buyer remark needs a person"),
        "high_value_review": QCoreApplication.translate("labels", "High value needs review"),
        "vip_priority": QCoreApplication.translate("labels", "VIP priority"),
    }


def presale_kind_names() -> dict[str, str]:
    return {
        "deposit": QCoreApplication.translate("labels", "Deposit presale"),
        "full": QCoreApplication.translate("labels", "Full payment"),
    }


def label(mapping: dict[str, str], code: str | None) -> str:
    if code is None:
        return ""
    return mapping.get(code, code)


def device_status_names() -> dict[str, str]:
    """With a symbol, so the state reads without colour."""
    return {
        "stopped": QCoreApplication.translate("labels", "○ Stopped"),
        "connecting": QCoreApplication.translate("labels", "… Connecting"),
        "connected": QCoreApplication.translate("labels", "✔ Connected"),
        "disconnected": QCoreApplication.translate("labels", "✖ Disconnected"),
        "error": QCoreApplication.translate("labels", "⚠ Error"),
    }


def device_reason_names() -> dict[str, str]:
    return {
        "not_found": QCoreApplication.translate("labels", "not plugged in or not found"),
        "open_failed": QCoreApplication.translate("labels", "cannot be opened"),
        "io_error": QCoreApplication.translate("labels", "connection lost"),
        "no_reply": QCoreApplication.translate("labels", "does not answer"),
        "permission_denied": QCoreApplication.translate("labels", "no permission on the port"),
        "busy": QCoreApplication.translate("labels", "port used by another program"),
        "config": QCoreApplication.translate("labels", "settings cannot work"),
        "simulated": QCoreApplication.translate("labels", "simulated cable pulled"),
    }


def device_kind_names() -> dict[str, str]:
    return {
        "scanner": QCoreApplication.translate("labels", "Scanner (serial)"),
        "scale": QCoreApplication.translate("labels", "Scale"),
        "wedge": QCoreApplication.translate("labels", "Scanner (USB keyboard)"),
    }


def scan_kind_names() -> dict[str, str]:
    return {
        "sku": QCoreApplication.translate("labels", "Item"),
        "bin": QCoreApplication.translate("labels", "Bin"),
        "tote": QCoreApplication.translate("labels", "Tote"),
        "slot": QCoreApplication.translate("labels", "Put-wall slot"),
        "order": QCoreApplication.translate("labels", "Order"),
        "wave": QCoreApplication.translate("labels", "Wave"),
        "waybill": QCoreApplication.translate("labels", "Waybill"),
        "badge": QCoreApplication.translate("labels", "Badge"),
        "command": QCoreApplication.translate("labels", "Command card"),
        "sscc": QCoreApplication.translate("labels", "Pallet / case (SSCC)"),
        "unknown": QCoreApplication.translate("labels", "Unknown"),
    }


def print_status_names() -> dict[str, str]:
    return {
        "queued": QCoreApplication.translate("labels", "Waiting"),
        "sending": QCoreApplication.translate("labels", "Printing"),
        "sent": QCoreApplication.translate("labels", "Printed"),
        "failed": QCoreApplication.translate("labels", "Failed"),
        "cancelled": QCoreApplication.translate("labels", "Cancelled"),
    }


def printer_health_names() -> dict[str, str]:
    return {
        "online": QCoreApplication.translate("labels", "✔ Ready"),
        "down": QCoreApplication.translate("labels", "✖ Not printing"),
        "unknown": QCoreApplication.translate("labels", "○ Not used yet"),
    }


def document_names() -> dict[str, str]:
    return {
        "waybill": QCoreApplication.translate("labels", "Waybill"),
        "slip": QCoreApplication.translate("labels", "Packing slip"),
        "picklist": QCoreApplication.translate("labels", "Pick list"),
        "label": QCoreApplication.translate("labels", "Tote / bin label"),
        "cards": QCoreApplication.translate("labels", "Command cards"),
        "manifest": QCoreApplication.translate("labels", "Handover manifest"),
        "test": QCoreApplication.translate("labels", "Test page"),
    }


def strategy_names() -> dict[str, str]:
    return {
        "single_unit": QCoreApplication.translate("labels", "Single item, single unit"),
        "single_sku": QCoreApplication.translate("labels", "Single item, several units"),
        "multi_item": QCoreApplication.translate("labels", "Multi-item (put wall)"),
        "per_order": QCoreApplication.translate("labels", "Pick per order"),
        "by_carrier": QCoreApplication.translate("labels", "By carrier"),
        "by_zone": QCoreApplication.translate("labels", "By zone"),
        "presale": QCoreApplication.translate("labels", "Presale batch"),
        "urgent": QCoreApplication.translate("labels", "Urgent"),
        "hot_sku": QCoreApplication.translate("labels", "Hot item"),
    }


def wave_status_names() -> dict[str, str]:
    return {
        "released": QCoreApplication.translate("labels", "Released"),
        "picking": QCoreApplication.translate("labels", "Picking"),
        "picked": QCoreApplication.translate("labels", "Picked"),
        "packing": QCoreApplication.translate("labels", "Packing"),
        "done": QCoreApplication.translate("labels", "Done"),
        "cancelled": QCoreApplication.translate("labels", "Cancelled"),
    }


def intercept_names() -> dict[str, str]:
    """Why an order was stopped (拦截)."""
    return {
        "refund_requested": QCoreApplication.translate("labels", "refund requested"),
        "cancelled": QCoreApplication.translate("labels", "cancelled by the buyer"),
        "address_changed": QCoreApplication.translate("labels", "address changed"),
    }


def payment_kind_names() -> dict[str, str]:
    return {
        "full": QCoreApplication.translate("labels", "full"),
        "deposit": QCoreApplication.translate("labels", "deposit"),
        "balance": QCoreApplication.translate("labels", "balance"),
    }


def receiver_field_names() -> dict[str, str]:
    return {
        "name": QCoreApplication.translate("labels", "Receiver"),
        "phone": QCoreApplication.translate("labels", "Phone"),
        "province": QCoreApplication.translate("labels", "Province"),
        "city": QCoreApplication.translate("labels", "City"),
        "district": QCoreApplication.translate("labels", "District"),
        "address": QCoreApplication.translate("labels", "Street address"),
    }


def encrypted_receiver_tag() -> str:
    """The short mark next to a receiver the platform keeps encrypted (its name is a mask)."""
    return QCoreApplication.translate("labels", "encrypted")


def encrypted_receiver_text() -> str:
    """What the mark means: name, phone and address shown are the platform's masks, and the
    platform prints the real receiver on its waybill."""
    return QCoreApplication.translate("labels", "Encrypted receiver (platform)")


def with_encrypted_tag(name: str, encrypted: bool) -> str:
    """A receiver's name as a list shows it: an encrypted one's mask with the mark."""
    return f"{name} [{encrypted_receiver_tag()}]" if encrypted else name


def permission_names() -> dict[str, str]:
    return {
        "orders.view": QCoreApplication.translate("labels", "view orders"),
        "orders.import": QCoreApplication.translate("labels", "import orders"),
        "orders.change_status": QCoreApplication.translate("labels", "change an order's status"),
        "exceptions.resolve": QCoreApplication.translate("labels", "resolve exceptions"),
        "rules.edit": QCoreApplication.translate("labels", "edit review rules"),
        "waves.release": QCoreApplication.translate("labels", "release waves"),
        "picking.pick": QCoreApplication.translate("labels", "pick"),
        "packing.pack": QCoreApplication.translate("labels", "pack"),
        "packing.handover": QCoreApplication.translate("labels", "hand parcels over"),
        "packing.override_weight": QCoreApplication.translate("labels", "let a weight pass"),
        "printing.reprint": QCoreApplication.translate("labels", "reprint"),
        "users.manage": QCoreApplication.translate("labels", "manage users"),
        "stations.manage": QCoreApplication.translate("labels", "manage stations"),
        "demo.seed": QCoreApplication.translate("labels", "seed demo data"),
        "engine.run": QCoreApplication.translate("labels", "run the order engine"),
    }


def history_action_names() -> dict[str, str]:
    """An order's history, as the detail pane lists it."""
    return {
        "order.created": QCoreApplication.translate("labels", "Received"),
        "order.status": QCoreApplication.translate("labels", "Status"),
        "order.intercepted": QCoreApplication.translate("labels", "Intercepted"),
        "order.address_changed": QCoreApplication.translate("labels", "Address changed"),
        "exception.escalated": QCoreApplication.translate("labels", "Escalated"),
        "package.tracking": QCoreApplication.translate("labels", "Tracking number"),
        "pack.conflict": QCoreApplication.translate("labels", "Packed twice"),
        "pack.stopped": QCoreApplication.translate("labels", "Stopped at packing"),
        "pack.weight_override": QCoreApplication.translate("labels", "Weight let pass"),
        "shipment.confirmed": QCoreApplication.translate("labels", "Shipment confirmed to "
                                                                    "the platform"),
        "shipment.refused": QCoreApplication.translate("labels", "Shipment confirmation "
                                                                  "refused"),
        "shipment.retried": QCoreApplication.translate("labels", "Shipment confirmation "
                                                                  "sent again"),
        "waybill.cancelled": QCoreApplication.translate("labels", "Waybill cancelled"),
        "waybill.cancel_refused": QCoreApplication.translate("labels",
                                                             "Waybill cancel refused"),
    }


def shipment_status_names() -> dict[str, str]:
    """A shipment confirmation to the platform (发货回传), as the order detail shows it."""
    return {
        "pending": QCoreApplication.translate("labels", "Waiting to send"),
        "sending": QCoreApplication.translate("labels", "Sending"),
        "sent": QCoreApplication.translate("labels", "Confirmed to the platform"),
        "refused": QCoreApplication.translate("labels", "Refused by the platform"),
    }


def package_status_names() -> dict[str, str]:
    return {
        "open": QCoreApplication.translate("labels", "Open"),
        "labelled": QCoreApplication.translate("labels", "Labelled"),
        "packed": QCoreApplication.translate("labels", "Packed"),
        "handed_over": QCoreApplication.translate("labels", "Handed over"),
        "void": QCoreApplication.translate("labels", "Void"),
    }


def rule_param_names() -> dict[str, str]:
    """A review rule's parameters, as the editor's error messages name them."""
    return {
        "tolerance_fen": QCoreApplication.translate("labels", "Tolerance in fen"),
        "threshold_fen": QCoreApplication.translate("labels", "Threshold in fen"),
        "min_level": QCoreApplication.translate("labels", "Lowest VIP level"),
        "ignore": QCoreApplication.translate("labels", "Routine remarks"),
    }
