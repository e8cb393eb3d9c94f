"""The platforms' print components (打印组件) as Packline knows them: one row per protocol.

A print component is a program the platform gives sellers; it runs on the packing PC, holds
the platform's waybill templates and decrypts the receiver, and takes print tasks over a local
WebSocket. Cainiao's protocol (JSON with `cmd`, `requestID`, `version`; `getPrinters`,
`getPrinterConfig`, `print`, the pushed `notifyPrintResult`) is the one the others copy. What
differs between them is in this table; everything not in it is taken to be as Cainiao's (see
docs/printing.md for which parts are known and which assumed).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Dialect:
    scheme: str  # the printer URL scheme and the station's printer `language`
    title: str  # the component's name, for people
    port: int  # ws://
    tls_port: int | None  # wss:// (None: not known; a tls URL must name its port)
    path: str  # the WebSocket path
    version: str  # the `version` every request carries
    # The `cmd` of the pushed print result: Pinduoduo's component calls it PrintResultNotify.
    notify_cmds: frozenset[str]
    # The waybill providers whose print data this component prints.
    providers: frozenset[str]


NOTIFY = "notifyPrintResult"

DIALECTS: dict[str, Dialect] = {
    "cainiao": Dialect("cainiao", "菜鸟打印组件 Cainiao", 13528, 13529, "/", "1.0",
                       frozenset({NOTIFY}), frozenset({"cainiao"})),
    "pdd": Dialect("pdd", "拼多多打印组件 Pinduoduo", 5000, 18653, "/", "1.0",
                   frozenset({NOTIFY, "PrintResultNotify"}), frozenset({"pdd"})),
    "douyin": Dialect("douyin", "抖店打印组件 Douyin", 13888, None, "/", "1.0",
                      frozenset({NOTIFY}), frozenset({"douyin"})),
    "kuaishou": Dialect("kuaishou", "快手打印组件 Kuaishou", 16888, 16889, "/ks/printer", "1.0",
                        frozenset({NOTIFY}), frozenset({"kuaishou"})),
}

COMPONENT_LANGUAGES: tuple[str, ...] = tuple(DIALECTS)
