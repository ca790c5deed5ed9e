"""The soak bench's memory figures: computed from the samples, and a Python-level leak named by its line."""

from __future__ import annotations

from testbench.benches.reception_bench import PythonHeapTrace, malloc_mb, soak_figures


def _samples(n: int, mb_per_reception: float) -> list[dict[str, float]]:
    return [{"after": i, "rss_mb": 400.0 + mb_per_reception * i, "fds": 20, "threads": 16, "t_s": float(i),
             "malloc_in_use_mb": 50.0, "malloc_free_held_mb": 10.0 + i} for i in range(n)]  # fmt: skip


def test_drift_is_the_steady_slope_per_thousand() -> None:
    figures = soak_figures(_samples(101, 0.02))
    assert figures["drift_mb_per_1000"] == 20.0
    assert figures["steady_from_reception"] == 10
    assert figures["malloc_free_held_mb_every_10pct"][:3] == [10.0, 20.0, 30.0]
    assert figures["malloc_in_use_mb_every_10pct"] == [50.0] * 11
    assert "python_heap_mb_every_10pct" not in figures  # only with --trace-python


def test_malloc_figures_are_read_from_this_process() -> None:
    before = malloc_mb()
    held = bytearray(64 * 2**20)  # above malloc's mmap threshold: counted as in use until freed
    during = malloc_mb()
    del held
    assert during["malloc_in_use_mb"] - before["malloc_in_use_mb"] > 60


def test_a_python_leak_is_named_by_its_line() -> None:
    trace = PythonHeapTrace(steady_from=1)
    leak: list[bytes] = []
    try:
        for i in range(4):
            trace.sample(i)
            leak.extend(bytes(1000) + bytes([j % 256]) for j in range(500))  # the line that grows
    finally:
        trace.finish()
        growth = trace.growth(top=3)
    assert growth and "test_soak_figures.py" in growth[0] and "+" in growth[0].split("KiB")[0]


def test_records_come_back_in_order_and_stay_out_of_the_heap() -> None:
    import tracemalloc

    from testbench.benches.records import NamedRecords, RecordFile

    ticks, samples = RecordFile(2), NamedRecords()
    ticks.append(0.0, 0.0)
    samples.append({"after": 0, "rss_mb": 400.0})
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for i in range(1, 20_000):  # as many ticks as a few minutes of a soak
            ticks.append(float(i), i * 0.5)
        for i in range(1, 500):
            samples.append({"after": i, "rss_mb": 400.0 + i})
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grown < 4_000  # kept in memory, 20,000 rows of two floats would be at least 320 KB
    rows = list(ticks.rows())
    assert len(rows) == 20_000 and rows[0] == (0.0, 0.0) and rows[-1] == (19_999.0, 9_999.5)
    assert samples.rows()[499] == {"after": 499.0, "rss_mb": 899.0}
    ticks.close()


def test_a_late_tick_counts_for_every_step_it_overlaps() -> None:
    from testbench.benches.qt_driver import TICK_MS, StallProbe, StepSpan
    from testbench.benches.records import RecordFile

    probe = StallProbe.__new__(StallProbe)  # the recording half only: no Qt timer
    probe._ticks = RecordFile(2)
    for t in range(100):  # on time every 10 ms over 1 s ...
        probe._ticks.append(t * TICK_MS / 1000, 0.0)
    probe._ticks.append(1.3, 290.0)  # ... then one tick 290 ms late: the stall began at 1.0 s
    spans = [StepSpan("card read", 0.0, 0.5), StepSpan("PIN", 0.95, 1.05), StepSpan("submit", 1.2, 1.4),
             StepSpan("OCR", 1.35, 1.5)]  # fmt: skip
    by_step = probe.by_step(spans)
    assert max(by_step["card read"]) == 0.0
    assert 290.0 in by_step["PIN"] and 290.0 in by_step["submit"]
    assert "OCR" not in by_step  # began after that tick
