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
        growth = trace.growth(top=3)
    assert growth and "test_soak_figures.py" in growth[0] and "+" in growth[0].split("KiB")[0]
