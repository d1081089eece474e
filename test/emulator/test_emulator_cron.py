"""The emulator's cron language (robfig/cron v1.2.0 as KFP 1.8.5 reads it) and its ticks."""

from __future__ import annotations

import datetime

import pytest

from kfp_server_api.emulator import cron


def at(text: str) -> int:
    moment = datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.timezone.utc)
    return int(moment.timestamp())


def shown(seconds: int | None) -> str | None:
    if seconds is None:
        return None
    moment = datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


NEXT = [
    # (spec, after, first tick strictly after)
    ("0 0 * * * *", "2022-03-01T10:00:00", "2022-03-01T11:00:00"),
    ("0 0 * * * *", "2022-03-01T10:59:59", "2022-03-01T11:00:00"),
    ("1 * * * *", "2022-03-01T10:00:00", "2022-03-01T10:00:01"),  # five fields: seconds first
    ("*/5 * * * *", "2022-03-01T10:00:03", "2022-03-01T10:00:05"),  # every 5 seconds
    ("0 30 9 * * mon-fri", "2022-03-04T10:00:00", "2022-03-07T09:30:00"),  # Fri -> Mon
    ("0 0 0 1 JAN ?", "2022-03-01T00:00:00", "2023-01-01T00:00:00"),
    ("0 0 0 29 2 *", "2022-03-01T00:00:00", "2024-02-29T00:00:00"),
    ("0 0 0 13 * 5", "2022-03-01T00:00:00", "2022-03-04T00:00:00"),  # 13th OR Friday
    ("0 0 0 */10 * 5", "2022-03-01T00:00:00", "2022-03-11T00:00:00"),  # a star: 1,11,.. AND Fri
    ("0 0 12 1,15 * *", "2022-03-01T12:00:00", "2022-03-15T12:00:00"),
    ("30 10/20 * * * *", "2022-03-01T10:50:31", "2022-03-01T11:10:30"),
    ("@hourly", "2022-03-01T10:00:00", "2022-03-01T11:00:00"),
    ("@daily", "2022-03-01T10:00:00", "2022-03-02T00:00:00"),
    ("@midnight", "2022-03-01T10:00:00", "2022-03-02T00:00:00"),
    ("@weekly", "2022-03-01T10:00:00", "2022-03-06T00:00:00"),  # Sunday
    ("@monthly", "2022-03-01T10:00:00", "2022-04-01T00:00:00"),
    ("@yearly", "2022-03-01T10:00:00", "2023-01-01T00:00:00"),
    ("@annually", "2022-03-01T10:00:00", "2023-01-01T00:00:00"),
    ("@every 1h30m", "2022-03-01T10:00:00", "2022-03-01T11:30:00"),
    ("@every 500ms", "2022-03-01T10:00:00", "2022-03-01T10:00:01"),  # at least a second
    ("@every 2.5s", "2022-03-01T10:00:00", "2022-03-01T10:00:02"),  # whole seconds
]


@pytest.mark.parametrize(("spec", "after", "expected"), NEXT)
def test_next_tick(spec: str, after: str, expected: str) -> None:
    assert shown(cron.parse(spec).next_after(at(after))) == expected


LATEST = [
    ("0 0 * * * *", "2022-03-01T10:59:59", "2022-03-01T10:00:00"),
    ("0 0 * * * *", "2022-03-01T10:00:00", "2022-03-01T10:00:00"),  # at counts
    ("0 0 0 29 2 *", "2022-03-01T00:00:00", "2020-02-29T00:00:00"),
    ("0 30 9 * * mon-fri", "2022-03-06T10:00:00", "2022-03-04T09:30:00"),
]


@pytest.mark.parametrize(("spec", "moment", "expected"), LATEST)
def test_latest_tick(spec: str, moment: str, expected: str) -> None:
    assert shown(cron.parse(spec).latest_at(at(moment))) == expected


def test_an_impossible_day_never_fires() -> None:
    never = cron.parse("0 0 0 30 2 *")
    assert never.next_after(at("2022-03-01T00:00:00")) is None
    assert never.latest_at(at("2022-03-01T00:00:00")) is None


def test_a_year_of_seconds_costs_no_more_than_one_tick() -> None:
    every_second = cron.parse("* * * * * *")
    moment = at("2023-03-01T10:00:00")
    assert every_second.latest_at(moment) == moment
    assert every_second.next_after(moment) == moment + 1


ERRORS = [
    ("", "Empty spec string"),
    ("   ", "Expected 5 to 6 fields, found 0:    "),
    ("* * * *", "Expected 5 to 6 fields, found 4: * * * *"),
    ("* * * * * * *", "Expected 5 to 6 fields, found 7: * * * * * * *"),
    ("60 * * * *", "End of range (60) above maximum (59): 60"),
    ("* * 24 * *", "End of range (24) above maximum (23): 24"),
    ("* * * 0 *", "Beginning of range (0) below minimum (1): 0"),
    ("* * * * 13", "End of range (13) above maximum (12): 13"),
    ("* * * * * 7", "End of range (7) above maximum (6): 7"),
    ("5-1 * * * *", "Beginning of range (5) beyond end of range (1): 5-1"),
    ("*/0 * * * *", "Step of range should be a positive number: */0"),
    ("1-2-3 * * * *", "Too many hyphens: 1-2-3"),
    ("1/2/3 * * * *", "Too many slashes: 1/2/3"),
    ("x * * * *", 'Failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'),
    ("-1 * * * *", 'Failed to parse int from : strconv.Atoi: parsing "": invalid syntax'),
    ("* * * * foo", 'Failed to parse int from foo: strconv.Atoi: parsing "foo": invalid syntax'),
    ("@foo", "Unrecognized descriptor: @foo"),
    ("@every x", 'Failed to parse duration @every x: time: invalid duration "x"'),
    ("@every 1", 'Failed to parse duration @every 1: time: missing unit in duration "1"'),
    ("@every 1d", 'Failed to parse duration @every 1d: time: unknown unit "d" in duration "1d"'),
]


@pytest.mark.parametrize(("spec", "message"), ERRORS)
def test_bad_specs_get_the_library_message(spec: str, message: str) -> None:
    with pytest.raises(cron.CronError) as raised:
        cron.parse(spec)
    assert str(raised.value) == message


def test_names_are_case_insensitive() -> None:
    assert cron.parse("0 0 0 * JAN SUN") == cron.parse("0 0 0 * jan sun")
    assert cron.parse("0 0 0 * 1 0") == cron.parse("0 0 0 * Jan Sun")
