"""Voice guidance and the card-left alarm: WAV files from assets/voice played with sox `play` or `aplay`.

A child process per clip keeps the GUI thread free (Popen returns at once) and works the same on a
machine with no sound card (the player just exits). The files are generated at build time by
`packaging/voices/build_voices.py` (`make voices`).
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from importlib import resources
from pathlib import Path

log = logging.getLogger(__name__)


def voice_folder() -> Path:
    return Path(str(resources.files("assets") / "voice"))


def _player() -> list[str] | None:
    if shutil.which("play"):
        return ["play", "-q"]
    if shutil.which("aplay"):
        return ["aplay", "-q"]
    return None


class WavSpeaker:
    def __init__(self, folder: Path | None = None, player: list[str] | None = None) -> None:
        self.folder = folder or voice_folder()
        self._player = player if player is not None else _player()
        self._voice: subprocess.Popen[bytes] | None = None
        self._alarm: subprocess.Popen[bytes] | None = None
        self.last_clip: Path | None = None
        if self._player is None:
            log.warning("no audio player (sox `play` or `aplay`): voice guidance is silent")

    def clip_path(self, clip: str, lang: str) -> Path | None:
        for candidate in (self.folder / lang / f"{clip}.wav", self.folder / "ja" / f"{clip}.wav"):
            if candidate.is_file():
                return candidate
        return None

    def play(self, clip: str, lang: str) -> None:
        self.stop()
        path = self.clip_path(clip, lang)
        self.last_clip = path
        if path is not None:
            self._voice = self._spawn([str(path)])

    def stop(self) -> None:
        _end(self._voice)
        self._voice = None

    def alarm(self, on: bool) -> None:
        _end(self._alarm)
        self._alarm = None
        path = self.folder / "alarm.wav"
        if on and path.is_file():
            # sox repeats the file itself; aplay plays it once (the screen banner keeps flashing anyway)
            extra = ["repeat", "200"] if self._player and self._player[0] == "play" else []
            self._alarm = self._spawn([str(path), *extra])

    def chime(self) -> None:
        """A ding-dong for staff nearby (a patient called them); beside the voice, not instead of it."""
        path = self.folder / "chime.wav"
        if path.is_file():
            self._spawn([str(path)])

    def _spawn(self, args: list[str]) -> subprocess.Popen[bytes] | None:
        if self._player is None:
            return None
        try:
            return subprocess.Popen(
                [*self._player, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
            )
        except OSError as exc:
            log.warning("audio player failed: %s", type(exc).__name__)
            return None

    def close(self) -> None:
        self.stop()
        _end(self._alarm)
        self._alarm = None


def _end(proc: subprocess.Popen[bytes] | None) -> None:
    if proc is not None and proc.poll() is None:
        proc.terminate()
