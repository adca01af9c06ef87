"""Synthetic reply texts, follow-ups and resolutions, in English and Japanese.

Every text is assembled from the phrase banks below around invented names, places, order
numbers and ``example.com`` / ``example.jp`` addresses; no text comes from a real company.
Each generated reply has an intended kind (``answer``, ``acknowledgement``, ``redirect``),
written to the study's ``reply_labels.csv`` so the classifier can be checked against it.
Some accounts have a copy-paste habit: they reuse one acknowledgement and one redirect text,
changing only the customer's name.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd

from helpers.data.timestamps import iso

FIRST_NAMES = {"en": ["Sam", "Priya", "Tom", "Aisha", "Ben", "Chloe", "Dan", "Ella", "Femi", "Grace",
                      "Harry", "Isla", "Jack", "Kiran", "Leah", "Mo"],
               "ja": ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤"]}
PLACES = {"en": ["Leeds", "Bristol", "Croydon", "Glasgow", "Norwich", "Cardiff", "York", "Bath"],
          "ja": ["新宿", "梅田", "博多", "栄", "札幌", "仙台", "横浜", "神戸"]}

BANKS: dict[str, dict[str, list[str]]] = {
    "en": {
        "answer:store_opening_hours": [
            "Hi {name}! Our {place} store is open {o}am-{cp}pm Monday to Saturday and 11am-5pm on Sundays. ^{ini}",
            "Hello {name}, {place} opens at {o}:00 and closes at {c}:00 today. Hope that helps! ^{ini}",
            "Thanks for asking, {name}. Opening hours for {place}: Mon-Fri {o}am-{cp}pm, Sat {o}am-6pm, Sun 10am-4pm. "
            "Every store is listed at https://www.example.com/stores",
            "Hi {name}, yes, {place} will be open until {cp}pm tonight and from {o}am tomorrow. -{ini}",
        ],
        "answer:returns": [
            "Hi {name}, you can return it within 28 days with your receipt for a full refund, in any store or by post. "
            "Details: https://www.example.com/returns ^{ini}",
            "Hello {name}! Returns are free: take it back to any store with proof of purchase within 30 days, or use "
            "the returns label in your parcel.",
            "Hi {name}, you'll need your order number {order}. Choose 'Return an item' in My Account and drop it at "
            "any collection point.",
            "Sorry it wasn't right, {name}. Unworn items can be returned within 14 days for a refund, which reaches "
            "your card in 3-5 working days. ^{ini}",
        ],
        "redirect": [
            "Hi {name}, sorry to hear that. Please DM us your order number and we'll look into it for you. ^{ini}",
            "Hello {name}, we'd love to help! Could you send us a direct message with your postcode so we can check?",
            "Hi {name}, our customer care team can help with this. Please call us on 0800 123 4567, lines are "
            "open 8am-8pm.",
            "Hi {name}, for questions like this please email customercare@example.com and the team will get back "
            "to you.",
            "Hi {name}, please tweet our customer service team at @{help} and they'll be happy to help.",
            "Thanks {name}. Please fill in the contact form at https://www.example.com/contact and we'll be in touch.",
        ],
        "acknowledgement": [
            "Thanks for getting in touch, {name}! We've passed this on to the team. ^{ini}",
            "Hi {name}, thanks for your message. We're looking into this for you and will come back to you soon.",
            "Sorry for the wait, {name}. I've shared your question with our store team. -{ini}",
            "Hi {name}, thanks for reaching out, we really appreciate your patience!",
        ],
    },
    "ja": {
        "answer:store_opening_hours": [
            "{name}様、お問い合わせありがとうございます。{place}店の営業時間は{o}:00〜{c}:00です。",
            "{name}様、{place}店は本日{c}時まで営業しております。",
            "{name}様 営業時間は平日{o}時から{c}時、土日は10時から18時です。店舗一覧はこちら https://example.jp/stores",
            "{name}様、{place}店は年中無休で、毎日{o}:00から{c}:00まで営業しております。",
        ],
        "answer:returns": [
            "{name}様、返品は商品到着後14日以内であれば承っております。レシートをお持ちください。",
            "{name}様、未使用品であれば30日以内に全店舗で返品・交換が可能です。詳しくは https://example.jp/returns をご覧ください。",
            "{name}様、ご不便をおかけし申し訳ございません。注文番号{order}の返品は、マイページの「返品手続き」から可能です。",
            "{name}様、返金は返品受付後5営業日以内にクレジットカードへ行われます。",
        ],
        "redirect": [
            "{name}様、お手数ですがDMにてご注文番号をお知らせください。",
            "{name}様、恐れ入りますが、詳細をダイレクトメッセージでお送りいただけますでしょうか。",
            "{name}様、お手数ですがカスタマーセンター(0120-123-456)までお電話ください。",
            "{name}様、恐れ入りますが、お問い合わせフォーム https://example.jp/contact よりご連絡ください。",
            "{name}様、サポート専用アカウント @{help} までお問い合わせください。",
            "{name}様、お手数ですが詳細をメールにて support@example.jp までお送りください。",
        ],
        "acknowledgement": [
            "{name}様、ご連絡ありがとうございます。担当部署に共有いたします。",
            "{name}様、ご不便をおかけして申し訳ございません。確認いたしますので少々お待ちください。",
            "{name}様、温かいお言葉をありがとうございます!スタッフ一同の励みになります。",
            "{name}様、貴重なご意見ありがとうございます。今後の参考にさせていただきます。",
        ],
    },
}

# Kind probabilities (answer, acknowledgement, redirect) by department; a negative message
# is bounced more often.
KIND_PROBS = {"customer_service": (0.6, 0.15, 0.25), "main": (0.35, 0.25, 0.4)}
NEGATIVE_SHIFT = 0.15


def _kind_probs(department: str, tone: str) -> np.ndarray:
    a, k, r = KIND_PROBS.get(department, KIND_PROBS["main"])
    if tone == "negative":
        a, r = a - NEGATIVE_SHIFT, r + NEGATIVE_SHIFT
    return np.array([a, k, r])


def _fill(template: str, rng, lang: str, help_handle: str) -> str:
    letters = "ABCDEFGHJKLMNPRSTW"
    return template.format(
        name=rng.choice(FIRST_NAMES[lang]), place=rng.choice(PLACES[lang]),
        o=int(rng.integers(8, 11)), c=(c := int(rng.integers(17, 22))), cp=c - 12,
        ini="".join(rng.choice(list(letters), 2)), order=f"{''.join(rng.choice(list(letters), 2))}{rng.integers(10**5, 10**6)}",
        help=help_handle,
    )


def add_reply_details(accounts: pd.DataFrame, probes: pd.DataFrame, rng: np.random.Generator, lang: str = "en",
                      templated_share: float = 0.5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fill ``first_reply_text``, the follow-up columns and ``resolved_publicly``.

    `probes` is a study table of strings (as written to ``probes.csv``) whose
    ``first_reply_at`` is already decided. Returns ``(probes, labels)`` where ``labels`` holds
    the intended kind of each reply (``probe_id, reply_kind``).
    """
    probes = probes.copy()
    bank = BANKS[lang]
    dept = dict(zip(accounts["account"], accounts["department"], strict=True))
    help_of = {c: a for c, a, d in zip(accounts["company"], accounts["account"], accounts["department"], strict=True)
               if d == "customer_service"}
    habit = {a: rng.random() < templated_share for a in accounts["account"]}
    fixed: dict[tuple[str, str], str] = {}
    used: dict[str, set[str]] = {}
    labels = []
    texts, fu_sent, fu_reply, resolved = [], [], [], []
    for r in probes.itertuples(index=False):
        reply = pd.Timestamp(r.first_reply_at) if r.first_reply_at else None
        end = pd.Timestamp(r.observed_until)
        if reply is None:
            texts.append("")
            fu_sent.append("")
            fu_reply.append("")
            resolved.append("")
            continue
        department = dept[r.account]
        kind = str(rng.choice(["answer", "acknowledgement", "redirect"], p=_kind_probs(department, r.tone)))
        pasted = [k for (a, k) in fixed if a == r.account]
        if habit[r.account] and pasted and rng.random() < 0.6:
            kind = pasted[0]  # a copy-paste habit: the stock reply goes out again
        key = f"answer:{r.question_type}" if kind == "answer" else kind
        options = bank.get(key, bank["acknowledgement"])
        help_handle = help_of.get(r.company, f"{r.company.split()[-1].lower()}_help")
        if kind == "redirect" and department == "customer_service":
            options = [o for o in options if "{help}" not in o]  # the help desk does not bounce to itself
        used.setdefault(r.account, set())
        if kind != "answer" and habit[r.account]:
            template = fixed.setdefault((r.account, kind), str(rng.choice(options)))
        else:
            fresh = [o for o in options if o not in used[r.account]] or options
            template = str(rng.choice(fresh))
        used[r.account].add(template)
        texts.append(_fill(template, rng, lang, help_handle))
        labels.append((r.probe_id, kind))
        # The customer writes back to most replies; service handles answer the follow-up more.
        if reply <= end and rng.random() < 0.7:
            sent = reply + timedelta(minutes=float(rng.uniform(5, 120)))
            p_follow = 0.7 if department == "customer_service" else 0.4
            answer = sent + timedelta(minutes=float(rng.lognormal(np.log(60), 1.0)))
            fu_sent.append(iso(sent) if sent <= end else "")
            fu_reply.append(iso(answer) if sent <= end and answer <= end and rng.random() < p_follow else "")
        else:
            fu_sent.append("")
            fu_reply.append("")
        # Answers close the case in public; redirected cases, when resolved, were resolved privately.
        if kind == "answer":
            resolved.append("true" if rng.random() < 0.9 else "")
        elif kind == "redirect":
            resolved.append("false" if rng.random() < 0.6 else "")
        else:
            resolved.append("")
    probes["first_reply_text"] = texts
    probes["follow_up_sent_at"] = fu_sent
    probes["follow_up_reply_at"] = fu_reply
    probes["resolved_publicly"] = resolved
    return probes, pd.DataFrame(labels, columns=["probe_id", "reply_kind"])


def template_families(rng: np.random.Generator, families: int, one_offs: int) -> list[str]:
    """Distinct reply texts of one busy account, for testing and timing template clustering.

    Each family is a base text of 10-24 invented words sent 1-19 times with up to two words
    changed (as a customer's name or product changes); the one-off texts share no base.
    """
    vocab = ["".join(rng.choice(list("abcdefghijklmnopqrstuvwxyz"), size=rng.integers(3, 9))) for _ in range(3000)]
    texts = []
    for _ in range(families):
        base = list(rng.choice(vocab, size=rng.integers(10, 25)))
        for _ in range(rng.integers(1, 20)):
            words = base.copy()
            for _ in range(rng.integers(0, 3)):
                words[rng.integers(len(words))] = rng.choice(vocab)
            texts.append(" ".join(words))
    texts += [" ".join(rng.choice(vocab, size=rng.integers(10, 25))) for _ in range(one_offs)]
    return list(dict.fromkeys(texts))
