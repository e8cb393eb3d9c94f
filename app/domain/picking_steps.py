"""The picker's steps at one pick task: the bin is scanned before the item.

A picker walking a wave stands at one task at a time (take `qty` of a SKU from a bin). The
task starts at its bin (`AT_BIN`): the bin's scan proves the picker is at the right place, and
only then do the item's scans count (`BIN_CONFIRMED`). Each item scan picks units; the last
unit finishes the task (`FINISHED`), as a short pick does. A task the picker skips, or whose
wave is handed back to another picker, is at its bin again: whoever comes back to it scans the
bin again first.

    step            event                           next step
    AT_BIN          bin scanned                     BIN_CONFIRMED
    AT_BIN          item scanned                    refused (pick.scan_bin_first)
    BIN_CONFIRMED   bin scanned (again)             BIN_CONFIRMED
    BIN_CONFIRMED   item scanned, units left        BIN_CONFIRMED
    BIN_CONFIRMED   item scanned, none left         FINISHED
    either          short                           FINISHED
    either          skipped, or wave handed back    AT_BIN
    FINISHED        anything                        refused (pick.task_done)

Short picks are allowed before the bin is scanned: a picker who cannot find the bin at all (or
its label) reports it short from the aisle. What the service stores of a task — its status
(`open`, `skipped`, `done`, `short`) and whether its bin was confirmed — gives the step with
`step_of`, so a picker who logs in again on another scanner carries on at the same step.

Pure, no I/O: `check` (and `after`, which calls it) refuses with `StepRefused` before
anything changes.
"""

from __future__ import annotations

from enum import StrEnum

from app.domain.notes import CodedError

__all__ = ["FINISHED_STATUSES", "OPEN_STATUSES", "PickEvent", "PickStep", "StepRefused", "after",
           "check", "step_of"]


class PickStep(StrEnum):
    AT_BIN = "at_bin"  # on the way to the task's bin: its scan comes first
    BIN_CONFIRMED = "bin_confirmed"  # at the bin: the item's scans pick units
    FINISHED = "finished"  # every unit picked, or short: nothing more to scan here


class PickEvent(StrEnum):
    BIN_SCANNED = "bin_scanned"  # the task's own bin (a wrong bin is refused, no event)
    ITEM_SCANNED = "item_scanned"  # an item (which one, how many: the caller checks)
    SKIPPED = "skipped"  # left for the end of the walk
    SHORT = "short"  # the bin holds fewer than the task needs: the task ends with what is there
    HANDED_BACK = "handed_back"  # the wave goes back to the list for another picker


class StepRefused(CodedError):
    """A scan or key the task's step does not take: nothing changed."""


# Task statuses as the pick tasks store them.
FINISHED_STATUSES = frozenset({"done", "short"})
OPEN_STATUSES = frozenset({"open", "skipped"})


def step_of(status: str, bin_confirmed: bool) -> PickStep:
    """The step of a stored task: its status, and whether its bin scan is recorded."""
    if status in FINISHED_STATUSES:
        return PickStep.FINISHED
    if status not in OPEN_STATUSES:
        raise ValueError(f"unknown pick task status {status!r}")
    return PickStep.BIN_CONFIRMED if bin_confirmed else PickStep.AT_BIN


def check(step: PickStep, event: PickEvent) -> None:
    """Refuse `event` when `step` does not take it (before anything is changed)."""
    if step is PickStep.FINISHED:
        raise StepRefused("the task is finished already", "pick.task_done")
    if event is PickEvent.ITEM_SCANNED and step is PickStep.AT_BIN:
        raise StepRefused("scan the bin first, then the item", "pick.scan_bin_first")


def after(step: PickStep, event: PickEvent, *, units_left: int = 0) -> PickStep:
    """The step once `event` is taken at `step`; `units_left` is what the task still needs
    after an item scan (0: the task is finished). Refuses what the step does not take."""
    if units_left < 0:
        raise ValueError(f"units_left must not be negative, got {units_left}")
    check(step, event)
    if event is PickEvent.BIN_SCANNED:
        return PickStep.BIN_CONFIRMED
    if event is PickEvent.ITEM_SCANNED:
        return PickStep.FINISHED if units_left == 0 else PickStep.BIN_CONFIRMED
    if event is PickEvent.SHORT:
        return PickStep.FINISHED
    # Skipped or handed back: whoever comes back to the task starts at its bin again.
    return PickStep.AT_BIN
