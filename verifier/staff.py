"""The staff pages: today's receptions (Japan time) with method, validity, consents and whether a result came
late; the results refused (with the refusal code, until a re-send is accepted); the sign-in form.
Jinja2, autoescaped.

They show no insurance details or names: staff find those in the clinic software that reads the face XML.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from jinja2 import Environment, select_autoescape

from verifier.errors import CODES
from verifier.facexml import JST
from verifier.staff_calls import StaffCall
from verifier.store import ReceptionRow, parse_utc

METHOD = {"face": "顔認証 / face", "pin": "暗証番号 / PIN", "visual": "目視 / visual",
          "smartphone-android": "スマホ(Android) / smartphone (Android)",
          "smartphone-iphone": "スマホ(iPhone) / smartphone (iPhone)"}
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
 th { background: #f3f5f8; } .bad { color: #b00020; font-weight: bold; } .grace { color: #a66300; }
 table.refused { margin-bottom: 24px; } h2 { font-size: 18px; }
</style></head><body>
<form method="post" action="/staff/logout" style="float:right">{{ user }}
 <input type="hidden" name="csrf" value="{{ csrf }}"><button type="submit">ログアウト / sign out</button></form>
<h1>本日の受付 / Today's receptions</h1>
<p class="sub">{{ day }} — {{ rows|length }} 件 / receptions{% if counts %} ({% for label, n in counts %}
{{- label }}: {{ n }}{{ "、" if not loop.last }}{% endfor %}){% endif %}</p>
<p class="sub" id="phone-count">スマホ / smartphone: {{ phone_count }} 件</p>
{% if calls %}<h2 class="bad">職員の呼び出し / Staff calls</h2>
<table class="refused"><thead><tr><th>時刻 / time</th><th>端末 / kiosk</th><th>画面 / screen</th></tr></thead><tbody>
{% for c in calls %}<tr><td>{{ c.time }}</td><td>{{ c.kiosk }}</td><td>{{ c.reason }}</td></tr>{% endfor %}
</tbody></table>{% endif %}
{% if refused %}<h2 class="bad">受付できなかった結果 / Refused results ({{ open_refusals }} 未解決 / open)</h2>
<p class="sub">端末が自動で再送します。原因を直すと受け付けられます / the kiosk re-sends them; they are accepted once
the cause is fixed. <a href="/staff/refusals.csv">CSV</a></p>
<table class="refused"><thead><tr><th>最終 / last</th><th>端末 / kiosk</th><th>取引 / transaction</th>
<th>理由 / code</th><th>説明 / meaning</th><th>回数 / attempts</th><th>状態 / state</th></tr></thead><tbody>
{% for f in refused %}<tr><td>{{ f.last }}</td><td>{{ f.kiosk }}</td><td>{{ f.tx }}</td>
<td class="bad">{{ f.code }}</td><td>{{ f.meaning }}</td><td>{{ f.attempts }}</td>
<td class="{{ '' if f.accepted else 'bad' }}">
 {{ '受付済 / accepted ' ~ f.accepted if f.accepted else '未解決 / open' }}</td>
</tr>{% endfor %}</tbody></table>{% endif %}
<table><thead><tr><th>#</th><th>時刻 / time</th><th>本人確認 / method</th><th>資格 / validity</th>
<th>証明書 / certificate</th><th>利用登録 / registration</th><th>同意 / consents</th><th>端末 / kiosk</th></tr></thead>
<tbody>
{% for r in rows %}<tr>
<td>{{ r.id }}</td><td>{{ r.time }}
{% if r.delayed %}<br><span class="grace">遅延 / delayed {{ r.delayed }}</span>{% endif %}
{% if r.suspect %}<br><span class="bad">端末時計? / kiosk clock?</span>{% endif %}</td><td>{{ r.method }}</td>
<td class="{{ 'bad' if r.validity_code != '1' else '' }}">{{ r.validity }}</td>
<td class="{{ 'grace' if r.cert == 'grace' else '' }}">
 {{ '猶予期間(資格確認のみ) / grace' if r.cert == 'grace' else '有効 / valid' }}</td>
<td>{{ r.registration }}</td><td>{{ r.consents }}</td><td>{{ r.kiosk }}</td></tr>
{% else %}<tr><td colspan="8">本日の受付はまだありません / no receptions yet today</td></tr>{% endfor %}
</tbody></table></body></html>
"""
_LOGIN = """<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><title>スタッフ ログイン / Staff sign-in</title>
<style>body { font-family: "IPAGothic", sans-serif; margin: 48px; } label { display: block; margin: 8px 0; }
 .bad { color: #b00020; }</style></head><body>
<h1>スタッフ ログイン / Staff sign-in</h1>
{% if error %}<p class="bad">{{ error }}</p>{% endif %}
<form method="post" action="/staff/login">
<input type="hidden" name="csrf" value="{{ csrf }}">
<label>ユーザー / user <input name="username" autocomplete="username" maxlength="64"></label>
<label>パスワード / password <input name="password" type="password" autocomplete="current-password"
 maxlength="256"></label>
<button type="submit">ログイン / sign in</button></form></body></html>
"""
_NEED_LOGIN = """<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>ログインが必要です</title></head>
<body><p>ログインが必要です / sign-in required: <a href="/staff/login">/staff/login</a></p></body></html>
"""
_env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
_page = _env.from_string(_TEMPLATE)
_login = _env.from_string(_LOGIN)


def render_login(csrf: str, error: str = "") -> str:
    return _login.render(csrf=csrf, error=error)


def render_need_login() -> str:
    return _NEED_LOGIN


def _jst(text: str | None) -> str:
    return parse_utc(text).astimezone(JST).strftime("%m-%d %H:%M:%S") if text else ""


def _age(seconds: int) -> str:
    return f"{seconds // 86400}日 {seconds % 86400 // 3600}時間" if seconds >= 86400 else \
        f"{seconds // 3600}時間 {seconds % 3600 // 60}分" if seconds >= 3600 else f"{seconds // 60}分 {seconds % 60}秒"


def start_of_day_jst(now: datetime) -> datetime:
    return now.astimezone(JST).replace(hour=0, minute=0, second=0, microsecond=0)


def render(receptions: Sequence[ReceptionRow], now: datetime, refused: Sequence[Mapping[str, Any]] = (),
           user: str = "", csrf: str = "", staff_calls: Sequence[StaffCall] = ()) -> str:
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
            "delayed": _age(r.delay_s) if r.delay_s is not None else "",
            "suspect": bool(r.answer.get("clock_suspect")),
        })
    refusals = [{"last": _jst(f["last_at"]), "kiosk": f["kiosk_id"], "tx": f["transaction_id"], "code": f["code"],
                 "meaning": CODES.get(f["code"], (0, ""))[1], "attempts": f["attempts"],
                 "accepted": _jst(f["accepted_at"])} for f in refused]
    calls = [{"time": c.at.astimezone(JST).strftime("%H:%M:%S"), "kiosk": c.kiosk_id, "reason": c.reason}
             for c in staff_calls]
    by_method = Counter(r.method for r in receptions)
    counts = [(METHOD.get(m, m), n) for m, n in sorted(by_method.items())]
    phone_count = sum(n for m, n in by_method.items() if m.startswith("smartphone-"))
    return _page.render(rows=rows, counts=counts, phone_count=phone_count,
                        day=now.astimezone(JST).strftime("%Y-%m-%d"), refused=refusals, user=user,
                        csrf=csrf, open_refusals=sum(1 for f in refusals if not f["accepted"]), calls=calls)
