"""The sentences the analysis notebooks (00–09) write from their numbers, in English or Japanese.

Each function takes results the notebook has computed and returns Markdown in ``lang``; the
words live in `TEXT` below, one entry per sentence with both languages side by side, so a
translator reads them in one place. (Scorecard and site words are in `helpers.i18n`.)
"""

from __future__ import annotations

import math
import re

import pandas as pd

from helpers.text import formatting as fmt
from helpers.text.catalogue import fill, show, term

TEXT: dict[str, dict[str, str]] = {
    # 00 plan a study
    "pilot": {
        "en": "Observed here: customer service {cs}, main {main} (unit: probe). If that difference is real, a "
              "rerun needs about **{n} probes per department** to detect it with {power} power ({n_c} allowing "
              "for {per_company} probes per company at ICC {icc}); this study had {had_cs} and {had_main}. A "
              "pilot's difference is itself uncertain: plan for the smallest difference worth knowing about, "
              "not for the one observed.",
        "ja": "この調査での値:カスタマーサービス {cs}、メイン {main}(単位:プローブ)。この差が本当なら、"
              "検出力{power}で検出するには再調査で**部門あたり約{n}件のプローブ**が必要です(1社あたり{per_company}件、"
              "ICC {icc} を考慮すると{n_c}件)。この調査では{had_cs}件と{had_main}件でした。パイロットで見えた差"
              "そのものが不確かです。観察された差ではなく、知る価値のある最小の差を基準に計画してください。",
    },
    "pilot_none": {
        "en": "This study has no customer-service and main handles to compare, or they answered equally often.",
        "ja": "この調査には比較できるカスタマーサービスとメインのアカウントがないか、両者の回答率が同じです。",
    },
    "schedule": {
        "en": "{n} probes for {accounts} accounts, written to `results/{folder}/` (a study folder: fill in the "
              "replies, then validate and report).",
        "ja": "{accounts}アカウントに{n}件のプローブを計画し、`results/{folder}/` に書き出しました"
              "(調査フォルダーの形式です。返信を記入してから検証し、レポートを作成します)。",
    },
    # 01 data overview
    "count": {"en": "count", "ja": "件数"},
    "companies": {"en": "companies", "ja": "企業数"},
    "accounts": {"en": "accounts", "ja": "アカウント数"},
    "probes_sent": {"en": "probes (questions sent)", "ja": "プローブ数(送った質問)"},
    "answered_in_window": {"en": "answered within the window", "ja": "観察期間内に回答あり"},
    "unanswered_censored": {"en": "unanswered (censored at the end of the window)",
                            "ja": "未回答(観察期間の終わりで打ち切り)"},
    "fig_sent_x": {"en": "Sent at (UTC)", "ja": "送信日時(UTC)"},
    "fig_sent_title": {"en": "Probes sent, by company and question type", "ja": "企業・質問の種類別の送信日時"},
    "no_quality_notes": {"en": "No data-quality notes for this study.", "ja": "この調査にはデータ品質の注記はありません。"},
    # 02 answer rates
    "overall_rate": {"en": "Overall: {text}", "ja": "全体:{text}"},
    "t_rate_department": {"en": "Answer rate by department", "ja": "部門別の回答率"},
    "t_rate_company": {"en": "Answer rate by company", "ja": "企業別の回答率"},
    # 03 response times
    "overall_median": {"en": "Median time to first reply (all probes): {text}",
                       "ja": "最初の返信までの時間の中央値(全プローブ):{text}"},
    "t_km_department": {"en": "Share of questions answered over time, by department",
                        "ja": "部門別:時間の経過と回答済みの割合"},
    "km_company_x": {"en": "Hours since the question was sent (first 24 h)",
                     "ja": "質問送信からの経過時間(最初の24時間)"},
    "km_company_y": {"en": "Share answered", "ja": "回答済みの割合"},
    # 04 compare departments
    "one_department": {
        "en": "**This study has accounts of one department only: there is nothing to compare.** The notebook "
              "stops here and writes no comparisons.",
        "ja": "**この調査のアカウントは1つの部門だけなので、比較できるものがありません**。"
              "このノートブックはここで終わり、比較結果は書き出しません。",
    },
    "departments_intro": {
        "en": "Departments in this study: {departments}. The main comparison is **{a}** against **{b}**; "
              "{pairs} pair(s) of departments are compared in all.",
        "ja": "この調査の部門:{departments}。主な比較は **{a}** と **{b}** で、全部で{pairs}組の部門を比較します。",
    },
    "not_estimable": {"en": "{what}: not estimable ({why}).", "ja": "{what}:推定できません({why})。"},
    "not_run": {"en": "not run", "ja": "未実行"},
    "estimate": {"en": "{what}: {ci}.", "ja": "{what}:{ci}。"},
    "estimate_test": {"en": "{what}: {ci}; {test}.", "ja": "{what}:{ci}、{test}。"},
    "adjusted": {"en": "{p}, adjusted {adjusted}", "ja": "{p}、調整後 {adjusted}"},
    "what_rate_diff": {"en": "Difference in answer rate, {a} minus {b} (unit: probe)",
                       "ja": "回答率の差({a} − {b}、単位:プローブ)"},
    "what_odds": {"en": "Odds ratio of an answer, {a} over {b}, adjusted for question type, clustered by company",
                  "ja": "回答のオッズ比({a} / {b}、質問の種類で調整、企業でクラスター化)"},
    "glm_quote": {"en": "The GLM's interval is the one to quote: it allows for probes of one company being alike.",
                  "ja": "引用すべきはGLMの区間です。同じ企業へのプローブが似通うことを考慮しています。"},
    "glm_includes_1": {
        "en": "Its interval includes 1 (no difference), so these data do not show that the handles differ in "
              "answer rate.",
        "ja": "その区間は1(差なし)を含むため、このデータからはアカウント間で回答率が異なるとは言えません。",
    },
    "glm_excludes_1": {"en": "Its interval excludes 1: the handles differ in answer rate at this level.",
                       "ja": "その区間は1を含まないため、この水準でアカウント間の回答率は異なります。"},
    "t_km_share_department": {"en": "Share answered over time, by department", "ja": "部門別:時間の経過と回答済みの割合"},
    "what_hazard": {
        "en": "Hazard ratio of an answer, {a} over {b} (above 1: answered sooner), Cox model clustered by company",
        "ja": "回答のハザード比({a} / {b}、1より大きいほど早く回答、企業でクラスター化したCoxモデル)",
    },
    "log_rank": {"en": "Log-rank test: {stat}, {p}.", "ja": "ログランク検定:{stat}、{p}。"},
    "what_median_diff": {"en": "KM median, {a} minus {b}", "ja": "KM中央値の差({a} − {b})"},
    "what_within_diff": {"en": "Share answered within {duration}, {a} minus {b}",
                         "ja": "{duration}以内に回答された割合の差({a} − {b})"},
    "ph_ok": {"en": "No term shows a trend over time (smallest p-value {p}): nothing speaks against "
                    "proportional hazards here.",
              "ja": "時間とともに傾向を示す項はありません(最小のp値 {p})。比例ハザードの仮定に反する点は見られません。"},
    "ph_trend": {
        "en": "At least one term trends over time (p = {p}): read the hazard ratio as an average over the window, "
              "and prefer the curves and threshold differences.",
        "ja": "少なくとも1つの項が時間とともに変化しています(p = {p})。ハザード比は観察期間全体の平均として読み、"
              "曲線と閾値ごとの差を優先してください。",
    },
    "no_pair_company": {"en": "No company has both a {a} and a {b} handle: no within-company comparison.",
                        "ja": "{a}と{b}の両方のアカウントを持つ企業がないため、企業内の比較はできません。"},
    "n_paired": {"en": "{n} companies have both handles.", "ja": "両方のアカウントを持つ企業は{n}社です。"},
    "what_within_rate": {"en": "Mean per-company difference in answer rate, {a} minus {b} (unit: company)",
                         "ja": "企業ごとの回答率の差の平均({a} − {b}、単位:企業)"},
    "what_mh": {"en": "Mantel-Haenszel odds ratio of an answer (stratified by company)",
                "ja": "回答のマンテル・ヘンツェルのオッズ比(企業で層別)"},
    "what_strat_hazard": {"en": "Hazard ratio of an answer, Cox model stratified by company",
                          "ja": "回答のハザード比(企業で層別したCoxモデル)"},
    "strat_log_rank": {"en": "Stratified log-rank test: {p}.", "ja": "層別ログランク検定:{p}。"},
    "few_pairs": {
        "en": "With {n} companies, these intervals are wide; the exact permutation test cannot reach a p-value "
              "below {floor} however large the difference.",
        "ja": "企業が{n}社しかないため、これらの区間は広くなります。正確な並べ替え検定では、差がどれほど大きくても"
              "p値は{floor}を下回りません。",
    },
    # 05 compare companies
    "told_apart": {
        "en": "**Which ranks can be told apart?** With a median of {per_company} questions per company, {apart} of "
              "the {pairs} pairs of companies can be told apart at the {level} level (their rank intervals do not "
              "overlap); the other {rest} cannot.",
        "ja": "**どの順位なら区別できるか**。 1社あたりの質問数の中央値は{per_company}件で、{pairs}組の企業の組み合わせの"
              "うち{level}水準で区別できるのは{apart}組です(順位の区間が重ならない)。残りの{rest}組は区別できません。",
    },
    "could_be_first": {"en": "{k} of {n} companies could be first: {names}.",
                       "ja": "{n}社のうち{k}社が1位の可能性があります:{names}。"},
    "widest": {"en": "The widest rank interval spans {places} places.", "ja": "最も広い順位の区間は{places}位分にわたります。"},
    "ranking_warning": {
        "en": "A published ranking of these companies would present most of its order as fact; these data "
              "support only the coarse split between companies whose intervals do not overlap.",
        "ja": "これらの企業を順位付けして公表すれば、その順序の大半を事実として示すことになります。このデータが裏付けるのは、"
              "区間の重ならない企業どうしの大まかな区分だけです。",
    },
    "omni_rate": {"en": "Answer rate: χ² = {chi:.1f}, permutation {p}: {verdict}",
                  "ja": "回答率:χ² = {chi:.1f}、並べ替え検定 {p}:{verdict}"},
    "omni_rate_yes": {"en": "companies differ more than chance alone would make them.",
                      "ja": "企業間の差は偶然だけで生じる範囲を超えています。"},
    "omni_rate_no": {"en": "no clear evidence that companies differ more than chance alone would make them.",
                     "ja": "企業間の差が偶然だけで生じる範囲を超えるという明確な証拠はありません。"},
    "omni_time": {"en": "Time to first reply: log-rank χ² = {chi:.1f}, permutation {p}: {verdict}",
                  "ja": "最初の返信までの時間:ログランク χ² = {chi:.1f}、並べ替え検定 {p}:{verdict}"},
    "omni_time_yes": {"en": "companies differ in how fast they answer.", "ja": "企業によって返信の速さが異なります。"},
    "omni_time_no": {"en": "no clear evidence that companies differ in how fast they answer.",
                     "ja": "企業によって返信の速さが異なるという明確な証拠はありません。"},
    "omni_time_untestable": {"en": "Time to first reply: not testable.", "ja": "最初の返信までの時間:検定できません。"},
    "vs_rest": {"en": "Each company against the rest ({n} companies, two metrics, {method} correction within each "
                      "metric): {verdict}",
                "ja": "各社とそれ以外の企業の比較({n}社、2つの指標、指標ごとに{method}法で補正):{verdict}"},
    "vs_rest_flagged": {"en": "{k} comparison(s) stand out after correction: {which}",
                        "ja": "補正後も目立つ比較は{k}件です:{which}"},
    "vs_rest_none": {"en": "none stands out after correction.", "ja": "補正後に目立つ比較はありません。"},
    "list_sep": {"en": "; ", "ja": "、"},
    "comma": {"en": ", ", "ja": "、"},
    # 06 reply quality
    "q_response": {"en": "**Response rate**: {rate} got a reply within the window.",
                   "ja": "**応答率**:{rate}に観察期間内の返信がありました。"},
    "q_answer": {"en": "**Answer rate**: {rate} got a reply that answered the question.",
                 "ja": "**回答率**:{rate}に質問に答える返信がありました。"},
    "q_redirect": {"en": "**Redirects**: {rate} moved the customer to another channel or handle.",
                   "ja": "**誘導**:{rate}が顧客を別のチャネルやアカウントへ誘導しました。"},
    "q_template": {"en": "**Templates**: {rate} were near-identical copies of a reply the same account sent "
                         "another customer.",
                   "ja": "**テンプレート**:{rate}が、同じアカウントが別の顧客に送った返信とほぼ同じ文面でした。"},
    "q_no_texts": {"en": "No reply texts were recorded in this study, so reply kinds, answer rates and templates "
                         "cannot be measured; add `first_reply_text` to `probes.csv`.",
                   "ja": "この調査では返信本文が記録されていないため、返信の種類・回答率・テンプレートは測れません。"
                         "`probes.csv` に `first_reply_text` を追加してください。"},
    "q_no_text_replies": {"en": "{n} replies have no recorded text; they count as responses but are left out of "
                                "the answer rate.",
                          "ja": "{n}件の返信は本文が記録されていません。応答としては数えますが、回答率からは除きます。"},
    "t_kinds_department": {"en": "What the first reply was, by department", "ja": "部門別:最初の返信の種類"},
    "labels_check": {"en": "This study ships `reply_labels.csv` ({n} replies labelled {by}). Precision and recall "
                           "of the rules against those labels:",
                     "ja": "この調査には `reply_labels.csv` があります({by}ラベル付けした返信{n}件)。"
                           "そのラベルに対するルールの適合率と再現率:"},
    "by_generator": {"en": "by the generator that wrote them", "ja": "返信を生成したプログラムが"},
    "by_hand": {"en": "by hand", "ja": "人手で"},
    "no_labels": {"en": "This study has no `reply_labels.csv`, so the rules are not checked against labels here "
                        "(`tests/test_replies.py` checks them on hand-labelled real replies).",
                  "ja": "この調査には `reply_labels.csv` がないため、ここではルールをラベルと照合しません"
                        "(`tests/test_replies.py` が人手でラベル付けした実際の返信で照合しています)。"},
    "no_templates": {"en": "No reply texts: templates cannot be measured.",
                     "ja": "返信本文がないため、テンプレートは測れません。"},
    "t_templates": {"en": "Share of replies that are copy-paste templates (all, then by department)",
                    "ja": "コピー&ペーストのテンプレート返信の割合(全体と部門別)"},
    "ax_templates": {"en": "Template share with {level} Wilson interval (unit: reply)",
                     "ja": "テンプレートの割合と{level}ウィルソン信頼区間(単位:返信)"},
    "stated_hours": {"en": "{k} of {n} accounts state support hours. {groups}.",
                     "ja": "{n}アカウントのうち{k}アカウントが対応時間を表示しています。{groups}。"},
    "hours_group": {"en": "{group}: {n} probes", "ja": "{group}:{n}件"},
    "no_outside": {"en": "No probe was sent outside stated hours, so the clocks agree on every probe.",
                   "ja": "表示された対応時間外に送ったプローブはないため、どの時計でも結果は同じです。"},
    "t_clocks": {"en": "Probes sent outside stated hours: the wait on each clock",
                 "ja": "対応時間外に送ったプローブ:時計ごとの待ち時間"},
    "no_follow_ups": {"en": "No follow-ups were sent in this study.", "ja": "この調査ではフォローアップを送っていません。"},
    "follow_ups": {"en": "- First messages: {first} got a reply.\n- Follow-ups: {follow} got a reply.",
                   "ja": "- 最初のメッセージ:{first}に返信がありました。\n- フォローアップ:{follow}に返信がありました。"},
    "one_tone": {"en": "Every probe in this study was {tone}: tones cannot be compared. Send questions in several "
                       "tones (column `tone`) to compare them.",
                 "ja": "この調査のプローブはすべて「{tone}」のトーンなので、トーンを比較できません。"
                       "比較するには複数のトーンで質問を送ってください(列 `tone`)。"},
    "t_tone": {"en": "Response rate by tone of the message", "ja": "メッセージのトーン別の応答率"},
    "ax_tone": {"en": "Response rate with {level} Wilson interval (unit: probe)",
                "ja": "応答率と{level}ウィルソン信頼区間(単位:プローブ)"},
    "public": {"en": "{rate} were closed in public.", "ja": "{rate}が公開の場で解決されました。"},
    "no_public": {"en": "No case in this study says whether it was resolved in public (`resolved_publicly`).",
                  "ja": "この調査には、公開の場で解決したかどうか(`resolved_publicly`)が記録された案件がありません。"},
    # 09 reproduce the 2014 study
    "col_published": {"en": "published (2014)", "ja": "公表値(2014年)"},
    "col_ours": {"en": "this study (unit: company)", "ja": "この調査(単位:企業)"},
    "published_of": {"en": "{k} of {n}", "ja": "{n}社中{k}社"},
    "not_published": {"en": "not published", "ja": "公表なし"},
    "published_source": {"en": "Published figures: {study}, {url}. {provenance}",
                         "ja": "公表値の出典:{study}、{url}。{provenance}"},
    "not_like_for_like": {
        "en": "**Not like for like**: this study's answer rates are {scope}, while the 2014 figures count questions "
              "the researchers sent themselves. Compare the response times, not the share answered.",
        "ja": "**同じ条件の比較ではありません**:この調査の回答率は「{scope}」の値ですが、2014年の数字は調査者自身が"
              "送った質問を数えたものです。回答された割合ではなく、応答時間を比べてください。",
    },
    "legend_ours": {"en": "this study, {level} interval", "ja": "この調査({level}区間)"},
    "legend_published": {"en": "published (Econsultancy 2014)", "ja": "公表値(Econsultancy 2014)"},
    "ax_share_companies": {"en": "Share of companies", "ja": "企業に占める割合"},
    "t_reproduced": {"en": "Company-level figures: published and reproduced", "ja": "企業単位の数字:公表値と再現値"},
    "size_limits": {
        "en": "- **Intervals are wide.** With {n} companies, the share answered ({share}) has a {level} interval of "
              "{low} to {high}: a rerun anywhere in that range would not contradict it.\n"
              "- **Differences must be large to be seen.** Comparing two groups of {n} companies at significance "
              "level {alpha}, a group whose true share is {share} is told apart with 80% power only from groups "
              "whose share is {reach}.\n"
              "- **The company-level view flatters.** A company counts as answered if *any* of its accounts "
              "answered *any* question, so companies asked on more accounts have more chances; the probe-level "
              "answer rate in notebook 02 is lower for that reason.\n"
              "- **Published figures can be second-hand.** Read the provenance note above before comparing.",
        "ja": "- **区間は広い**。企業が{n}社の場合、回答された割合({share})の{level}区間は{low}から{high}です。"
              "再調査の結果がこの範囲のどこであっても、この結果と矛盾しません。\n"
              "- **差は大きくないと見えない**。{n}社ずつの2グループを有意水準{alpha}で比べると、真の割合が{share}の"
              "グループを検出力80%で区別できるのは、割合が{reach}のグループだけです。\n"
              "- **企業単位の見方は甘くなる**。どれかのアカウントがどれかの質問に答えれば、その企業は「回答あり」と"
              "数えます。多くのアカウントに質問した企業ほど機会が多くなるため、ノートブック02のプローブ単位の回答率は"
              "これより低くなります。\n"
              "- **公表値は又聞きの場合がある**。比べる前に、上の出典の注記を読んでください。",
    },
    "reach_below": {"en": "below {share}", "ja": "{share}未満"},
    "reach_above": {"en": "above {share}", "ja": "{share}超"},
    "reach_or": {"en": " or ", "ja": "または"},
    "reach_none": {"en": "beyond reach (no share is far enough away)", "ja": "存在しません(十分に離れた割合がない)"},
}


def say(key: str, lang: str = "en", **values) -> str:
    """The sentence `key` in `lang`, filled with `values`."""
    return fill(TEXT, key, lang, values)


def bullets(lines) -> str:
    """A Markdown list of the non-empty lines."""
    return "\n".join(f"- {line}" for line in lines if line)


# --- 00: planning ---------------------------------------------------------------------------

def pilot(probes: pd.DataFrame, alpha: float, power: float, probes_per_company: int, icc: float,
          lang: str = "en") -> str:
    """The study's own customer-service and main answer rates as a pilot for the next study."""
    from helpers.analysis import plan
    from helpers.stats import proportions

    rates = proportions.answer_rates(probes, alpha=alpha, levels=["department"]).set_index("group")["answer_rate"]
    if not {"customer_service", "main"} <= set(rates.index) or rates["customer_service"] == rates["main"]:
        return say("pilot_none", lang)
    p_cs, p_main = (min(max(rates[d], 0.01), 0.99) for d in ("customer_service", "main"))
    n = plan.probes_needed(p_main, p_cs, alpha, power)
    had = probes["department"].value_counts()
    return say("pilot", lang, cs=fmt.pct(p_cs), main=fmt.pct(p_main), n=n, power=f"{power:.0%}",
               n_c=int(n * plan.design_effect(probes_per_company, icc) + 0.999), per_company=probes_per_company,
               icc=f"{icc:g}", had_cs=int(had["customer_service"]), had_main=int(had["main"]))


# --- 04 and 05: comparisons -------------------------------------------------------------------

# Why `helpers.compare` could not estimate or test something, in Japanese (English readers get
# the `method` text itself). Keys are the reasons after "not estimable: " / "not testable: ".
REASONS_JA = {
    "a group has no probes": "プローブのないグループがある",
    "separation (a level with all or no probes answered)": "分離(すべて回答、または全く回答のない水準がある)",
    "no probe was answered": "回答されたプローブがない",
    "a level with no (or only) answers": "回答のない(または回答だけの)水準がある",
    "one group, or no answers": "グループが1つだけか、回答がない",
    "no answer while both groups were still observed": "両方のグループを観察している間に回答がなかった",
    "the difference is undefined (a group missing, or neither median reached)":
        "差が定義できない(グループがないか、どちらの中央値にも未到達)",
    "no company has both handles": "両方のアカウントを持つ企業がない",
    "no company has a discordant table (MH odds ratio undefined)":
        "結果の異なる組を持つ企業がない(MHオッズ比が定義できない)",
    "no answers, or no other company": "回答がないか、比べる他社がない",
}
_CLUSTERS = re.compile(r"(\d+) (\w+) clusters, fewer than (\d+)")


def reason(method: str, lang: str = "en") -> str:
    """Why a comparison row has no estimate, from its `method` text, in `lang`."""
    if lang == "en":
        return method
    why = re.sub(r"^not (estimable|testable): ", "", method).split("; ")[0]
    if m := _CLUSTERS.fullmatch(why):
        return f"{term(m.group(2), lang)}のクラスターが{m.group(1)}個で、{m.group(3)}個未満"
    return REASONS_JA.get(why, "理由は comparisons.csv の method 列を参照")


def comparison(row: pd.Series | None, what: str, level: float = 0.95, lang: str = "en") -> str:
    """One comparison row as a sentence: what, estimate with interval, test (and adjusted test)."""
    if row is None or row.isna()["estimate"]:
        why = reason(row["method"], lang) if row is not None else say("not_run", lang)
        return say("not_estimable", lang, what=what, why=why)
    ci = fmt.estimate_ci(row["metric"], row["estimate"], row["ci_low"], row["ci_high"], level, lang)
    if row.isna()["p_value"]:
        return say("estimate", lang, what=what, ci=ci)
    test = fmt.pvalue(row["p_value"])
    if not row.isna()["p_adjusted"] and row["p_adjusted"] != row["p_value"]:
        test = say("adjusted", lang, p=test, adjusted=fmt.pvalue(row["p_adjusted"]))
    return say("estimate_test", lang, what=what, ci=ci, test=test)


def pick(comparisons: pd.DataFrame, name: str, metric: str) -> pd.Series | None:
    """The row of one comparison and metric, or None."""
    hit = comparisons[(comparisons["comparison"] == name) & (comparisons["metric"] == metric)]
    return hit.iloc[0] if len(hit) else None


def departments_intro(probes: pd.DataFrame, pairs: list, lang: str = "en") -> str:
    """Which departments there are and which comparison comes first."""
    if not pairs:
        return say("one_department", lang)
    a, b = pairs[0]
    names = say("comma", lang).join(term(d, lang) for d in sorted(set(probes["department"])))
    return say("departments_intro", lang, departments=names, a=term(a, lang), b=term(b, lang), pairs=len(pairs))


def answer_rate_difference(comparisons: pd.DataFrame, a: str, b: str, level: float, lang: str = "en") -> str:
    """The department answer-rate comparison: difference, clustered GLM odds ratio, and what to quote."""
    name = f"department:{a}-vs-{b}"
    ta, tb = term(a, lang), term(b, lang)
    glm = pick(comparisons, name, "answer_odds_ratio")
    verdict = ""
    if glm is not None and glm["ci_low"] == glm["ci_low"]:
        verdict = say("glm_includes_1" if glm["ci_low"] <= 1 <= glm["ci_high"] else "glm_excludes_1", lang)
    return "\n".join([
        bullets([comparison(pick(comparisons, name, "answer_rate_difference"),
                            say("what_rate_diff", lang, a=ta, b=tb), level, lang),
                 comparison(glm, say("what_odds", lang, a=ta, b=tb), level, lang)]),
        "", say("glm_quote", lang) + (" " if lang == "en" else "") + verdict,
    ])


def reply_time_difference(comparisons: pd.DataFrame, a: str, b: str, thresholds, level: float,
                          lang: str = "en") -> str:
    """The department time-to-reply comparison: Cox hazard ratio, log-rank, KM median and shares."""
    name = f"department:{a}-vs-{b}"
    ta, tb = term(a, lang), term(b, lang)
    lr = pick(comparisons, name, "log_rank_statistic")
    lines = [comparison(pick(comparisons, name, "hazard_ratio"), say("what_hazard", lang, a=ta, b=tb), level, lang),
             say("log_rank", lang, stat=fmt.estimate_ci(lr["metric"], lr["estimate"], 0, 0),
                 p=fmt.pvalue(lr["p_value"])) if lr is not None else ""]
    what = {"median_minutes_difference": say("what_median_diff", lang, a=ta, b=tb)}
    what.update({f"share_within_{t}min_difference":
                 say("what_within_diff", lang, duration=fmt.duration(t, lang), a=ta, b=tb) for t in thresholds})
    for metric, words in what.items():
        row = pick(comparisons, name, metric)
        if row is not None:
            lines.append(comparison(row, words, level, lang))
    return bullets(lines)


def ph_verdict(check: pd.DataFrame, alpha: float, lang: str = "en") -> str:
    """Whether the Schoenfeld-residual check speaks against proportional hazards."""
    worst = check["p_value"].min()
    return say("ph_ok", lang, p=f"{worst:.2f}") if worst >= alpha else say("ph_trend", lang, p=f"{worst:.3f}")


def within_company(comparisons: pd.DataFrame, a: str, b: str, n_paired: int, level: float,
                   lang: str = "en") -> str:
    """The within-company comparison of two handles, with the limit of its exact test."""
    wc = f"within-company:{a}-vs-{b}"
    ta, tb = term(a, lang), term(b, lang)
    lr = pick(comparisons, wc, "log_rank_statistic")
    lines = bullets([
        comparison(pick(comparisons, wc, "answer_rate_difference"), say("what_within_rate", lang, a=ta, b=tb),
                   level, lang),
        comparison(pick(comparisons, wc, "answer_odds_ratio"), say("what_mh", lang), level, lang),
        comparison(pick(comparisons, wc, "hazard_ratio"), say("what_strat_hazard", lang), level, lang),
        say("strat_log_rank", lang, p=fmt.pvalue(lr["p_value"] if lr is not None else None)),
    ])
    if n_paired < 12:
        lines += "\n\n" + say("few_pairs", lang, n=n_paired, floor=f"{2 / 2 ** n_paired:.3g}")
    return lines


def rank_separation(table: pd.DataFrame, summary: dict, level: float, lang: str = "en") -> str:
    """How many pairs of companies the league table can tell apart, and who could be first."""
    first = summary["could_be_first"]
    return "\n".join([
        say("told_apart", lang, per_company=f"{table['n_probes'].median():g}", apart=summary["pairs_told_apart"],
            pairs=summary["pairs"], level=f"{level:.0%}", rest=summary["pairs"] - summary["pairs_told_apart"]),
        "",
        bullets([say("could_be_first", lang, k=len(first), n=summary["companies"],
                     names=say("comma", lang).join(first)) if first else "",
                 say("widest", lang, places=summary["widest_rank_interval"]),
                 say("ranking_warning", lang)]),
    ])


def company_differences(comparisons: pd.DataFrame, alpha: float, adjust_method: str, lang: str = "en") -> str:
    """The omnibus tests across companies and each company against the rest."""
    rate = comparisons.query("comparison == 'company:all' and metric == 'answer_rate_chisq'").iloc[0]
    time = comparisons.query("comparison == 'company:all' and metric == 'log_rank_statistic'").iloc[0]
    vs_rest = comparisons[comparisons["comparison"].str.endswith("-vs-rest")]
    flagged = vs_rest[vs_rest["p_adjusted"] < alpha]
    which = say("list_sep", lang).join(
        f"{c.split(':', 1)[1]} ({metric_name(m, lang)})"
        for c, m in zip(flagged["comparison"], flagged["metric"], strict=True))
    return bullets([
        say("omni_rate", lang, chi=rate["estimate"], p=fmt.pvalue(rate["p_value"]),
            verdict=say("omni_rate_yes" if rate["p_value"] < alpha else "omni_rate_no", lang)),
        say("omni_time", lang, chi=time["estimate"], p=fmt.pvalue(time["p_value"]),
            verdict=say("omni_time_yes" if time["p_value"] < alpha else "omni_time_no", lang))
        if time["estimate"] == time["estimate"] else say("omni_time_untestable", lang),
        say("vs_rest", lang, n=len(vs_rest) // 2, method=adjust_method,
            verdict=say("vs_rest_flagged", lang, k=len(flagged), which=which) if len(flagged)
            else say("vs_rest_none", lang)),
    ])


METRICS_JA = {
    "answer_rate_difference": "回答率の差", "answer_odds_ratio": "回答のオッズ比", "hazard_ratio": "ハザード比",
    "log_rank_statistic": "ログランク統計量", "answer_rate_chisq": "回答率のカイ二乗統計量",
    "median_minutes_difference": "KM中央値の差",
}


def metric_name(metric: str, lang: str = "en") -> str:
    """A metric of `comparisons.csv` in words ('share within 60min difference', '60分以内の割合の差')."""
    if lang == "en":
        return metric.replace("_", " ")
    if metric.startswith("share_within_") and metric.endswith("min_difference"):
        minutes = int(metric.removeprefix("share_within_").removesuffix("min_difference"))
        return f"{fmt.duration(minutes, lang)}以内の割合の差"
    return METRICS_JA.get(metric, metric)


def readable(comparisons: pd.DataFrame, level: float = 0.95, lang: str = "en") -> pd.DataFrame:
    """The comparisons table in words, for reading in a report (column names in `lang`).

    The ``method`` column is English prose written by `helpers.compare`; the Japanese table
    leaves it out, and the notebooks point to it in `comparisons.csv`.
    """
    table = pd.DataFrame({
        "comparison": comparisons["comparison"],
        "metric": [metric_name(m, lang) for m in comparisons["metric"]],
        "estimate (interval)": [fmt.estimate_ci(m, e, lo, hi, level, lang) for m, e, lo, hi in zip(
            comparisons["metric"], comparisons["estimate"], comparisons["ci_low"], comparisons["ci_high"], strict=True)],
        "p": comparisons["p_value"].map(fmt.pvalue),
        "p adjusted": comparisons["p_adjusted"].map(fmt.pvalue),
        "method": comparisons["method"],
    }).set_index(["comparison", "metric"])
    return table if lang == "en" else show(table.drop(columns="method"), lang)


# --- 09: the size of the study ----------------------------------------------------------------

def study_size_limits(headline: dict, n: int, alpha: float, level: float, lang: str = "en") -> str:
    """What a study of `n` companies can and cannot tell (interval width, detectable difference)."""
    from statsmodels.stats.power import NormalIndPower

    # Smallest difference two groups of n companies could show with 80% power:
    # Cohen's h = |2 asin(sqrt p2) - 2 asin(sqrt p1)|, solved for p2 on each side of p1.
    h = NormalIndPower().solve_power(nobs1=n, alpha=alpha, power=0.8, ratio=1.0)
    answered = headline["answered"]
    p1 = answered["share"]
    a = math.asin(math.sqrt(p1))
    sides = [("reach_below", math.sin(a - h / 2) ** 2 if a - h / 2 > 0 else None),
             ("reach_above", math.sin(a + h / 2) ** 2 if a + h / 2 < math.pi / 2 else None)]
    reach = say("reach_or", lang).join(say(key, lang, share=fmt.pct(v)) for key, v in sides if v is not None)
    return say("size_limits", lang, n=n, share=fmt.pct(p1), level=f"{level:.0%}", low=fmt.pct(answered["ci_low"]),
               high=fmt.pct(answered["ci_high"]), alpha=f"{alpha:g}", reach=reach or say("reach_none", lang))
