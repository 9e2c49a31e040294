#!/usr/bin/env python3
"""Rebuild the sample workspace (cases/ at the repository root) with kefu itself.

Every case is made by running the real binary with a fixed clock, step by step, so the
files are valid and their histories are real. Four weeks of complaints, 2026-10-26 to
2026-11-22, then a sweep on Monday 2026-11-23 09:00 (so the Friday report of week
2026-W47 has penalties to show).

Cases are closed in two steps, as the regulation has it (seed 000 7.4.1): the department
requests the close (with the root cause and countermeasure, which the sample's config
requires for moderate and severe complaints), and the clerk calls the customer back and
confirms. Complaints resolved on the spot are closed in one step. One call-back is made
late (竇女士), one request is still waiting for its call-back at the sweep (范先生).
On Monday the week's penalties are decided on: confirmed, one waived, one executed.
Two intakes are corrected with `kefu edit` (a mistyped phone number, 趙先生; the receipt
time of a voicemail, 潘太太), and 王先生 is a repeat customer (three complaints in
four weeks: `kefu show` names the earlier ones).

    cargo build --release && python3 tests/sample/make.py
"""
import datetime as dt
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
KEFU = os.environ.get("KEFU", str(ROOT / "target" / "release" / "kefu"))
TZ = dt.timezone(dt.timedelta(hours=8))

# (day, hh:mm, name, contact, channel, product, summary, request, category, level, department, story)
# story: what happens next — see STORIES below.
CASES = [
    ("10-26", "09:12", "王先生", "13800000001", "phone", "燒餅禮盒", "燒餅烙糊了,整盒都有焦味", "refund", "quality", "general", "service", "first"),
    ("10-26", "11:40", "Ann Lee", "ann.lee@example.com", "email", "Kettle K2", "Kettle leaks from the base after a week", "exchange", "quality", "moderate", "service", "first"),
    ("10-27", "14:05", "陳太太", "13912345678", "in_person", "電烤箱 KX-200", "烤箱第二次使用就冒煙", "exchange", "quality", "severe", "service", "second"),
    ("10-27", "16:30", "劉小姐", "13700000004", "social", None, "店員態度冷淡,問了三次沒人理", "apology", "attitude", "general", "admin", "spot"),
    ("10-28", "10:00", "Mark Brown", "+44 7700 900123", "web", "Order tracking", "Parcel shown delivered but never arrived", "refund", "delivery", "moderate", "sales", "first"),
    ("10-28", "15:20", "趙先生", "13600000006", "phone", None, "會員折扣沒有生效,多收了 35 元", "refund", "price", "general", "finance", "first"),
    ("10-29", "09:45", "孫女士", "13500000007", "dealer", "電熱水壺 H1", "經銷商說保修要另外收費", "repair", "after_sales", "moderate", "service", "defer_watch"),
    ("10-29", "13:10", "周先生", "13400000008", "phone", "會員系統", "App 積分兌換一直報錯", "explanation", "system", "general", "marketing", "first"),
    ("10-30", "10:30", "吳先生", "13300000009", "in_person", None, "要求退回已使用三個月的商品", "refund", "returns", "irrational", "sales", "irr_watch"),
    ("10-30", "18:00", "Sarah Chen", "sarah.chen@example.com", "email", "Bluetooth speaker S5", "Speaker stopped charging, shop refused repair", "repair", "after_sales", "moderate", "service", "second"),
    ("10-31", "11:11", "鄭小姐", "13200000011", "social", None, "客服電話一直打不通", "explanation", "communication", "general", "admin", "first"),
    ("10-31", "15:00", "馮先生", "13100000012", "other", "燒餅禮盒", "禮盒少了兩個燒餅", "compensation", "quality", "general", "service", "reject"),
    ("11-02", "09:30", "王先生", "13800000001", "phone", "電熱水壺 H1", "熱水壺開關失靈", "repair", "quality", "general", "service", "first"),
    ("11-02", "10:20", "David Wong", "david.wong@example.com", "web", "Gift card", "Gift card balance disappeared", "refund", "system", "severe", "finance", "first"),
    ("11-03", "14:00", "何太太", "13000000015", "phone", None, "送貨員把貨放在門口被雨淋濕", "compensation", "delivery", "moderate", "sales", "open_overdue"),
    ("11-03", "16:45", "呂先生", "15900000016", "in_person", None, "價格標籤和收銀價格不一致", "refund", "price", "general", "finance", "spot"),
    ("11-04", "10:05", "Emily Zhang", "emily.z@example.com", "email", "Kettle K2", "Second kettle with the same leak", "refund", "quality", "moderate", "service", "first"),
    ("11-04", "11:30", "施先生", "15800000018", "social", None, "在網上發帖說買到假貨,要求十倍賠償", "compensation", "quality", "irrational", "admin", "irr_monitor"),
    ("11-05", "09:00", "張小姐", "15700000019", "phone", "電烤箱 KX-200", "烤箱溫控不準,麵包烤焦", "exchange", "quality", "moderate", "service", "refused"),
    ("11-05", "17:20", "孔先生", "15600000020", "dealer", None, "退貨款兩周還沒到賬", "refund", "returns", "moderate", "finance", "second"),
    ("11-06", "10:40", "曹女士", "15500000021", "phone", None, "預約維修師傅沒來", "apology", "after_sales", "general", "service", "first"),
    ("11-06", "15:15", "James Liu", "james.liu@example.com", "web", "Order tracking", "Was charged twice for one order", "refund", "price", "moderate", "finance", "first"),
    ("11-07", "09:50", "嚴先生", "15300000023", "in_person", "燒餅禮盒", "燒餅過期一天還在賣", "refund", "quality", "severe", "sales", "first"),
    ("11-09", "13:00", "華小姐", "15200000024", "social", None, "促銷活動規則說明不清", "explanation", "communication", "general", "marketing", "first"),
    ("11-09", "16:20", "金先生", "15100000025", "phone", "電熱水壺 H1", "熱水壺底座生鏽", "exchange", "quality", "general", "service", "late_ack"),
    ("11-10", "10:10", "魏太太", "15000000026", "email", None, "換貨後的新品又有刮痕", "exchange", "returns", "moderate", "sales", "reopen"),
    ("11-10", "14:30", "Olivia Park", "olivia.park@example.com", "email", "Bluetooth speaker S5", "Speaker crackles at high volume", "exchange", "quality", "general", "service", "first"),
    ("11-11", "11:00", "陶先生", "18900000028", "phone", None, "雙十一訂單延遲一周發貨", "compensation", "delivery", "moderate", "sales", "second"),
    ("11-11", "20:45", "姜小姐", "18800000029", "social", None, "直播間承諾的贈品沒有收到", "other", "price", "general", "marketing", "first"),
    ("11-12", "09:25", "戚先生", "18700000030", "in_person", None, "要求經理當面道歉並免單", "apology", "attitude", "irrational", "admin", "irr_watch"),
    ("11-13", "10:15", "謝女士", "18600000031", "phone", "電烤箱 KX-200", "烤箱門把手脫落", "repair", "quality", "moderate", "service", "defer_monitor"),
    ("11-13", "15:40", "Tom Baker", "tom.baker@example.com", "web", None, "Website checkout keeps timing out", "explanation", "system", "general", "marketing", "first"),
    ("11-16", "09:05", "鄒先生", "18500000033", "phone", "電熱水壺 H1", "熱水壺燒水時有異味", "refund", "quality", "general", "service", "first"),
    ("11-16", "10:30", "柏小姐", "18400000034", "email", None, "發票開錯抬頭", "other", "price", "general", "finance", "spot"),
    ("11-16", "14:10", "Grace Ho", "grace.ho@example.com", "web", "Kettle K2", "Kettle lid hinge broke", "exchange", "quality", "general", "service", "open_overdue"),
    ("11-17", "09:40", "水先生", "18300000036", "dealer", None, "經銷商拒絕按全國價退差價", "refund", "price", "moderate", "sales", "late_ack"),
    ("11-17", "11:55", "竇女士", "18200000037", "phone", None, "送貨時間改了三次", "apology", "delivery", "general", "sales", "first"),
    ("11-17", "16:00", "章先生", "18100000038", "in_person", "燒餅禮盒", "燒餅裡有頭髮", "compensation", "quality", "severe", "service", "second"),
    ("11-18", "10:20", "雲小姐", "18000000039", "social", None, "客服回覆用語不禮貌", "apology", "attitude", "general", "admin", "first"),
    ("11-18", "13:35", "Kevin Ng", "kevin.ng@example.com", "email", "Bluetooth speaker S5", "Replacement speaker has the same fault", "refund", "after_sales", "moderate", "service", "promise"),
    ("11-18", "17:00", "蘇先生", "17900000041", "phone", None, "說我們的價格比網上貴就是欺詐", "discount", "price", "irrational", "sales", "irr_watch"),
    ("11-19", "09:15", "潘太太", "17800000042", "phone", "電烤箱 KX-200", "烤箱加熱管斷裂", "exchange", "quality", "moderate", "service", "first"),
    ("11-19", "14:50", "葛先生", "17700000043", "other", None, "退貨需要本人到店太麻煩", "explanation", "returns", "general", "sales", "reject"),
    ("11-20", "10:00", "奚小姐", "17600000044", "web", None, "優惠券無法疊加使用", "explanation", "system", "general", "marketing", "open_overdue"),
    ("11-20", "15:30", "王先生", "13800000001", "phone", "燒餅禮盒", "又一次燒餅烙糊了", "refund", "quality", "moderate", "service", "open"),
    ("11-21", "11:20", "范先生", "17500000046", "in_person", None, "售後維修費用比報價高", "refund", "after_sales", "moderate", "finance", "requested"),
    ("11-21", "16:40", "Lucy Tan", "lucy.tan@example.com", "email", None, "Newsletter kept coming after unsubscribing", "apology", "communication", "general", "marketing", "spot"),
    ("11-22", "10:10", "彭先生", "17400000048", "phone", "電熱水壺 H1", "熱水壺指示燈不亮", "repair", "quality", "general", "service", "received"),
    ("11-22", "14:25", "郎女士", "17300000049", "social", None, "在微博投訴門店排隊太久", "apology", "attitude", "moderate", "admin", "external"),
]

EXTERNAL = {"施先生", "郎女士"}
# Corrected ten minutes after the intake: the contact as first typed, then the right one;
# and a receipt time moved back to when the voicemail came in.
TYPO = {"趙先生": "1360000006"}
RECEIVED_EARLIER = {"潘太太": "08:50"}
# The clerk calls back 20 h after the request, past the 12 h limit.
LATE_CONFIRM = {"竇女士"}

# Root cause and countermeasure by category (seed 002 §2.1: prevent the same complaint).
CAUSES = {
    "quality": ("同批次產品品質不良", "通知供應商整改,加強入庫抽檢"),
    "delivery": ("物流商交接流程不清", "與物流商重新約定送貨與簽收流程"),
    "returns": ("退款審核流程過長", "退款改為每日審核,超過三天自動提醒"),
    "after_sales": ("維修報價與實際收費標準不一致", "統一維修價目表並在報價單註明"),
    "price": ("系統價格未及時同步", "價格變更後當日核對收銀系統"),
}
DEFAULT_CAUSE = ("作業說明不清", "更新門店作業指引並培訓員工")


def when(day, hm):
    month, d = map(int, day.split("-"))
    h, m = map(int, hm.split(":"))
    return dt.datetime(2026, month, d, h, m, tzinfo=TZ)


# The sample is made afresh in a workspace outside git, so that its ids start at 001
# again: inside this repository kefu would (rightly) never give an id that the history
# of cases/ already held.
WORK = pathlib.Path(tempfile.mkdtemp(prefix="kefu-sample-"))


LATEST = [dt.datetime(2026, 11, 23, 9, 0, tzinfo=TZ)]


def kefu(now, *args):
    LATEST[0] = max(LATEST[0], now)
    env = dict(os.environ, KEFU_ROOT=str(WORK), KEFU_NOW=now.isoformat())
    out = subprocess.run([KEFU, "--no-commit", *args], env=env, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"kefu {' '.join(args)} at {now}: {out.stderr.strip()}")
    return out.stdout.strip()


def close(i, t, requested, satisfaction="satisfied", remedy=None, text="已處理完畢,客戶確認", cause=None, one_step=False):
    """The department's request at `requested`, the clerk's call-back at `t`; or both at
    once at `t` (one_step, for what the clerk resolves on the spot)."""
    remedy = remedy or "refund"
    why = ["--cause", cause[0], "--countermeasure", cause[1]] if cause else []
    if one_step:
        kefu(t, "close", i, "--resolution", text, "--remedy", remedy, "--satisfaction", satisfaction,
             "--requested-at", requested.isoformat(), *why)
        return
    kefu(requested, "close", i, "--request", "--resolution", text, "--remedy", remedy, *why)
    if t is not None:
        kefu(t, "close", i, "--satisfaction", satisfaction, "--approved-by", "客服主管")


def run_story(i, t0, name, category, level, dept, request, story):
    h = dt.timedelta(hours=1)
    d = dt.timedelta(days=1)
    # Given for every department's close; the sample's config requires it for moderate
    # and severe complaints (and a second close of a general one is moderate by then).
    cause = CAUSES.get(category, DEFAULT_CAUSE)
    handoff_late = {"general": 5 * h, "moderate": 3 * h, "severe": 2 * h}.get(level, 30 * h)
    if story in ("reject",):
        kefu(t0 + 2 * h, "reject", i, "--reason", "經核實不屬於本店銷售或服務範圍,已向客戶說明")
        return
    if story == "received":
        return
    if story == "spot":
        kefu(t0 + 0.5 * h, "reply", i, "--text", "當場向客戶致歉並處理", "--to-customer")
        close(i, t0 + h, t0 + 0.5 * h, remedy=request if request != "other" else "apology", text="當場處理,客戶接受", one_step=True)
        return
    kefu(t0 + 0.5 * h, "handoff", i, "--to", dept)
    ack_at = t0 + (handoff_late if story == "late_ack" else 1.5 * h)
    kefu(ack_at, "ack", i)
    if story in ("open",):
        return
    kefu(ack_at + 3 * h, "reply", i, "--from", dept, "--text", "已聯繫客戶,正在安排處理")
    kefu(ack_at + 4 * h, "reply", i, "--text", "已告知客戶處理方案與時間", "--to-customer", "--written")
    if story.startswith("irr"):
        return
    if story.startswith("defer"):
        mode = story.split("_")[1]
        kefu(ack_at + 2 * d, "defer", i, "--reason", "需等待廠家檢測報告,短期內無法關閉", "--follow-up", mode)
        return
    if story == "open_overdue":
        return
    if story == "promise":
        kefu(ack_at + 5 * h, "reply", i, "--text", "答應客戶本周內回電告知檢測結果", "--to-customer", "--promise", "2026-11-24T18:00:00+08:00")
        return
    limit = {"general": 3, "moderate": 7, "severe": 15, "irrational": 30}[level]
    remedy = request if request not in ("other",) else "apology"
    if story in ("first", "late_ack"):
        req = t0 + d * min(limit - 1, 2) + 2 * h
        close(i, req + (20 if name in LATE_CONFIRM else 3) * h, req, remedy=remedy, cause=cause)
    elif story == "second":
        req = t0 + d * (limit + 2)
        close(i, req + 4 * h, req, remedy=remedy, text="延遲處理後解決,客戶接受", cause=cause)
    elif story == "refused":
        req = t0 + 2 * d
        close(i, req + 2 * h, req, satisfaction="dissatisfied", remedy=remedy, text="提出維修方案", cause=cause)
        req2 = t0 + 5 * d
        close(i, req2 + 2 * h, req2, satisfaction="accepted", remedy="exchange", text="改為換新,客戶接受", cause=cause)
    elif story == "requested":
        # Asked on Sunday evening; the call-back (due Monday 06:50) is not made yet.
        close(i, None, ack_at + 30 * h, remedy=remedy, text="已按報價退還差額", cause=cause)
    elif story == "reopen":
        req = t0 + 2 * d
        close(i, req + 2 * h, req, remedy=remedy, cause=cause)
        kefu(req + 3 * d, "reopen", i, "--reason", "客戶來電:第三次換貨仍有刮痕")
        kefu(req + 3 * d + h, "reply", i, "--from", dept, "--text", "安排上門驗貨")


def decide_penalties():
    """The penalty ledger (seed 7.8-7.9): on Monday 11-23 the general manager confirms
    last week's penalties but one, which is waived, and finance executes the first
    confirmed one. Only cases untouched since then, so no decision lies before an event
    that a story recorded later."""
    monday = dt.datetime(2026, 11, 23, 10, 0, tzinfo=TZ)
    penalties = json.loads(kefu(monday, "--json", "penalty", "list", "--week", "2026-W47"))
    quiet = []
    for p in penalties:
        case = json.loads(kefu(monday, "--json", "show", p["case"]))
        if max(dt.datetime.fromisoformat(e["at"]) for e in case["events"]) <= monday:
            quiet.append(p["pid"])
    if len(quiet) < 3:
        sys.exit(f"the sample needs three penalties to decide on, has {quiet}")
    kefu(monday, "penalty", "waive", quiet[-1], "--by", "總經理", "--reason", "供應商停電，非部門責任")
    kefu(monday, "penalty", "confirm", *quiet[:-1], "--by", "總經理")
    kefu(monday + dt.timedelta(hours=4), "penalty", "execute", quiet[0], "--by", "財務部", "--ref", "2026-11 薪資扣減")


def main():
    cases = ROOT / "cases"
    shutil.copytree(ROOT / "config", WORK / "config")
    (WORK / "cases").mkdir()
    for (day, hm, name, contact, channel, product, summary, request, category, level, dept, story) in CASES:
        t0 = when(day, hm)
        args = ["intake", "--name", name, "--contact", contact, "--channel", channel, "--summary", summary, "--request", request,
                "--category", category, "--level", level, "--department", dept]
        if product:
            args += ["--product", product]
        if level == "irrational":
            args += ["--follow-up", "monitor" if story == "irr_monitor" else "watch"]
        if name in EXTERNAL:
            args += ["--external"]
        if story == "received":
            args = args[:11]
        if name in TYPO:
            args[args.index(contact)] = TYPO[name]
        i = kefu(t0, *args)
        fix = t0 + dt.timedelta(minutes=10)
        if name in TYPO:
            kefu(fix, "edit", i, "--contact", contact, "--reason", "電話號碼少打一位,已與客戶核對")
        if name in RECEIVED_EARLIER:
            kefu(fix, "edit", i, "--received-at", when(day, RECEIVED_EARLIER[name]).isoformat(),
                 "--reason", "客戶留言時間為 08:50,按留言時間受理")
        run_story(i, t0, name, category, level, dept, request, story)
    kefu(dt.datetime(2026, 11, 23, 9, 0, tzinfo=TZ), "sweep")
    decide_penalties()
    # Some stories run past the sweep (a severe case closed in December): check at the
    # last step, so that no recorded event lies in the checker's future.
    kefu(LATEST[0], "check")
    for f in cases.rglob("*.toml"):
        f.unlink()
    for f in sorted((WORK / "cases").rglob("*.toml")):
        target = cases / f.relative_to(WORK / "cases")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(f, target)
    shutil.rmtree(WORK)
    print(f"{len(CASES)} sample cases in {cases}")


if __name__ == "__main__":
    main()
