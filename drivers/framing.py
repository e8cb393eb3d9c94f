"""Cut a serial byte stream into frames (one scan, one scale reading), whatever sizes the reads
come in. Pure: bytes and timestamps in, frames out, so it is tested without any port.

Rules:
- The suffix is honoured exactly as configured, across reads (a CRLF split over two reads is one
  terminator). Two tolerances, because scanners are often configured on one side only:
  with suffix CR an LF right after a CR is dropped (a CRLF scanner set up as CR still works);
  with suffix LF a CR right before the LF is dropped.
- Suffix NONE: a frame ends when no byte came for `timeout_ms`; `flush(now)` emits it.
- A partial frame that waits for its suffix longer than `stale_ms` is discarded (counted in
  `stale`): it is the front of a scan cut off by an unplug, and gluing it to the next scan
  would make a wrong code.
- The prefix, when configured, is stripped from the front of a frame; a frame without it is
  kept as it is. Empty frames are dropped.
- More than `max_len` bytes without a terminator is garbage (wrong baud rate, binary noise):
  it is discarded and counted in `overlong`, and so is the rest up to the next terminator
  (suffix NONE: up to the next pause).
"""

from __future__ import annotations

from drivers.urls import Suffix


class LineFramer:
    def __init__(self, suffix: Suffix | str = Suffix.CR, prefix: bytes | str | None = None,
                 timeout_ms: int = 50, max_len: int = 4096, stale_ms: int = 1000) -> None:
        try:
            self.suffix = Suffix(suffix.upper() if isinstance(suffix, str) else suffix)
        except ValueError:
            raise ValueError(f"suffix must be CR, LF, CRLF or NONE, not {suffix!r}") from None
        if timeout_ms <= 0 or stale_ms <= 0:
            raise ValueError("timeout_ms and stale_ms must be positive")
        if max_len <= 0:
            raise ValueError("max_len must be positive")
        self.prefix = prefix.encode() if isinstance(prefix, str) else (prefix or b"")
        self.timeout = timeout_ms / 1000
        self.stale_after = stale_ms / 1000
        self.max_len = max_len
        self.overlong = 0
        self.stale = 0
        self._term = self.suffix.terminator
        self._buf = b""
        self._last = 0.0
        self._after_cr = False  # suffix CR: the last byte seen was the CR of a possible CRLF
        self._discarding = False

    @property
    def pending(self) -> bytes:
        """Bytes received that do not make a frame yet."""
        return self._buf

    def deadline(self) -> float | None:
        """When `flush` next has something to do (emit or discard), or None: lets a reader
        block exactly as long as it may."""
        if not self._buf and not self._discarding:
            return None
        return self._last + (self.timeout if self.suffix is Suffix.NONE else self.stale_after)

    def reset(self) -> None:
        """Forget a partial frame (the port was reopened)."""
        self._buf = b""
        self._after_cr = False
        self._discarding = False

    def feed(self, data: bytes, now: float) -> list[bytes]:
        """Take the bytes of one read, received at `now`; return the frames they complete."""
        if not data:
            return self.flush(now)
        frames = self.flush(now)  # a pause before this read may already have ended a frame
        self._last = now
        if self.suffix is Suffix.NONE:
            if not self._discarding:
                self._buf += data
                if len(self._buf) > self.max_len:
                    self._overflow()
            return frames
        if self._after_cr and data[:1] == b"\n":
            data = data[1:]
        self._after_cr = False
        parts = (self._buf + data).split(self._term)
        rest = parts.pop()
        if self.suffix is Suffix.CR:
            # Each part after a CR may start with the LF of a CRLF.
            self._after_cr = not rest and bool(parts)
            parts = [parts[0]] + [p[1:] if p[:1] == b"\n" else p for p in parts[1:]] \
                if parts else parts
            if parts and rest[:1] == b"\n":
                rest = rest[1:]
        elif self.suffix is Suffix.LF:
            parts = [p[:-1] if p[-1:] == b"\r" else p for p in parts]
        for part in parts:
            if self._discarding:
                self._discarding = False  # the tail of an over-long run ends here
            elif len(part) > self.max_len:
                self.overlong += 1
            else:
                frame = self._strip(part)
                if frame:
                    frames.append(frame)
        if self._discarding:
            self._buf = b""
        else:
            self._buf = rest
            if len(rest) > self.max_len:
                self._overflow()
        return frames

    def flush(self, now: float) -> list[bytes]:
        """Call when a read timed out: emits a NONE-suffix frame after its pause, discards a
        stale partial frame. Returns the frames completed by the passage of time."""
        deadline = self.deadline()
        if deadline is None or now < deadline:
            return []
        buf, discarding = self._buf, self._discarding
        self.reset()
        if discarding:
            return []
        if self.suffix is Suffix.NONE:
            frame = self._strip(buf)
            return [frame] if frame else []
        self.stale += 1
        return []

    def _overflow(self) -> None:
        self.overlong += 1
        self._buf = b""
        self._discarding = True

    def _strip(self, frame: bytes) -> bytes:
        if self.prefix and frame.startswith(self.prefix):
            return frame[len(self.prefix):]
        return frame
