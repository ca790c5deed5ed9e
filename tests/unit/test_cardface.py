"""kiosk.cardface: 和暦, printed formats, 照合番号B and the guard, path by path."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from kiosk.cardface import (
    CardFront,
    CardFrontFields,
    CardFrontReading,
    Era,
    GuardAction,
    GuardPolicy,
    GuardReason,
    GuardState,
    PrintedBirthDate,
    cross_check,
    decide,
    era_of,
    format_expiry,
    from_era,
    mask_verification_b,
    parse_birth_text,
    parse_expiry_text,
    record_attempt,
    verification_b,
)
from kiosk.domain import Sex


def front(birth: date, *, foreign: bool = False, expiry: date = date(2030, 2, 17), code: str = "1234") -> CardFront:
    return CardFront("山田 太郎", "東京都千代田区霞が関1-1", birth, Sex.MALE, expiry, code, foreign)


# --- 和暦 ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "era", "year"),
    [
        (date(1980, 2, 17), Era.SHOWA, 55),
        (date(1926, 12, 24), Era.TAISHO, 15),
        (date(1926, 12, 25), Era.SHOWA, 1),
        (date(1989, 1, 7), Era.SHOWA, 64),
        (date(1989, 1, 8), Era.HEISEI, 1),
        (date(2019, 4, 30), Era.HEISEI, 31),
        (date(2019, 5, 1), Era.REIWA, 1),
        (date(1912, 7, 29), Era.MEIJI, 45),
        (date(1912, 7, 30), Era.TAISHO, 1),
    ],
)
def test_era_boundaries(day: date, era: Era, year: int) -> None:
    assert era_of(day) == (era, year)
    assert from_era(era, year, day.month, day.day) == day


@pytest.mark.parametrize(
    ("era", "year", "month", "day"),
    [
        (Era.HEISEI, 31, 5, 1),  # that day is 令和元年
        (Era.SHOWA, 64, 1, 8),  # that day is 平成元年
        (Era.REIWA, 1, 4, 30),  # 令和 had not started
        (Era.HEISEI, 0, 1, 1),
        (Era.SHOWA, 50, 2, 30),
    ],
)
def test_dates_outside_their_era_are_rejected(era: Era, year: int, month: int, day: int) -> None:
    with pytest.raises(ValueError):
        from_era(era, year, month, day)


def test_printed_birth_texts() -> None:
    assert front(date(1980, 2, 17)).birth_text() == "昭和55年 2月17日生"
    assert front(date(2019, 5, 1)).birth_text() == "令和元年 5月 1日生"
    assert front(date(1989, 1, 8)).birth_text() == "平成元年 1月 8日生"
    assert front(date(1980, 2, 17), foreign=True).birth_text() == "1980年 2月17日生"
    assert format_expiry(date(2030, 2, 17)) == "2030年 2月17日まで有効"


# --- 照合番号B ---------------------------------------------------------------------------------------


def test_verification_b_national_uses_era_year() -> None:
    assert verification_b(front(date(1980, 2, 17))) == "55021720301234"


def test_verification_b_foreign_resident_uses_gregorian_yy() -> None:
    assert verification_b(front(date(1980, 2, 17), foreign=True)) == "80021720301234"


def test_verification_b_gannen_is_01() -> None:
    assert verification_b(front(date(2019, 5, 1), code="0042")) == "01050120300042"


def test_verification_b_from_fields_matches_front() -> None:
    f = front(date(1995, 11, 3), expiry=date(2031, 11, 3), code="9081")
    fields = CardFrontFields(PrintedBirthDate(Era.HEISEI, 7, 11, 3), date(2031, 11, 3), "9081")
    assert verification_b(fields) == verification_b(f) == "07110320319081"


@pytest.mark.parametrize("code", ["123", "12345", "12a4", "１２３４"])
def test_verification_b_rejects_bad_codes(code: str) -> None:
    with pytest.raises(ValueError):
        verification_b(front(date(1980, 2, 17), code=code))


def test_repr_hides_personal_fields() -> None:
    text = repr(front(date(1980, 2, 17), code="8765"))
    for secret in ("山田", "霞が関", "1980", "8765", "MALE"):
        assert secret not in text
    assert mask_verification_b("55021720301234") == "55****2030****"


# --- the guard --------------------------------------------------------------------------------------------

VALUE = "55021720301234"


def test_guard_sends_a_fresh_value_with_enough_tries() -> None:
    d = decide(GuardState("card"), scan_id=1, value=VALUE, tries_left=5)
    assert d.action is GuardAction.SEND and d.reason is GuardReason.OK and d.send


def test_guard_needs_tries_left_read_first() -> None:
    d = decide(GuardState("card"), scan_id=1, value=VALUE, tries_left=None)
    assert d.action is GuardAction.RESCAN and d.reason is GuardReason.TRIES_UNKNOWN


@pytest.mark.parametrize(
    ("tries", "action"), [(3, GuardAction.SEND), (2, GuardAction.FALLBACK), (1, GuardAction.FALLBACK)]
)
def test_guard_default_stops_at_two(tries: int, action: GuardAction) -> None:
    assert decide(GuardState("card"), scan_id=1, value=VALUE, tries_left=tries).action is action


def test_guard_threshold_is_configurable() -> None:
    policy = GuardPolicy(stop_at=0)
    assert decide(GuardState("c"), scan_id=1, value=VALUE, tries_left=1, policy=policy).send
    d = decide(GuardState("c"), scan_id=1, value=VALUE, tries_left=0, policy=policy)
    assert d.action is GuardAction.FALLBACK and d.reason is GuardReason.BLOCKED
    with pytest.raises(ValueError):
        GuardPolicy(stop_at=-1)


def test_guard_counter_is_judged_before_the_value() -> None:
    d = decide(GuardState("card"), scan_id=1, value=None, tries_left=2)
    assert d.action is GuardAction.FALLBACK and d.reason is GuardReason.TOO_FEW_TRIES


def test_guard_asks_for_rescan_without_a_value() -> None:
    d = decide(GuardState("card"), scan_id=1, value=None, tries_left=5)
    assert d.action is GuardAction.RESCAN and d.reason is GuardReason.NO_VALUE


@pytest.mark.parametrize("bad", ["5502172030123", "550217203012345", "5502172030123x"])
def test_guard_refuses_malformed_values(bad: str) -> None:
    d = decide(GuardState("card"), scan_id=1, value=bad, tries_left=5)
    assert d.action is GuardAction.RESCAN and d.reason is GuardReason.MALFORMED


def test_guard_one_attempt_per_scan() -> None:
    state = record_attempt(GuardState("card"), scan_id=7, value=VALUE, accepted=False)
    d = decide(state, scan_id=7, value="55021720301235", tries_left=5)
    assert d.action is GuardAction.RESCAN and d.reason is GuardReason.SCAN_USED
    assert decide(state, scan_id=8, value="55021720301235", tries_left=4).send


def test_guard_never_repeats_a_failed_value() -> None:
    state = record_attempt(GuardState("card"), scan_id=1, value=VALUE, accepted=False)
    d = decide(state, scan_id=2, value=VALUE, tries_left=4)
    assert d.action is GuardAction.RESCAN and d.reason is GuardReason.ALREADY_FAILED
    assert VALUE.encode() not in state.failed  # only keyed hashes are kept
    assert VALUE not in repr(state)


def test_guard_forgets_nothing_after_a_success_but_allows_the_value_again() -> None:
    state = record_attempt(GuardState("card"), scan_id=1, value=VALUE, accepted=True)
    assert state.failed == frozenset()
    assert decide(state, scan_id=2, value=VALUE, tries_left=5).send


def test_guard_state_is_per_card() -> None:
    first = record_attempt(GuardState("card-a"), scan_id=1, value=VALUE, accepted=False)
    assert decide(first, scan_id=2, value=VALUE, tries_left=5).reason is GuardReason.ALREADY_FAILED
    assert decide(GuardState("card-b"), scan_id=2, value=VALUE, tries_left=5).send


# --- parsing and cross-checks -------------------------------------------------------------------------

TODAY = date(2026, 1, 1)


def fields(birth: PrintedBirthDate, expiry: date, code: str = "1234") -> CardFrontFields:
    return CardFrontFields(birth, expiry, code)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("昭和55年 2月17日生", PrintedBirthDate(Era.SHOWA, 55, 2, 17)),
        ("令和元年5月1日生", PrintedBirthDate(Era.REIWA, 1, 5, 1)),
        ("1980年 2月17日生", PrintedBirthDate(None, 1980, 2, 17)),
        ("平成7年11月 3日", PrintedBirthDate(Era.HEISEI, 7, 11, 3)),
    ],
)
def test_parse_birth_text(text: str, expected: PrintedBirthDate) -> None:
    assert parse_birth_text(text) == expected


@pytest.mark.parametrize(
    "text", ["昭和055年2月17日生", "80年2月17日生", "元年5月1日生", "昭和55年2月", "西暦1980年1月1日生"]
)
def test_parse_birth_text_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_birth_text(text)


def test_parse_expiry_text() -> None:
    assert parse_expiry_text("2030年 2月17日まで有効") == date(2030, 2, 17)
    assert parse_expiry_text("2030年2月17日") == date(2030, 2, 17)
    with pytest.raises(ValueError):
        parse_expiry_text("230年2月17日まで有効")


def test_cross_check_accepts_a_real_looking_card() -> None:
    f = fields(PrintedBirthDate(Era.SHOWA, 55, 2, 17), date(2030, 2, 17))
    assert cross_check(f, today=TODAY) == []
    foreign = fields(PrintedBirthDate(None, 1990, 6, 5), date(2027, 9, 30))  # residence period: any day
    assert cross_check(foreign, today=TODAY) == []


@pytest.mark.parametrize(
    ("birth", "expiry", "problem"),
    [
        (PrintedBirthDate(Era.HEISEI, 31, 5, 1), date(2030, 5, 1), "birth date impossible for its era"),
        (PrintedBirthDate(Era.SHOWA, 55, 2, 17), date(2030, 2, 18), "expiry is not on the birthday"),
        (PrintedBirthDate(Era.SHOWA, 55, 2, 17), date(2025, 2, 17), "card expired"),
        (PrintedBirthDate(Era.SHOWA, 55, 2, 17), date(2037, 2, 17), "expiry more than 10 years ahead"),
        (PrintedBirthDate(Era.HEISEI, 14, 2, 17), date(2028, 2, 17), "age at expiry outside the validity rules"),
        (PrintedBirthDate(Era.REIWA, 9, 2, 17), date(2030, 2, 17), "birth date implausible"),
        (PrintedBirthDate(None, 2030, 1, 1), date(2028, 1, 1), "expiry before birth"),
    ],
)
def test_cross_check_catches(birth: PrintedBirthDate, expiry: date, problem: str) -> None:
    assert problem in cross_check(fields(birth, expiry), today=TODAY)


def test_cross_check_leap_day_birthday() -> None:
    f = fields(PrintedBirthDate(Era.HEISEI, 4, 2, 29), date(2031, 2, 28))  # 1992-02-29
    assert cross_check(f, today=TODAY) == []


def test_cross_check_with_certificate_dates() -> None:
    f = fields(PrintedBirthDate(Era.SHOWA, 55, 2, 17), date(2030, 2, 17))
    jst_midnight = datetime(2030, 2, 16, 15, 0, tzinfo=UTC)  # 2030-02-17 00:00 JST
    assert cross_check(f, today=TODAY, cert_not_after=jst_midnight) == []
    later = datetime(2031, 2, 17, 0, 0, tzinfo=UTC)
    assert "certificate outlives the card" in cross_check(f, today=TODAY, cert_not_after=later)
    odd_day = datetime(2029, 6, 1, 0, 0, tzinfo=UTC)
    assert "certificate expiry is not on the birthday" in cross_check(f, today=TODAY, cert_not_after=odd_day)
    early = datetime(1970, 1, 1, tzinfo=UTC)
    assert "certificate issued before birth" in cross_check(f, today=TODAY, cert_not_before=early)


def test_reading_hides_its_value() -> None:
    r = CardFrontReading("55021720301234", 0.9, "ok")
    assert "55021720301234" not in repr(r) and r.masked() == "55****2030****" and not r.rescan
    assert CardFrontReading(None, 0.1, "low confidence").rescan


def test_cross_check_takes_naive_certificate_times_as_utc() -> None:
    f = fields(PrintedBirthDate(Era.SHOWA, 55, 2, 17), date(2030, 2, 17))
    assert cross_check(f, today=TODAY, cert_not_after=datetime(2030, 2, 17, 14, 59, 59)) == []
    assert "certificate outlives the card" in cross_check(f, today=TODAY, cert_not_after=datetime(2030, 2, 17, 15, 0))
