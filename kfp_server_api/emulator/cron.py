"""Cron schedules as the KFP server reads them, and their firing times.

The server validates a job's ``cron`` with ``cron.Parse`` of robfig/cron (v1.2.0, the version
KFP 1.8.5 builds with) and the ScheduledWorkflow controller uses the same schedule to fire
runs. This module reads the same language with the same error messages:

- six fields ``second minute hour day-of-month month day-of-week``, or five (day-of-week is
  then ``*``). The first field is always seconds: ``"0 0 * * * *"`` is hourly and a classic
  crontab line ``"*/5 * * * *"`` fires every five seconds;
- each field a comma list of ``*`` or ``?``, ``n``, ``a-b``, with an optional ``/step``
  (``a/step`` means ``a-max/step``); months ``jan``..``dec`` and weekdays ``sun``..``sat`` by
  name, in any case. When day-of-month or day-of-week is ``*``/``?`` both must match a day,
  otherwise either;
- the descriptors ``@yearly``/``@annually``, ``@monthly``, ``@weekly``, ``@daily``/``@midnight``,
  ``@hourly`` and ``@every <Go duration>`` (whole seconds, at least one).

Times are Unix seconds and the time zone is UTC. ``next_after(t)`` is the first tick strictly
after ``t``; ``latest_at(t)`` the last tick at or before ``t``. Like the library, a schedule
whose next tick is more than five years away (``"0 0 0 30 2 *"``) never fires (None). Both
walk days, not seconds, so their cost does not grow with how far apart ticks are.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

__all__ = ["CronError", "CronSchedule", "EverySchedule", "Schedule", "parse"]

_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
_DAY = 86400
_YEAR_LIMIT = 5
_STAR = 1 << 63
# The times a date holds: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z.
_FIRST, _LAST = -62135596800, 253402300799


class CronError(ValueError):
    """A spec the library refuses; the message is the library's, word for word."""


@dataclass(frozen=True)
class _Bounds:
    low: int
    high: int
    names: tuple[str, ...] = ()  # names of low, low + 1, ...


_SECONDS = _Bounds(0, 59)
_MINUTES = _Bounds(0, 59)
_HOURS = _Bounds(0, 23)
_DOM = _Bounds(1, 31)
_MONTHS = _Bounds(
    1, 12, ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
)
_DOW = _Bounds(0, 6, ("sun", "mon", "tue", "wed", "thu", "fri", "sat"))
_FIELDS = (_SECONDS, _MINUTES, _HOURS, _DOM, _MONTHS, _DOW)


def _all(bounds: _Bounds) -> int:
    return _bits(bounds.low, bounds.high, 1) | _STAR


def _bits(low: int, high: int, step: int) -> int:
    value = 0
    for position in range(low, high + 1, step):
        value |= 1 << position
    return value


def _atoi(text: str) -> int:
    """Go's ``strconv.Atoi``: an optional sign and decimal digits, within int64."""
    if not re.fullmatch(r"[+-]?[0-9]+", text):
        raise CronError(
            f'Failed to parse int from {text}: strconv.Atoi: parsing "{text}": invalid syntax'
        )
    number = int(text)
    if not -(2**63) <= number < 2**63:
        raise CronError(
            f'Failed to parse int from {text}: strconv.Atoi: parsing "{text}": value out of range'
        )
    if number < 0:
        raise CronError(f"Negative number ({number}) not allowed: {text}")
    return number


def _int_or_name(text: str, bounds: _Bounds) -> int:
    lowered = text.lower()
    if lowered in bounds.names:
        return bounds.low + bounds.names.index(lowered)
    return _atoi(text)


def _range(expr: str, bounds: _Bounds) -> int:
    range_and_step = expr.split("/")
    low_and_high = range_and_step[0].split("-")
    extra = 0
    if low_and_high[0] in ("*", "?"):
        start, end, extra = bounds.low, bounds.high, _STAR
    else:
        start = _int_or_name(low_and_high[0], bounds)
        if len(low_and_high) == 1:
            end = start
        elif len(low_and_high) == 2:
            end = _int_or_name(low_and_high[1], bounds)
        else:
            raise CronError(f"Too many hyphens: {expr}")
    if len(range_and_step) == 1:
        step = 1
    elif len(range_and_step) == 2:
        step = _atoi(range_and_step[1])
        if len(low_and_high) == 1:  # "n/step" means "n-max/step"
            end = bounds.high
    else:
        raise CronError(f"Too many slashes: {expr}")
    if start < bounds.low:
        raise CronError(f"Beginning of range ({start}) below minimum ({bounds.low}): {expr}")
    if end > bounds.high:
        raise CronError(f"End of range ({end}) above maximum ({bounds.high}): {expr}")
    if start > end:
        raise CronError(f"Beginning of range ({start}) beyond end of range ({end}): {expr}")
    if step == 0:
        raise CronError(f"Step of range should be a positive number: {expr}")
    return _bits(start, end, step) | extra


def _field(text: str, bounds: _Bounds) -> int:
    value = 0
    for expr in text.split(","):
        if expr:  # empty pieces are skipped, as strings.FieldsFunc does
            value |= _range(expr, bounds)
    return value


class Schedule:
    """When a cron trigger fires."""

    def next_after(self, moment: int) -> int | None:
        """The first tick strictly after ``moment``, or None if there is none."""
        raise NotImplementedError

    def latest_at(self, moment: int) -> int | None:
        """The last tick at or before ``moment`` (looking back at most five years), or None."""
        raise NotImplementedError


@dataclass(frozen=True)
class EverySchedule(Schedule):
    """``@every <duration>``: a tick every ``seconds`` after the moment asked about."""

    seconds: int

    def next_after(self, moment: int) -> int | None:
        return moment + self.seconds

    def latest_at(self, moment: int) -> int | None:
        # Ticks are counted from the previous one, so the latest one is now itself.
        return moment


@dataclass(frozen=True)
class CronSchedule(Schedule):
    """A six-field schedule: one bit set per allowed value of each field (UTC)."""

    second: int
    minute: int
    hour: int
    dom: int
    month: int
    dow: int

    def _day_matches(self, day: datetime.date) -> bool:
        if not self.month >> day.month & 1:
            return False
        dom = bool(self.dom >> day.day & 1)
        dow = bool(self.dow >> ((day.weekday() + 1) % 7) & 1)
        if self.dom & _STAR or self.dow & _STAR:
            return dom and dow
        return dom or dow

    def _in_day(self, first: int, last: int, latest: bool) -> int | None:
        """The first (or last) allowed second of the day within [first, last] (day seconds)."""
        hours = range(first // 3600, last // 3600 + 1)
        for hour in reversed(hours) if latest else hours:
            if not self.hour >> hour & 1:
                continue
            low_minute = (first % 3600) // 60 if hour == first // 3600 else 0
            high_minute = (last % 3600) // 60 if hour == last // 3600 else 59
            minutes = range(low_minute, high_minute + 1)
            for minute in reversed(minutes) if latest else minutes:
                if not self.minute >> minute & 1:
                    continue
                base = hour * 3600 + minute * 60
                low_second = max(first - base, 0)
                high_second = min(last - base, 59)
                seconds = range(low_second, high_second + 1)
                for second in reversed(seconds) if latest else seconds:
                    if self.second >> second & 1:
                        return base + second
        return None

    def next_after(self, moment: int) -> int | None:
        start = moment + 1
        if start > _LAST:
            return None
        day_start = start - start % _DAY
        day = (_EPOCH + datetime.timedelta(seconds=day_start)).date()
        limit = day.year + _YEAR_LIMIT
        first = start - day_start
        while day.year <= limit:
            if self._day_matches(day):
                found = self._in_day(first, _DAY - 1, latest=False)
                if found is not None:
                    return day_start + found
            if day == datetime.date.max:
                return None
            day += datetime.timedelta(days=1)
            day_start += _DAY
            first = 0
        return None

    def latest_at(self, moment: int) -> int | None:
        moment = min(moment, _LAST)
        if moment < _FIRST:
            return None
        day_start = moment - moment % _DAY
        day = (_EPOCH + datetime.timedelta(seconds=day_start)).date()
        limit = day.year - _YEAR_LIMIT
        last = moment - day_start
        while day.year >= limit and day > datetime.date.min:
            if self._day_matches(day):
                found = self._in_day(0, last, latest=True)
                if found is not None:
                    return day_start + found
            day -= datetime.timedelta(days=1)
            day_start -= _DAY
            last = _DAY - 1
        return None


def _descriptor(spec: str) -> Schedule:
    # (minute, hour, day of month, month, day of week); the second is always 0.
    midnight = (1 << 0, 1 << 0)
    named = {
        "@yearly": (*midnight, 1 << 1, 1 << 1, _all(_DOW)),
        "@monthly": (*midnight, 1 << 1, _all(_MONTHS), _all(_DOW)),
        "@weekly": (*midnight, _all(_DOM), _all(_MONTHS), 1 << 0),
        "@daily": (*midnight, _all(_DOM), _all(_MONTHS), _all(_DOW)),
        "@hourly": (1 << 0, _all(_HOURS), _all(_DOM), _all(_MONTHS), _all(_DOW)),
    }
    named["@annually"] = named["@yearly"]
    named["@midnight"] = named["@daily"]
    if spec in named:
        return CronSchedule(1 << 0, *named[spec])
    every = "@every "
    if spec.startswith(every):
        try:
            nanoseconds = parse_go_duration(spec[len(every) :])
        except ValueError as exc:
            raise CronError(f"Failed to parse duration {spec}: {exc}") from None
        # Under a second counts as one; the rest is cut to whole seconds.
        return EverySchedule(max(nanoseconds, 10**9) // 10**9)
    raise CronError(f"Unrecognized descriptor: {spec}")


def parse(spec: str) -> Schedule:
    """The schedule of a cron spec; raises CronError with the library's message."""
    if not spec:
        raise CronError("Empty spec string")
    if spec[0] == "@":
        return _descriptor(spec)
    fields = spec.split()
    if not 5 <= len(fields) <= 6:
        raise CronError(f"Expected 5 to 6 fields, found {len(fields)}: {spec}")
    if len(fields) == 5:
        fields.append("*")
    bits = [_field(text, bounds) for text, bounds in zip(fields, _FIELDS)]
    return CronSchedule(*bits)


# --------------------------------------------------------------------------------------------
# Go durations (for @every)

_UNITS = {
    "ns": 1,
    "us": 10**3,
    "\u00b5s": 10**3,
    "\u03bcs": 10**3,
    "ms": 10**6,
    "s": 10**9,
    "m": 60 * 10**9,
    "h": 3600 * 10**9,
}
_COMPONENT = re.compile(r"([0-9]*)(?:\.([0-9]*))?([^0-9.]*)")


def parse_go_duration(text: str) -> int:
    """Go's ``time.ParseDuration``, in nanoseconds; ValueError with Go's message."""
    quoted = '"' + text + '"'
    body = text
    negative = body[:1] == "-"
    if body[:1] in ("-", "+"):
        body = body[1:]
    if body == "0":
        return 0
    if not body:
        raise ValueError(f"time: invalid duration {quoted}")
    total = 0
    while body:
        match = _COMPONENT.match(body)
        assert match is not None
        whole, fraction, unit = match.group(1), match.group(2), match.group(3)
        if not whole and not fraction:
            raise ValueError(f"time: invalid duration {quoted}")
        if not unit:
            raise ValueError(f"time: missing unit in duration {quoted}")
        if unit not in _UNITS:
            raise ValueError(f'time: unknown unit "{unit}" in duration {quoted}')
        scale = _UNITS[unit]
        value = int(whole or "0") * scale
        if fraction:
            value += int(fraction) * scale // 10 ** len(fraction)
        total += value
        if total > 2**63 - 1:
            raise ValueError(f"time: invalid duration {quoted}")
        body = body[match.end() :]
    return -total if negative else total
