"""Consent screens: id + version + text per language + SHA-256 of the exact text shown.

The texts live in `assets/consent/<id>.toml` (one file per screen) so a facility can review them without
reading code. The result records (id, version, sha256, lang, choice), which lets the backend prove what the
patient saw and answered.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from importlib import resources

from kiosk.config import KNOWN_CONSENT_SCREENS
from kiosk.errors import ConfigError

# What each kind of screen lets the patient answer (choice codes; labels are translated in the ui).
CHOICES_BY_KIND: dict[str, tuple[str, ...]] = {
    "comprehensive": ("consent_all", "individual"),
    "agree": ("consent", "decline"),
    "provide": ("consent", "decline"),
    "info": ("ok",),
    "prescription": ("electronic", "paper"),
}


@dataclass(frozen=True)
class ConsentText:
    item_id: str
    version: str
    kind: str
    medical_info: bool  # left out when the certificate is inside its grace period (eligibility only)
    titles: dict[str, str] = field(compare=False)
    texts: dict[str, str] = field(compare=False)

    @property
    def choices(self) -> tuple[str, ...]:
        return CHOICES_BY_KIND[self.kind]

    def lang_shown(self, lang: str) -> str:
        """The language actually shown: the requested one if the facility has that text, else Japanese."""
        return lang if lang in self.texts else "ja"

    def title(self, lang: str) -> str:
        return self.titles.get(lang) or self.titles["ja"]

    def text(self, lang: str) -> str:
        return self.texts[self.lang_shown(lang)]

    def sha256(self, lang: str) -> str:
        """Hash of title + text exactly as shown, so a changed text can never pass for an old version."""
        shown = self.lang_shown(lang)
        data = f"{self.item_id}\n{self.version}\n{shown}\n{self.title(shown)}\n{self.text(shown)}"
        return hashlib.sha256(data.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ConsentCatalogue:
    items: dict[str, ConsentText] = field(compare=False)

    def get(self, item_id: str) -> ConsentText:
        return self.items[item_id]


def parse_consent(item_id: str, raw: str) -> ConsentText:
    try:
        data = tomllib.loads(raw)
        titles = {str(k): str(v) for k, v in data["title"].items()}
        texts = {str(k): str(v).strip() for k, v in data["text"].items()}
        kind = str(data["kind"])
        item = ConsentText(
            item_id=str(data["id"]),
            version=str(data["version"]),
            kind=kind,
            medical_info=bool(data.get("medical_info", False)),
            titles=titles,
            texts=texts,
        )
    except (tomllib.TOMLDecodeError, KeyError, AttributeError, TypeError) as exc:
        raise ConfigError(f"consent text {item_id}: damaged ({exc.__class__.__name__}: {exc})") from exc
    if item.item_id != item_id or kind not in CHOICES_BY_KIND or "ja" not in texts or "ja" not in titles:
        raise ConfigError(f"consent text {item_id}: needs matching id, a known kind and a Japanese text")
    return item


def load_catalogue() -> ConsentCatalogue:
    """Every known consent screen from the packaged assets; a missing or damaged file is a ConfigError."""
    folder = resources.files("assets") / "consent"
    items: dict[str, ConsentText] = {}
    for item_id in KNOWN_CONSENT_SCREENS:
        try:
            raw = (folder / f"{item_id}.toml").read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"consent text {item_id}: cannot read ({exc.__class__.__name__})") from exc
        items[item_id] = parse_consent(item_id, raw)
    return ConsentCatalogue(items)
