"""The printed card front (券面) as the kiosk sees it, and 照合番号B built from it. Stdlib only.

照合番号B = birth date YYMMDD **as printed** (era year for nationals, Gregorian YY for foreign residents)
+ expiry year YYYY + the 4-digit セキュリティコード under the photo (docs/card-reference.md §6.2).

Also holds the pure guard that decides whether a value read from the card front may be sent to the card:
照合番号B has a retry counter, and a patient never asked for a wrong value to be tried, so the kiosk sends
at most one value per scan, never repeats a value that already failed, and stops well before the counter
runs out (falling back to the PIN or to staff).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, timezone
from enum import Enum

from kiosk.domain import Sex

# --- 和暦 -------------------------------------------------------------------------------------------------


class Era(Enum):
    """Japanese eras since the Gregorian calendar; value = the kanji as printed."""

    MEIJI = "明治"
    TAISHO = "大正"
    SHOWA = "昭和"
    HEISEI = "平成"
    REIWA = "令和"

    @property
    def start(self) -> date:
        """First day of the era (明治: the proclamation date, 1868-10-23)."""
        return _ERA_START[self]

    @property
    def end(self) -> date | None:
        """Last day of the era, None for the current one."""
        eras = list(Era)
        i = eras.index(self)
        if i + 1 == len(eras):
            return None
        return date.fromordinal(eras[i + 1].start.toordinal() - 1)

    @classmethod
    def from_kanji(cls, text: str) -> Era:
        for era in cls:
            if era.value == text:
                return era
        raise ValueError(f"unknown era {text!r}")


_ERA_START = {
    Era.MEIJI: date(1868, 10, 23),
    Era.TAISHO: date(1912, 7, 30),
    Era.SHOWA: date(1926, 12, 25),
    Era.HEISEI: date(1989, 1, 8),
    Era.REIWA: date(2019, 5, 1),
}


def era_of(day: date) -> tuple[Era, int]:
    """(era, era year) of a Gregorian date; era year 1 is 元年."""
    for era in reversed(Era):
        if day >= era.start:
            return era, day.year - era.start.year + 1
    raise ValueError(f"{day} is before 明治")


def from_era(era: Era, era_year: int, month: int, day: int) -> date:
    """The Gregorian date of an era date; ValueError when the era did not run on that day."""
    if era_year < 1:
        raise ValueError("era year must be ≥ 1")
    result = date(era.start.year + era_year - 1, month, day)  # ValueError for 2月30日 and the like
    end = era.end
    if result < era.start or (end is not None and result > end):
        raise ValueError(f"{era.value}{era_year}年{month}月{day}日 is outside {era.value}")
    return result


def era_year_text(era_year: int) -> str:
    """'元' for year 1 (as printed on the card), otherwise the number."""
    return "元" if era_year == 1 else str(era_year)


# --- the printed birth date ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PrintedBirthDate:
    """The birth date as printed: `era` None means 西暦 (foreign residents), `year` is then Gregorian."""

    era: Era | None
    year: int
    month: int
    day: int

    @classmethod
    def of(cls, birth: date, *, foreign_resident: bool) -> PrintedBirthDate:
        if foreign_resident:
            return cls(None, birth.year, birth.month, birth.day)
        era, era_year = era_of(birth)
        return cls(era, era_year, birth.month, birth.day)

    def to_date(self) -> date:
        """Gregorian date; ValueError if the printed date cannot exist (e.g. 平成31年5月1日)."""
        if self.era is None:
            return date(self.year, self.month, self.day)
        return from_era(self.era, self.year, self.month, self.day)

    @property
    def yymmdd(self) -> str:
        return f"{self.year % 100:02d}{self.month:02d}{self.day:02d}"

    def text(self) -> str:
        """As printed: '昭和55年 2月17日生', '令和元年 5月 1日生', '1980年 2月17日生'."""
        year = f"{self.year}" if self.era is None else f"{self.era.value}{era_year_text(self.year)}"
        return f"{year}年{self.month:2d}月{self.day:2d}日生"


def format_expiry(expiry: date) -> str:
    """As printed: '2030年 2月17日まで有効'."""
    return f"{expiry.year}年{expiry.month:2d}月{expiry.day:2d}日まで有効"


SEX_PRINTED = {Sex.MALE: "男", Sex.FEMALE: "女", Sex.NOT_APPLICABLE: "－"}


# --- the card front ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CardFront:
    """What is printed on the front of a My Number card (personal fields kept out of repr)."""

    name: str = field(repr=False)
    address: str = field(repr=False)
    birth_date: date = field(repr=False)
    sex: Sex = field(repr=False)
    expiry: date
    security_code: str = field(repr=False)
    foreign_resident: bool = field(repr=False)

    @property
    def printed_birth(self) -> PrintedBirthDate:
        return PrintedBirthDate.of(self.birth_date, foreign_resident=self.foreign_resident)

    def birth_text(self) -> str:
        return self.printed_birth.text()

    def expiry_text(self) -> str:
        return format_expiry(self.expiry)


@dataclass(frozen=True)
class CardFrontFields:
    """The three fields 照合番号B is built from, as read off a card front (e.g. by OCR)."""

    birth: PrintedBirthDate = field(repr=False)
    expiry: date
    security_code: str = field(repr=False)


def verification_b(front_or_fields: CardFront | CardFrontFields) -> str:
    """照合番号B: printed birth YYMMDD + expiry year YYYY + 4-digit security code (14 ASCII digits)."""
    if isinstance(front_or_fields, CardFront):
        birth = front_or_fields.printed_birth
    else:
        birth = front_or_fields.birth
    code = front_or_fields.security_code
    if len(code) != 4 or not code.isascii() or not code.isdigit():
        raise ValueError("the security code is 4 digits")
    value = f"{birth.yymmdd}{front_or_fields.expiry.year:04d}{code}"
    assert len(value) == 14
    return value


def mask_verification_b(value: str) -> str:
    """For display: keep the printed birth year and the expiry year, hide month/day and the code."""
    if len(value) != 14:
        return "*" * len(value)
    return f"{value[:2]}****{value[6:10]}****"


# --- reading a card front: parsing, cross-checks, result --------------------------------------------------

_BIRTH_RE = re.compile(r"^(明治|大正|昭和|平成|令和)?(元|\d{1,4})年(\d{1,2})月(\d{1,2})日生?$")
_EXPIRY_RE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日(?:まで有効|まで|)$")
JST = timezone(timedelta(hours=9))

# Age at expiry a card can have: issued under 18 (under 20 before 2022-04) → 5th birthday after issue,
# issued at 18 or over → 10th birthday after issue. So a printed pair giving 25–27 was misread.
_AGE_AT_EXPIRY_OK = (range(5, 25), range(28, 131))


def parse_birth_text(text: str) -> PrintedBirthDate:
    """'昭和55年 2月17日生' / '令和元年 5月 1日生' / '1980年 2月17日生' → PrintedBirthDate (ValueError if not)."""
    m = _BIRTH_RE.match("".join(text.split()))
    if not m:
        raise ValueError("not a printed birth date")
    era_text, year_text, month, day = m.groups()
    era = Era.from_kanji(era_text) if era_text else None
    if era is None and (year_text == "元" or len(year_text) != 4):
        raise ValueError("a Gregorian birth year has 4 digits")
    if era is not None and (len(year_text) > 2 or year_text.startswith("0")):
        raise ValueError("an era year has 1 or 2 digits")
    year = 1 if year_text == "元" else int(year_text)
    return PrintedBirthDate(era, year, int(month), int(day))


def parse_expiry_text(text: str) -> date:
    """'2030年 2月17日まで有効' → date (ValueError if not)."""
    m = _EXPIRY_RE.match("".join(text.split()))
    if not m:
        raise ValueError("not a printed expiry date")
    return date(int(m[1]), int(m[2]), int(m[3]))


def _jst_day(moment: datetime) -> date:
    """The calendar day in Japan (a naive datetime is taken as UTC, as certificates state times)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(JST).date()


def _same_birthday(day: date, birth: date) -> bool:
    if (birth.month, birth.day) == (2, 29):  # in common years the birthday is taken as 2/28 (or 3/1)
        return (day.month, day.day) in {(2, 28), (2, 29), (3, 1)}
    return (day.month, day.day) == (birth.month, birth.day)


def cross_check(
    fields: CardFrontFields,
    *,
    today: date,
    cert_not_before: datetime | None = None,
    cert_not_after: datetime | None = None,
) -> list[str]:
    """Why these fields cannot be what is printed on a valid card; empty when they are plausible.

    Checks: the era ran on that date, birth in the past and within 120 years, card not expired and at most
    10 years ahead, expiry on a birthday (nationals) at an age the validity rules allow, and, when the
    JPKI certificate's dates are given, the certificate inside the card's life.
    """
    problems: list[str] = []
    try:
        birth = fields.birth.to_date()
    except ValueError:
        return ["birth date impossible for its era"]
    expiry = fields.expiry
    if birth > today or birth.year < today.year - 120:
        problems.append("birth date implausible")
    if expiry < today:
        problems.append("card expired")
    if expiry.year > today.year + 10:
        problems.append("expiry more than 10 years ahead")
    age_at_expiry = expiry.year - birth.year - ((expiry.month, expiry.day) < (birth.month, birth.day))
    national = fields.birth.era is not None
    if national:
        if not _same_birthday(expiry, birth):
            problems.append("expiry is not on the birthday")
        if not any(age_at_expiry in r for r in _AGE_AT_EXPIRY_OK):
            problems.append("age at expiry outside the validity rules")
    elif age_at_expiry < 0:
        problems.append("expiry before birth")
    if cert_not_after is not None:
        cert_end = _jst_day(cert_not_after)
        if cert_end > expiry:
            problems.append("certificate outlives the card")
        if national and not _same_birthday(cert_end, birth) and cert_end != expiry:
            problems.append("certificate expiry is not on the birthday")
    if cert_not_before is not None and _jst_day(cert_not_before) < birth:
        problems.append("certificate issued before birth")
    return problems


@dataclass(frozen=True)
class CardFrontReading:
    """What one image of a card front gave: 照合番号B when confident and plausible, else None (re-scan).

    `confidence` is 0..1 (the weakest character the value depends on); `reason` says why there is no
    value ("ok" when there is one). The value is kept out of repr.
    """

    verification_b: str | None = field(repr=False)
    confidence: float
    reason: str

    @property
    def rescan(self) -> bool:
        return self.verification_b is None

    def masked(self) -> str:
        return "-" if self.verification_b is None else mask_verification_b(self.verification_b)


# --- the guard -------------------------------------------------------------------------------------------


class GuardAction(Enum):
    SEND = "send"  # send this value (one VERIFY)
    RESCAN = "rescan"  # ask for another image of the card front
    FALLBACK = "fallback"  # stop using 照合番号B: PIN or staff


class GuardReason(Enum):
    OK = "ok"
    NO_VALUE = "no_value"  # the reading gave no confident value
    TRIES_UNKNOWN = "tries_unknown"  # tries-left was not read first
    BLOCKED = "blocked"  # counter at 0
    TOO_FEW_TRIES = "too_few_tries"  # at or below the configured stop threshold
    ALREADY_FAILED = "already_failed"  # this value was wrong on this card in this session
    SCAN_USED = "scan_used"  # this scan already had its one attempt
    MALFORMED = "malformed"  # not 14 ASCII digits


@dataclass(frozen=True)
class GuardPolicy:
    """Only try while tries_left > stop_at (default 2: the last two tries are never spent by OCR)."""

    stop_at: int = 2

    def __post_init__(self) -> None:
        if self.stop_at < 0:
            raise ValueError("stop_at must be ≥ 0")


@dataclass(frozen=True)
class GuardDecision:
    action: GuardAction
    reason: GuardReason
    tries_left: int | None = None

    @property
    def send(self) -> bool:
        return self.action is GuardAction.SEND


@dataclass(frozen=True)
class GuardState:
    """What the guard remembers for one card in one session.

    Failed values are kept only as keyed hashes (a random per-session key), so the state itself never
    holds a 照合番号B in the clear. Create a new state when a different card is placed.
    """

    card_id: str
    key: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)
    failed: frozenset[bytes] = field(default_factory=frozenset, repr=False)
    used_scans: frozenset[int] = frozenset()

    def fingerprint(self, value: str) -> bytes:
        return hmac.new(self.key, value.encode("ascii"), hashlib.sha256).digest()


def _well_formed(value: str) -> bool:
    return len(value) == 14 and value.isascii() and value.isdigit()


def decide(
    state: GuardState,
    *,
    scan_id: int,
    value: str | None,
    tries_left: int | None,
    policy: GuardPolicy | None = None,
) -> GuardDecision:
    """Whether `value` (from scan `scan_id`) may be sent to the card whose counter reads `tries_left`.

    The order matters: the counter is judged first (it decides between fallback and re-scan), then the
    scan and the value.
    """
    policy = policy or GuardPolicy()
    if tries_left is None:
        return GuardDecision(GuardAction.RESCAN, GuardReason.TRIES_UNKNOWN, None)
    if tries_left <= 0:
        return GuardDecision(GuardAction.FALLBACK, GuardReason.BLOCKED, tries_left)
    if tries_left <= policy.stop_at:
        return GuardDecision(GuardAction.FALLBACK, GuardReason.TOO_FEW_TRIES, tries_left)
    if scan_id in state.used_scans:
        return GuardDecision(GuardAction.RESCAN, GuardReason.SCAN_USED, tries_left)
    if value is None:
        return GuardDecision(GuardAction.RESCAN, GuardReason.NO_VALUE, tries_left)
    if not _well_formed(value):
        return GuardDecision(GuardAction.RESCAN, GuardReason.MALFORMED, tries_left)
    if state.fingerprint(value) in state.failed:
        return GuardDecision(GuardAction.RESCAN, GuardReason.ALREADY_FAILED, tries_left)
    return GuardDecision(GuardAction.SEND, GuardReason.OK, tries_left)


def record_attempt(state: GuardState, *, scan_id: int, value: str, accepted: bool) -> GuardState:
    """The state after `value` from scan `scan_id` was sent; call it whatever the card answered."""
    used = state.used_scans | {scan_id}
    if accepted:
        return replace(state, used_scans=used)
    return replace(state, used_scans=used, failed=state.failed | {state.fingerprint(value)})
