from __future__ import annotations

from datetime import date
from pathlib import Path

from kiosk.staff import DailyCounts, StaffGate, hash_pin, verify_pin


def test_hash_round_trip_and_salt() -> None:
    a = hash_pin("2468", n=2**10)
    b = hash_pin("2468", n=2**10)
    assert a != b and a.startswith("scrypt$1024$8$1$")
    assert verify_pin("2468", a) and not verify_pin("2469", a)
    assert "2468" not in a


def test_malformed_hash_never_matches() -> None:
    for bad in ["", "scrypt$x", "bcrypt$1$2$3$YQ==$YQ==", "scrypt$1024$8$1$!!$YQ=="]:
        assert not verify_pin("2468", bad)


def test_lockout_after_five_wrong_and_release() -> None:
    now = [0.0]
    gate = StaffGate(hash_pin("2468", n=2**10), max_failures=5, lockout_s=300, clock=lambda: now[0])
    results = [gate.check("0000") for _ in range(5)]
    assert [r.tries_left for r in results] == [4, 3, 2, 1, 0]
    assert results[-1].locked_for_s == 300
    now[0] = 100.0
    locked = gate.check("2468")  # even the right PIN is refused while locked
    assert not locked.ok and locked.locked_for_s == 200
    now[0] = 301.0
    assert gate.check("2468").ok


def test_empty_hash_disables_staff_mode() -> None:
    assert not StaffGate("").check("").ok


def test_daily_counts_roll_over() -> None:
    day = [date(2026, 11, 21)]
    counts = DailyCounts(today=lambda: day[0])
    counts.add("face")
    counts.add("face")
    counts.add("pin")
    assert counts.snapshot() == {"face": 2, "pin": 1, "visual": 0}
    day[0] = date(2026, 11, 22)
    assert counts.snapshot() == {"face": 0, "pin": 0, "visual": 0}


def test_lockout_survives_a_restart(tmp_path: Path) -> None:
    pin_hash, state = hash_pin("2468", n=2**10), tmp_path / "staff_lockout.json"
    wall, mono = [1_000_000.0], [0.0]

    def gate() -> StaffGate:
        return StaffGate(pin_hash, max_failures=3, lockout_s=300, clock=lambda: mono[0], state_path=state,
                         wall=lambda: wall[0])

    first = gate()
    assert first.check("0000").tries_left == 2
    assert gate().check("0000").tries_left == 1  # the count itself survives a restart
    assert gate().check("0000").locked_for_s == 300
    wall[0] += 100
    mono[0] = 5.0  # a new process: its monotonic clock starts anywhere
    restarted = gate()
    locked = restarted.check("2468")
    assert not locked.ok and locked.locked_for_s == 200
    assert "2468" not in state.read_text()
    wall[0] -= 10_000  # the clock set back: still no longer than one lockout
    assert gate().check("2468").locked_for_s == 300
    wall[0] += 10_000 + 301
    assert gate().check("2468").ok


def test_unreadable_lockout_state_fails_safe(tmp_path: Path) -> None:
    state = tmp_path / "staff_lockout.json"
    state.write_text("{not json")
    gate = StaffGate(hash_pin("2468", n=2**10), lockout_s=300, state_path=state)
    assert gate.check("2468").locked_for_s > 0


def test_unwritable_lockout_state_still_counts(tmp_path: Path) -> None:
    gate = StaffGate(hash_pin("2468", n=2**10), max_failures=2, state_path=tmp_path / "missing" / "s.json")
    assert gate.check("0000").tries_left == 1
    assert gate.check("0000").locked_for_s > 0
