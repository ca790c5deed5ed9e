"""The staff page: today's receptions (Japan time) with method, validity and consents. Jinja2, autoescaped.

It shows no insurance details or names: staff find those in the clinic software that reads the face XML.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from jinja2 import Environment, select_autoescape

from verifier.facexml import JST
from verifier.store import ReceptionRow

METHOD = {"face": "顔認証 / face", "pin": "暗証番号 / PIN", "visual": "目視 / visual"}
VALIDITY = {"1": "有効 / valid", "2": "無効 / invalid", "3": "無効(新資格あり) / newer exists",
            "4": "該当なし / none", "5": "複数該当 / multiple", "6": "有効(未登録) / valid-unregistered"}
ITEM = {"limit_application": "限度額", "diagnosis": "診療", "pharmacists": "薬剤", "operation": "手術",
        "specific_health_checkups": "特定健診", "specific_diseases": "特定疾病", "public_expense": "医療費助成",
        "diagnosis_name": "傷病名", "infectious": "感染症", "allergy": "薬剤アレルギー",
        "other_allergy": "その他アレルギー",
        "test": "検査", "prescription_info": "処方"}

_TEMPLATE = """<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><title>本日の受付 / Today's receptions</title>
<meta http-equiv="refresh" content="15">
<style>
 body { font-family: "IPAGothic", "IPAPGothic", sans-serif; margin: 24px; color: #222; }
 h1 { font-size: 22px; margin: 0 0 4px; } p.sub { color: #666; margin: 0 0 16px; }
 table { border-collapse: collapse; width: 100%; font-size: 15px; }
 th, td { border-bottom: 1px solid #ddd; padding: 6px 10px; text-align: left; }
 th { background: #f3f5f8; } td.bad { color: #b00020; font-weight: bold; } .grace { color: #a66300; }
</style></head><body>
<h1>本日の受付 / Today's receptions</h1>
<p class="sub">{{ day }} — {{ rows|length }} 件 / receptions</p>
<table><thead><tr><th>#</th><th>時刻 / time</th><th>本人確認 / method</th><th>資格 / validity</th>
<th>証明書 / certificate</th><th>利用登録 / registration</th><th>同意 / consents</th><th>端末 / kiosk</th></tr></thead>
<tbody>
{% for r in rows %}<tr>
<td>{{ r.id }}</td><td>{{ r.time }}</td><td>{{ r.method }}</td>
<td class="{{ 'bad' if r.validity_code != '1' else '' }}">{{ r.validity }}</td>
<td class="{{ 'grace' if r.cert == 'grace' else '' }}">
 {{ '猶予期間(資格確認のみ) / grace' if r.cert == 'grace' else '有効 / valid' }}</td>
<td>{{ r.registration }}</td><td>{{ r.consents }}</td><td>{{ r.kiosk }}</td></tr>
{% else %}<tr><td colspan="8">本日の受付はまだありません / no receptions yet today</td></tr>{% endfor %}
</tbody></table></body></html>
"""
_env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
_page = _env.from_string(_TEMPLATE)


def start_of_day_jst(now: datetime) -> datetime:
    return now.astimezone(JST).replace(hour=0, minute=0, second=0, microsecond=0)


def render(receptions: Sequence[ReceptionRow], now: datetime) -> str:
    rows = []
    for r in receptions:
        consents = [ITEM.get(c["item"], c["item"]) for c in r.answer.get("consents", ()) if c["flag"] == "1"]
        rows.append({
            "id": r.id,
            "time": r.received_at.astimezone(JST).strftime("%H:%M:%S"),
            "method": METHOD.get(r.method, r.method),
            "validity_code": r.validity,
            "validity": VALIDITY.get(r.validity, r.validity),
            "cert": r.certificate_status,
            "registration": {"registered": "済 / done", "registered_now": "本日登録 / today",
                             "not_registered": "未登録 / not registered"}.get(r.answer.get("registration", ""), ""),
            "consents": "・".join(consents) or "なし / none",
            "kiosk": r.kiosk_id,
        })
    return _page.render(rows=rows, day=now.astimezone(JST).strftime("%Y-%m-%d"))
