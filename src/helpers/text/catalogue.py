"""Words of the reader-facing report in English and Japanese: `t(key, lang, **values)`.

Every heading, label and finding of the scorecards and the report index comes from here, so a
report switches language with one parameter (``lang``: ``en`` or ``ja``).
"""

from __future__ import annotations

import math

from helpers.text import formatting as fmt

LANGS = ("en", "ja")

TEXT: dict[str, dict[str, str]] = {
    # Scorecard
    "scorecard_title": {"en": "Scorecard: {company}", "ja": "{company} のスコアカード"},
    "scorecard_intro": {
        "en": "How {company} answered customers on social media in the study “{title}”, beside the "
              "other {n_peers} companies in it. Unless stated, the unit is the probe: one question sent "
              "to one account. Unanswered questions count as unanswered at the end of their "
              "observation window; they are never dropped.",
        "ja": "調査「{title}」において、{company} がソーシャルメディア上の問い合わせにどう応えたかを、"
              "同じ調査の他の {n_peers} 社と並べて示します。特に断りのない限り、単位はプローブ"
              "(1つのアカウントに送った1つの質問)です。回答のなかった質問は観察期間の終わりに"
              "「未回答」として数え、除外しません。",
    },
    "synthetic_banner": {
        "en": "SYNTHETIC DATA: invented for demonstration; it describes no real company.",
        "ja": "合成データ:説明のために作った架空のデータで、実在の企業を表すものではありません。",
    },
    "real_banner": {"en": "Real data. Source: {source}", "ja": "実データ。出典:{source}"},
    "scope_banner": {"en": "Every answer rate here is {scope}.", "ja": "ここでの回答率はすべて「{scope}」の値です。"},
    "h_findings": {"en": "What stands out", "ja": "主な結果"},
    "h_answer": {"en": "Answer rate", "ja": "回答率"},
    "h_speed": {"en": "Speed of the first reply", "ja": "最初の返信の速さ"},
    "h_handles": {"en": "Your accounts side by side", "ja": "アカウント別の比較"},
    "h_quality": {"en": "Quality of the replies", "ja": "返信の質"},
    "h_rank": {"en": "Rank among peers", "ja": "同業他社の中での順位"},
    "no_quality": {"en": "No reply texts were recorded for this company, so reply quality is not shown.",
                   "ja": "この企業の返信本文は記録されていないため、返信の質は示していません。"},
    "no_replies": {"en": "{company} sent no reply within the window, so there is no reply to judge.",
                   "ja": "{company} からは観察期間内に返信がなかったため、返信の質は評価できません。"},
    "one_account": {"en": "{company} was asked on one account only (@{account}).",
                    "ja": "{company} には1つのアカウント(@{account})にのみ質問しました。"},
    # Findings
    "f_answer": {
        "en": "You answered {k} of {n} questions ({share}; 95% CI {low}–{high}). The median company "
              "in this study answered {peer}.",
        "ja": "{n}件の質問のうち{k}件に回答しました({share}、95%信頼区間 {low}–{high})。"
              "この調査の企業の中央値は{peer}です。",
    },
    "f_speed": {
        "en": "Half of your questions were answered within {median} (95% CI {low}–{high}); "
              "{within_hour} were answered within an hour.",
        "ja": "質問の半数には{median}以内に返信がありました(95%信頼区間 {low}–{high})。"
              "1時間以内に返信があったのは{within_hour}です。",
    },
    "f_speed_not_reached": {
        "en": "Fewer than half of your questions were answered within the observation window, so the "
              "typical wait is longer than the window; {within_hour} were answered within an hour.",
        "ja": "観察期間内に返信があった質問は半数未満のため、典型的な待ち時間は観察期間より長くなります。"
              "1時間以内に返信があったのは{within_hour}です。",
    },
    "f_handles": {"en": "Within an hour, {parts}.", "ja": "1時間以内に、{parts}。"},
    "f_handle_part": {"en": "your {department} handle @{account} answered {k} of {n}",
                      "ja": "{department}アカウント @{account} は{n}件中{k}件に回答"},
    "f_handle_join": {"en": "; ", "ja": "、"},
    "f_rank": {
        "en": "You rank {rank} of {n} companies; with this many questions your true rank could be "
              "anywhere from {low} to {high}.",
        "ja": "{n}社中{rank}位です。質問数が限られるため、実際の順位は{low}位から{high}位のどこかである"
              "可能性があります。",
    },
    "f_quality": {
        "en": "Of {replies} replies with text, {answers} answered the question and {redirects} sent the "
              "customer to another channel.",
        "ja": "本文のある返信{replies}件のうち、質問に答えたものが{answers}件、別のチャネルへ誘導したものが"
              "{redirects}件でした。",
    },
    # Figure and table labels
    "ax_answer_rate": {"en": "Answer rate with 95% Wilson interval (unit: probe)",
                       "ja": "回答率と95%ウィルソン信頼区間(単位:プローブ)"},
    "ax_share_answered": {"en": "Share answered", "ja": "回答済みの割合"},
    "ax_hours": {"en": "Hours since the question was sent", "ja": "質問送信からの経過時間(時間)"},
    "ax_rank": {"en": "Rank (1 = best) with 95% bootstrap interval (unit: company)",
                "ja": "順位(1が最良)と95%ブートストラップ区間(単位:企業)"},
    "you": {"en": "{company}", "ja": "{company}"},
    "peers": {"en": "all other companies", "ja": "他のすべての企業"},
    "t_answer": {"en": "Answer rate: {company} beside each peer", "ja": "回答率:{company} と各社"},
    "t_speed": {"en": "Share answered over time", "ja": "時間の経過と回答済みの割合"},
    "t_handles": {"en": "Answer rate by account", "ja": "アカウント別の回答率"},
    "t_rank": {"en": "Where {company} could rank", "ja": "{company} の順位の幅"},
    "t_quality": {"en": "Kinds of first reply", "ja": "最初の返信の種類"},
    "col_account": {"en": "account", "ja": "アカウント"},
    "col_department": {"en": "department", "ja": "部門"},
    "col_questions": {"en": "questions", "ja": "質問数"},
    "col_answered": {"en": "answered", "ja": "回答数"},
    "col_rate": {"en": "answer rate (95% CI)", "ja": "回答率(95%信頼区間)"},
    "col_within": {"en": "within {duration}", "ja": "{duration}以内"},
    "col_median": {"en": "median wait (95% CI)", "ja": "待ち時間の中央値(95%信頼区間)"},
    "kind_answer": {"en": "answer", "ja": "回答"},
    "kind_acknowledgement": {"en": "acknowledgement", "ja": "受け付けのみ"},
    "kind_redirect": {"en": "redirect", "ja": "他チャネルへ誘導"},
    "kind_no_text": {"en": "reply, text not recorded", "ja": "返信(本文なし)"},
    "kind_no_reply": {"en": "no reply", "ja": "返信なし"},
    # Figures of the analysis notebooks
    "unit_probe": {"en": "probe", "ja": "プローブ"},
    "unit_company": {"en": "company", "ja": "企業"},
    "unit_reply": {"en": "reply", "ja": "返信"},
    "ax_rate_scope": {"en": " {scope}", "ja": "({scope})"},
    "ax_rate_wilson": {"en": "Answer rate{scope} with {level} Wilson interval (unit: {unit})",
                       "ja": "回答率{scope}と{level}ウィルソン信頼区間(単位:{unit})"},
    "ax_share_km": {"en": "Share answered (Kaplan-Meier)", "ja": "回答済みの割合(カプラン・マイヤー推定)"},
    "ax_rank_level": {"en": "Rank (1 = best) with {level} bootstrap interval (unit: company)",
                      "ja": "順位(1が最良)と{level}ブートストラップ区間(単位:企業)"},
    "tick_rate_of": {"en": "{company}  ({share} of {n})", "ja": "{company}  ({n}件中{share})"},
    "t_league": {"en": "League table: where each company could really rank",
                 "ja": "リーグ表:各社が実際に取りうる順位"},
    "ax_paired": {"en": "Answer rate of the handle in that company (unit: probe)",
                  "ja": "その企業のアカウントの回答率(単位:プローブ)"},
    "t_paired": {"en": "Within each company: {a} vs {b}", "ja": "企業内の比較:{a} と {b}"},
    "ax_power_n": {"en": "Probes per group (independent probes)",
                   "ja": "グループあたりのプローブ数(独立なプローブ)"},
    "ax_power": {"en": "Power (two-sided, alpha = {alpha})", "ja": "検出力(両側、有意水準 {alpha})"},
    "t_power": {"en": "How many probes a comparison of two answer rates needs",
                "ja": "2つの回答率の比較に必要なプローブ数"},
    "legend_power": {"en": "Shares compared", "ja": "比較する割合"},
    "ax_share_probes": {"en": "Share of probes (unit: probe)", "ja": "プローブに占める割合(単位:プローブ)"},
    # Departments
    "dept_customer_service": {"en": "customer-service", "ja": "カスタマーサービス用"},
    "dept_main": {"en": "main", "ja": "メイン"},
    "dept_marketing": {"en": "marketing", "ja": "マーケティング"},
    "dept_ecommerce": {"en": "e-commerce", "ja": "EC"},
    "dept_store": {"en": "store", "ja": "店舗"},
    "dept_other": {"en": "other", "ja": "その他の"},
    # Report index
    "index_title": {"en": "Social Care Benchmark reports", "ja": "ソーシャルケア・ベンチマーク レポート"},
    "index_intro": {
        "en": "How companies answer customers on social media: answer rates and response times, with "
              "their uncertainty. Unanswered questions are counted as unanswered at the end of their "
              "observation window, never dropped.",
        "ja": "企業がソーシャルメディアで顧客にどう応えているか:回答率と応答時間を、その不確かさとともに"
              "示します。回答のなかった質問は観察期間の終わりに未回答として数え、除外しません。",
    },
    "badge_synthetic": {"en": "SYNTHETIC DATA", "ja": "合成データ"},
    "badge_real": {"en": "Real data", "ja": "実データ"},
    "h_limits": {"en": "Limits of these data", "ja": "このデータの限界"},
    "h_headline": {"en": "Headline (unit: company, as in the 2014 study{scope})",
                   "ja": "主要な数字(単位:企業、2014年の調査と同じ{scope})"},
    "headline_scope": {"en": "; answer rates {scope}", "ja": "。回答率は「{scope}」"},
    "h_league": {"en": "League table (unit: company)", "ja": "リーグ表(単位:企業)"},
    "league_note": {
        "en": "Ranked by answer rate, ties broken by the median time to first reply. The rank interval "
              "is the range of ranks each company could hold given how few questions it was asked "
              "(bootstrap, 95%).",
        "ja": "回答率の順に並べ、同率の場合は最初の返信までの時間の中央値で順位をつけています。"
              "順位の区間は、質問数が限られることを踏まえて各社が取りうる順位の範囲です"
              "(ブートストラップ、95%)。",
    },
    "col_company": {"en": "company", "ja": "企業"},
    "col_rank": {"en": "rank", "ja": "順位"},
    "col_rank_range": {"en": "could rank", "ja": "取りうる順位"},
    "h_scorecards": {"en": "Company scorecards", "ja": "企業別スコアカード"},
    "h_notebooks": {"en": "Analyses", "ja": "分析ノートブック"},
    "h_results": {"en": "Machine-readable results", "ja": "機械可読な結果"},
    "source": {"en": "Source", "ja": "出典"},
    "figure_alt": {"en": "Figure of the section “{section}”; its numbers are in the text and tables beside it.",
                   "ja": "「{section}」の図。数値は前後の本文と表にあります。"},
    "generated": {"en": "Generated {when}.", "ja": "{when} に生成。"},
    "answered_at_all": {"en": "Answered at all", "ja": "回答あり"},
    "answered_within": {"en": "Answered within {duration}", "ja": "{duration}以内に回答"},
    "of_companies": {"en": "{k} of {n} companies ({share}; 95% CI {low}–{high})",
                     "ja": "{n}社中{k}社({share}、95%信頼区間 {low}–{high})"},
    "not_reached": {"en": "not reached", "ja": "未到達"},
    "unbounded": {"en": "not bounded by the data", "ja": "データから上限を決められない"},
}


# Japanese for the machine words readers meet in tables and legends: column names of the results
# files and the values of the study's vocabularies. English tables keep the machine words, which
# are also the files' column names.
TERMS_JA: dict[str, str] = {
    # vocabularies
    "customer_service": "カスタマーサービス", "main": "メイン", "marketing": "マーケティング",
    "ecommerce": "EC", "store": "店舗", "other": "その他",
    "store_opening_hours": "店舗の営業時間", "returns": "返品", "first_contact": "最初の問い合わせ",
    "neutral": "中立", "positive": "好意的", "negative": "否定的(苦情)",
    "answer": "回答", "acknowledgement": "受け付けのみ", "redirect": "他チャネルへ誘導",
    "no_text": "返信(本文なし)", "no_reply": "返信なし", "all": "全体", "overall": "全体",
    "calendar": "暦時間", "business": "営業時間内の時間", "next_opening": "次の営業開始から",
    "inside stated hours": "表示された対応時間内", "outside stated hours": "表示された対応時間外",
    "no stated hours": "対応時間の表示なし", "first message": "最初のメッセージ", "follow-up": "フォローアップ",
    "statement": "説明", "default": "既定(受け付け扱い)", "total": "合計",
    "reply_after_window": "観察期間後の返信", "window_shorter_than_threshold": "観察期間が閾値より短い",
    "Monday": "月曜", "Tuesday": "火曜", "Wednesday": "水曜", "Thursday": "木曜", "Friday": "金曜",
    "Saturday": "土曜", "Sunday": "日曜", "True": "はい", "False": "いいえ",
    # column and index names
    "company": "企業", "account": "アカウント", "department": "部門", "question_type": "質問の種類",
    "group": "グループ", "count": "件数", "probes": "プローブ数", "answered": "回答あり",
    "censored": "打ち切り(未回答)", "shortest_window_hours": "最短の観察期間(時間)",
    "longest_window_hours": "最長の観察期間(時間)", "probe_id": "プローブID", "issue": "注記",
    "detail": "詳細", "n_probes": "プローブ数", "n_answered": "回答数", "answer_rate": "回答率",
    "ci_low": "区間下限", "ci_high": "区間上限", "threshold_minutes": "閾値(分)", "n": "件数",
    "answered_within": "閾値内の回答数", "share": "割合(単純集計)", "km_share": "割合(KM推定)",
    "km_ci": "KMの信頼区間", "median_minutes": "中央値(分)", "median_ci_low": "中央値の区間下限(分)",
    "median_ci_high": "中央値の区間上限(分)", "metric": "指標", "baseline": "基準の割合",
    "difference": "差", "compared_share": "比較する割合", "probes_per_group": "グループあたりのプローブ数",
    "design_effect": "デザイン効果", "probes_per_group_clustered": "グループあたりのプローブ数(クラスター考慮)",
    "companies_per_group": "グループあたりの企業数", "weekday": "曜日",
    "planned_in_stated_hours": "対応時間内に送信", "term": "項", "n_events": "返信数",
    "correlation": "相関", "p_value": "p値", "comparison": "比較", "estimate (interval)": "推定値(区間)",
    "p": "p値", "p adjusted": "調整後p値", "method": "方法", "rank": "順位", "rank_interval": "順位の区間",
    "median": "待ち時間の中央値", "reply_kind": "返信の種類", "reply_rule": "判定ルール", "replies": "返信数",
    "kind": "種類", "labelled": "ラベル数", "predicted": "予測数", "correct": "正解数", "precision": "適合率",
    "recall": "再現率", "template_cluster": "テンプレート群", "example": "例",
    "response_rate": "応答率", "redirect_share": "誘導の割合", "template_share": "テンプレートの割合",
    "follow_up_answer_rate": "フォローアップへの応答率", "public_resolution_share": "公開で解決した割合",
    "stated_hours": "表示された対応時間", "median_minutes_calendar": "中央値(暦時間、分)",
    "median_minutes_business": "中央値(営業時間内、分)", "n_accounts": "アカウント数",
    "fastest_minutes": "最速の返信(分)", "fastest_account": "最速のアカウント",
    "fastest_question_type": "最速の質問の種類", "figure": "数字", "measure": "指標", "clock": "時計",
    "level": "集計単位",
}


def term(word, lang: str = "en"):
    """A machine word (column name or vocabulary value) in the reader's language."""
    if lang == "en":
        return word
    if hasattr(word, "item") and not isinstance(word, str):  # numpy scalars (bool_ of a bool column)
        word = word.item()
    if not isinstance(word, str | bool):
        return word
    return TERMS_JA.get(str(word), word)


# Columns whose values are vocabulary words (translated) rather than data (kept as they are).
VOCABULARY_COLUMNS = {"department", "question_type", "fastest_question_type", "reply_kind", "kind", "tone",
                      "issue", "answered", "clock"}


def show(table, lang: str = "en"):
    """A table for display: column names, index names and vocabulary values in `lang`.

    Labels are translated wherever the catalogue knows them; cell values only in the
    vocabulary columns (department, question type, ...); everything else is data and stays.
    English returns the table unchanged (its words are the results files' own).
    """
    if lang == "en":
        return table
    import pandas as pd

    def labels(index: pd.Index) -> pd.Index:
        if isinstance(index, pd.MultiIndex):
            return pd.MultiIndex.from_tuples([tuple(term(w, lang) for w in key) for key in index],
                                             names=[term(n, lang) for n in index.names])
        return pd.Index([term(w, lang) for w in index], name=term(index.name, lang))

    out = table.copy()
    if isinstance(out, pd.DataFrame):
        for column in VOCABULARY_COLUMNS & set(out.columns):
            out[column] = out[column].map(lambda w: term(w, lang))
    if isinstance(out, pd.Series):
        out.name = term(out.name, lang)
    else:
        out.columns = labels(out.columns)
    out.index = labels(out.index)
    return out


def fill(catalogue: dict[str, dict[str, str]], key: str, lang: str, values: dict) -> str:
    """Entry `key` of `catalogue` in `lang`, filled with `values` (an unknown language is an error)."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    return catalogue[key][lang].format(**values)


def t(key: str, lang: str = "en", **values) -> str:
    """The text `key` in `lang`, filled with `values`."""
    return fill(TEXT, key, lang, values)


def department(name: str, lang: str = "en") -> str:
    """A department in reader's words ('customer-service', 'カスタマーサービス用')."""
    key = f"dept_{name}"
    return t(key, lang) if key in TEXT else name


def pct(x: float | None) -> str:
    """0.853 -> '85%' (the same in both languages); missing -> '–'."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return fmt.pct(x)


def duration(minutes: float | None, lang: str = "en") -> str:
    """`fmt.duration` in `lang`, with the reader's words for a median not reached or unbounded."""
    if minutes is None or (isinstance(minutes, float) and math.isnan(minutes)):
        return t("not_reached", lang)
    if math.isinf(minutes):
        return t("unbounded", lang)
    return fmt.duration(minutes, lang)
