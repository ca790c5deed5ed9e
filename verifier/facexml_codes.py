"""Code lists and text formats of the OQS face-result XML, each with where it was read (docs/facexml.md).

Only codes a public source lists are here; `facexml` writes a coded element only when its value is in
the element's list, so a registry value no reader knows is left out instead of breaking the reader.
Sources (keys used below; full references in docs/facexml.md):
  MC  hangilc/myclinic-ts packages/onshi-result/codes.ts (cites OQSCD006, OQSCD012, OQSCD013)
  YE  YUKI-ENT/OQSDrug2 OQSDrug/QualificationFaceExporter.cs (a face-XML writer)
  RW  a public Node face-folder watcher (ResWatcher field map, docs/facexml.md, sources)
  ORCA  日医標準レセプトソフト API 患者基本情報の取得 (patientget, 2025-01-28 items)
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from types import MappingProxyType


def _table(entries: dict[str, str]) -> Mapping[str, str]:
    return MappingProxyType(entries)


REFERENCE_CLASSIFICATION = _table({"1": "マイナンバーカード", "2": "被保険者証情報"})  # MC, RW
SEGMENT_OF_RESULT = _table({"1": "正常終了", "2": "処理中", "9": "異常終了"})  # MC
CHARACTER_CODE = _table({"0": "UTF-8", "1": "Shift_JIS"})  # MC, RW
PROCESSING_RESULT_STATUS = _table({"1": "正常終了", "2": "エラー"})  # MC (OQSCD004 per RW)
QUALIFICATION_VALIDITY = _table({  # OQSCD006 (MC); 6 from RW (医療扶助 only, never written by us)
    "1": "有効", "2": "無効", "3": "無効（新しい資格あり）", "4": "該当資格なし", "5": "複数該当"})
PRESCRIPTION_ISSUE_SELECT = _table({"1": "電子処方箋", "2": "紙の処方箋"})  # MC
INSURED_CARD_CLASSIFICATION = _table({  # MC
    "01": "被保険者証（一般）", "02": "被保険者証（退職）", "03": "短期被保険者証（一般）",
    "04": "短期被保険者証（退職）", "05": "被保険者資格証明書", "06": "特例退職被保険者証", "07": "自衛官診療証"})
PERSONAL_FAMILY = _table({"1": "本人", "2": "家族"})  # MC, RW
SEX = _table({"1": "男", "2": "女", "3": "未設定"})  # MC, RW
PRESCHOOL = _table({"1": "未就学該当"})  # MC
REASON_OF_LOSS = _table({"01": "死亡", "02": "生活保護受給開始", "03": "医療保険等の資格取得", "99": "その他"})  # MC
LIMIT_CERTIFICATE_CLASSIFICATION = _table({  # 証の種類 (MC)
    "01": "限度額適用区分認定証", "02": "限度額適用・標準負担額減額認定証", "03": "標準負担額減額認定証"})
LIMIT_CERTIFICATE_FLAG = _table({  # 適用区分, OQSCD012 (MC): A = under 70, B = 70 and over
    "A01": "ア", "A02": "イ", "A03": "ウ", "A04": "エ", "A05": "オ", "A06": "オ（境）",
    "B01": "現役並みⅢ", "B02": "現役並みⅡ", "B03": "現役並みⅠ", "B04": "一般", "B05": "低所得Ⅱ",
    "B06": "低所得Ⅰ", "B07": "低所得Ⅰ（老福）", "B08": "低所得Ⅰ（境）", "B09": "一般Ⅱ", "B10": "一般Ⅰ"})
SPECIFIC_DISEASE_CATEGORY = _table({  # OQSCD013 (MC): one digit
    "1": "人工透析を必要とする慢性腎不全", "2": "先天性血液凝固因子障害（第VIII因子、第IX因子）",
    "3": "血液凝固因子製剤の投与に起因するHIV感染症"})
CONSENT_FLAG = _table({"0": "同意なし", "1": "同意あり"})  # MC (限度額 0/1; 特定疾病 adds 2 = 期限切れ)

# 法別番号 39 (the first two of the eight insurer digits) is 後期高齢者医療; myclinic-ts's isKoukikourei
# tests the same, and only those files carry InsuredPartialContributionRatio ("後期高齢者の一部負担割合", MC).
LATE_ELDERLY_LAW_NUMBER = "39"


def is_late_elderly(insurer_number: str) -> bool:
    return insurer_number.strip().startswith(LATE_ELDERLY_LAW_NUMBER) and len(insurer_number.strip()) == 8


# --- half-width kana (NameKana is "氏名（半角カナ）", MC; the sample file carries "ｼﾝﾘｮｳ ﾀﾛｳ") ------------

_SMALL_OLD = {"ヵ": "カ", "ヶ": "ケ", "ヮ": "ワ", "ヰ": "イ", "ヱ": "エ"}  # no half-width form: nearest sound


def _halfwidth_table() -> dict[str, str]:
    table: dict[str, str] = {"\u3000": " ", "・": "･", "ー": "ｰ", "－": "-", "゛": "ﾞ", "゜": "ﾟ"}
    for code in range(0xFF61, 0xFFA0):  # every half-width katakana and its full-width (NFKC) form
        half = chr(code)
        table.setdefault(unicodedata.normalize("NFKC", half), half)
    for code in range(0x30A1, 0x30FB):  # voiced / semi-voiced: the base's half-width form + ﾞ or ﾟ
        full = chr(code)
        if full in table:
            continue
        parts = unicodedata.normalize("NFD", full)
        if len(parts) == 2 and parts[0] in table and parts[1] in ("\u3099", "\u309a"):
            table[full] = table[parts[0]] + ("ﾞ" if parts[1] == "\u3099" else "ﾟ")
    table["ヴ"] = "ｳﾞ"
    for old, base in _SMALL_OLD.items():
        table[old] = table[base]
    return table


_HALFWIDTH = _halfwidth_table()


def halfwidth_kana(text: str) -> str | None:
    """Full-width katakana/hiragana, spaces and ASCII to half-width; None if a character has no half-width
    reading (the element is then left out rather than carrying a wrong reading)."""
    out = []
    for ch in text:
        if "\u3041" <= ch <= "\u3096":  # hiragana -> katakana first
            ch = chr(ord(ch) + 0x60)
        if ch in _HALFWIDTH:
            out.append(_HALFWIDTH[ch])
        elif ch.isascii() and ch.isprintable():
            out.append(ch)
        elif "\uff01" <= ch <= "\uff5e":  # full-width ASCII
            out.append(chr(ord(ch) - 0xFEE0))
        else:
            return None
    return "".join(out)
