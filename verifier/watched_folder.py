"""The folder clinic software watches: files appear whole, under a configurable name, and age out.

Contract (docs/facexml.md, "Watched folder"):
- a file is written as `.<name>.part` in the same folder, flushed and fsync'd, renamed to `<name>` (an atomic
  rename on one file system), and the folder itself is fsync'd, so a watcher sees either no file or the whole
  file, also across a power cut;
- only names ending in `.xml` are final: watchers that filter on the suffix (the public ones do) never pick
  up a part file;
- each written name is appended to a ledger (`.written`, in the folder), so a file the reader has already
  imported and moved or deleted is not written again by the start-up repair;
- files this folder wrote that are older than the retention are deleted by `purge` (readers that leave
  imported files in place would otherwise fill the disk); retention None keeps everything.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

log = logging.getLogger(__name__)

LEDGER = ".written"


@dataclass(frozen=True)
class FolderPolicy:
    """How result files are named and kept. `template` fields: institution, process, reception, timestamp."""

    template: str = "OQSsiquc01res_face_{institution}{process}{reception:08d}_{timestamp}.xml"
    process_code: str = "01"
    retention: timedelta | None = None

    def name(self, institution: str, reception: int, timestamp: str) -> str:
        name = self.template.format(institution=institution, process=self.process_code, reception=reception,
                                    timestamp=timestamp)
        if "/" in name or name.startswith(".") or not name.endswith(".xml"):
            raise ValueError(f"face XML name template gives {name!r}: it must be a plain *.xml name")
        return name


class WatchedFolder:
    def __init__(self, folder: Path, policy: FolderPolicy | None = None) -> None:
        self.folder = folder
        self.policy = policy or FolderPolicy()
        self._lock = threading.Lock()
        self._written: set[str] | None = None

    def write(self, name: str, content: bytes) -> Path:
        failed = self.write_many([(name, content)])
        if failed:
            raise failed[0][1]
        return self.folder / name

    def write_many(self, files: Sequence[tuple[str, bytes]]) -> list[tuple[str, OSError]]:
        """Each file as in the contract (its own fsync before its rename, so each appears whole), with one
        folder fsync and one ledger append for all of them: what a queue of files behind a busy disk pays
        once instead of per file. A file that fails is left out (the others are still written) and returned
        with its error; its reception is written again by the start-up repair."""
        self.folder.mkdir(parents=True, exist_ok=True)
        failed: list[tuple[str, OSError]] = []
        staged: list[str] = []
        for name, content in files:
            temporary = os.path.join(self.folder, f".{name}.part")
            try:
                with open(temporary, "wb") as out:
                    out.write(content)
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(temporary, os.path.join(self.folder, name))
            except OSError as exc:
                failed.append((name, exc))
                continue
            staged.append(name)
        if not staged:
            return failed
        _fsync_dir(self.folder)  # the renames are durable before the ledger says the files were written
        with self._lock:
            self._ledger().update(staged)
            with open(self.folder / LEDGER, "a", encoding="utf-8") as ledger:
                ledger.write("".join(name + "\n" for name in staged))
        return failed

    def was_written(self, name: str) -> bool:
        """True once this folder has written `name`, whether or not the reader has taken it away since."""
        with self._lock:
            return name in self._ledger() or (self.folder / name).exists()

    def purge(self, now: float | None = None) -> int:
        """Delete written files older than the retention; returns how many."""
        if self.policy.retention is None or not self.folder.is_dir():
            return 0
        cutoff = (now if now is not None else time.time()) - self.policy.retention.total_seconds()
        removed = 0
        with self._lock:
            written = self._ledger()
            for path in self.folder.glob("*.xml"):
                if path.name in written and path.stat().st_mtime < cutoff:
                    path.unlink(missing_ok=True)
                    removed += 1
        if removed:
            log.info("face XML retention: removed %d files older than %s", removed, self.policy.retention)
        return removed

    def _ledger(self) -> set[str]:
        if self._written is None:
            path = self.folder / LEDGER
            self._written = set(path.read_text(encoding="utf-8").split()) if path.exists() else set()
        return self._written


def _fsync_dir(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:  # a platform without directory descriptors: the rename is still atomic
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
