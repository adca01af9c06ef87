"""Planning a rerun: how many probes a comparison needs before the first one is sent."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize

from helpers import seeds
from helpers.data.hours import MINUTES_PER_DAY, MINUTES_PER_WEEK
from helpers.data.timestamps import iso
from helpers.data.writer import write_study


def probes_needed(p1: float, p2: float, alpha: float = 0.05, power: float = 0.8) -> int:
    """Probes per group to tell share `p1` from `p2` (two-sided, arcsine effect size, Cohen's h).

    Applies to answer rates and to shares answered within a threshold alike, when every probe
    is observed past the threshold. Probes of one company are not independent: with several
    probes per company, multiply by the design effect 1 + (m - 1) * ICC.
    """
    if p1 == p2:
        raise ValueError("p1 and p2 are equal: no sample size detects no difference")
    h = abs(proportion_effectsize(p2, p1))
    n = NormalIndPower().solve_power(effect_size=h, alpha=alpha, power=power, ratio=1.0,
                                     alternative="two-sided")
    return int(np.ceil(n))


def power_table(baselines: Sequence[float], differences: Sequence[float], alpha: float = 0.05,
                power: float = 0.8) -> pd.DataFrame:
    """Probes per group for every baseline share and difference (rows that stay within 0-1)."""
    rows = [{"baseline": p1, "difference": d, "compared_share": p1 + d,
             "probes_per_group": probes_needed(p1, p1 + d, alpha, power), "alpha": alpha, "power": power}
            for p1 in baselines for d in differences if 0 < p1 + d < 1 and d != 0]
    return pd.DataFrame(rows)


def design_effect(probes_per_company: float, icc: float) -> float:
    """Variance inflation from asking one company several questions: 1 + (m - 1) * ICC."""
    return 1.0 + (probes_per_company - 1.0) * icc


def sample_size_table(metric: str, baselines: Sequence[float], differences: Sequence[float],
                      alpha: float = 0.05, power: float = 0.8, probes_per_company: int = 1,
                      icc: float = 0.0) -> pd.DataFrame:
    """`power_table` for one metric, with the clustered size and the companies it takes.

    ``probes_per_group`` assumes independent probes; ``probes_per_group_clustered`` multiplies
    by the design effect of `probes_per_company` probes per company with intra-company
    correlation `icc`; ``companies_per_group`` divides that by `probes_per_company`.
    """
    t = power_table(baselines, differences, alpha, power)
    deff = design_effect(probes_per_company, icc)
    t.insert(0, "metric", metric)
    t["probes_per_company"] = probes_per_company
    t["icc"] = icc
    t["design_effect"] = deff
    t["probes_per_group_clustered"] = np.ceil(t["probes_per_group"] * deff).astype(int)
    t["companies_per_group"] = np.ceil(t["probes_per_group_clustered"] / probes_per_company).astype(int)
    return t


def sample_sizes(response_rate_baselines: Sequence[float], within_baselines: Sequence[float],
                 differences: Sequence[float], threshold_minutes: int, alpha: float = 0.05, power: float = 0.8,
                 probes_per_company: int = 1, icc: float = 0.0) -> pd.DataFrame:
    """`sample_size_table` for the answer rate and for the share answered within `threshold_minutes`."""
    return pd.concat([
        sample_size_table("response_rate", response_rate_baselines, differences, alpha, power, probes_per_company, icc),
        sample_size_table(f"share_within_{threshold_minutes}min", within_baselines, differences, alpha, power,
                          probes_per_company, icc),
    ], ignore_index=True)


def power_curve(baseline: float, differences: Sequence[float], max_probes: int = 200,
                alpha: float = 0.05) -> pd.DataFrame:
    """Power against probes per group for each difference from `baseline` (for plotting)."""
    n = np.arange(5, max_probes + 1, 5)
    rows = []
    for d in differences:
        if not 0 < baseline + d < 1 or d == 0:
            continue
        h = abs(proportion_effectsize(baseline + d, baseline))
        pw = NormalIndPower().power(effect_size=h, nobs1=n, alpha=alpha, ratio=1.0, alternative="two-sided")
        rows.append(pd.DataFrame({"baseline": baseline, "difference": d, "probes_per_group": n, "power": pw}))
    return pd.concat(rows, ignore_index=True)


# --------------------------------------------------------------------------------------------
# Probe schedule for fieldwork


def _day_intervals(intervals: Sequence[tuple[int, int]], day: int) -> list[tuple[int, int]]:
    """The parts of week-minute `intervals` that fall on `day` (0 = Monday)."""
    lo, hi = day * MINUTES_PER_DAY, (day + 1) * MINUTES_PER_DAY
    return [(max(s, lo), min(e, hi)) for s, e in intervals if min(e, hi) > max(s, lo)]


def _complement(intervals: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    out, at = [], 0
    for s, e in sorted(intervals):
        if s > at:
            out.append((at, s))
        at = max(at, e)
    if at < MINUTES_PER_WEEK:
        out.append((at, MINUTES_PER_WEEK))
    return out


def _intersect(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    return [(max(s1, s2), min(e1, e2)) for s1, e1 in a for s2, e2 in b if min(e1, e2) > max(s1, s2)]


def _pick_minute(intervals: Sequence[tuple[int, int]], rng: np.random.Generator) -> int:
    """A uniformly random whole minute inside `intervals`, keeping 15 minutes from their ends."""
    usable = [(s + 15, e - 15) for s, e in intervals if e - s > 30] or [(s, e) for s, e in intervals]
    lengths = np.array([e - s for s, e in usable], dtype=float)
    s, e = usable[rng.choice(len(usable), p=lengths / lengths.sum())]
    return int(rng.integers(s, e))


def probe_schedule(accounts: pd.DataFrame, question_types: Sequence[str], probes_per_account: int,
                   start_date: str, observation_days: int = 7, assumed_hours: str = "Mon-Fri 09:00-17:00",
                   sending_hours: str = "daily 08:00-22:00", seed: int = seeds.FIELDWORK) -> pd.DataFrame:
    """A randomised, balanced schedule of probes: a fieldwork ``probes.csv`` to fill in.

    Each account gets `probes_per_account` probes, cycling through every combination of
    question type and inside/outside its stated support hours (in random order), so that a
    multiple of ``2 * len(question_types)`` balances both exactly. Each probe goes to the
    weekday used least so far by probes of its question type and hours kind, then by all
    probes (ties broken at random, avoiding days this account already has), in the week starting `start_date` (a Monday), at a random minute
    of that day inside (or outside) the account's hours and inside `sending_hours`, local
    time. Accounts without stated hours are scheduled against `assumed_hours`, and say so in
    ``hours_basis``. Accounts open around the clock have no outside hours: all their probes
    are inside.

    The result has every ``probes.csv`` column, with ``sent_at`` the planned time (overwrite
    it with the real one), ``observed_until`` the end of the planned window and the outcome
    columns empty, plus the planning columns ``planned_in_stated_hours`` and ``hours_basis``.
    It passes ``python -m helpers validate`` as it is (no replies yet) and once filled in.
    """
    from zoneinfo import ZoneInfo

    from helpers.data.hours import parse_hours

    start = pd.Timestamp(start_date)
    if start.weekday() != 0:
        raise ValueError(f"start_date {start_date} is a {start.day_name()}; use a Monday")
    rng = np.random.default_rng(seed)
    sending = parse_hours(sending_hours).intervals
    day_load = np.zeros(7, dtype=int)
    cell_load: dict[tuple, np.ndarray] = {}
    rows = []
    for _, acc in accounts.iterrows():
        stated = str(acc.get("stated_hours", "") or "").strip()
        basis = "stated" if stated else "assumed"
        hours = parse_hours(stated or assumed_hours)
        tz = ZoneInfo(str(acc.get("timezone", "") or "UTC"))
        inside_iv, outside_iv = _intersect(hours.intervals, sending), _intersect(_complement(hours.intervals), sending)
        kinds = [True, False] if outside_iv else [True]
        cells = [(q, inside) for q in question_types for inside in kinds]
        order = []
        while len(order) < probes_per_account:
            order += [cells[i] for i in rng.permutation(len(cells))]
        used_days: set[int] = set()
        for q, inside in order[:probes_per_account]:
            pool = inside_iv if inside else outside_iv
            days = [d for d in range(7) if _day_intervals(pool, d)]
            fresh = [d for d in days if d not in used_days] or days
            # Least-used day for this question type and hours kind, then least-used day overall.
            cell = cell_load.setdefault((q, inside), np.zeros(7, dtype=int))
            load = [(cell[d], day_load[d]) for d in fresh]
            day = int(rng.choice([d for d, l in zip(fresh, load, strict=True) if l == min(load)]))
            cell[day] += 1
            minute = _pick_minute(_day_intervals(pool, day), rng)
            local = (start + pd.Timedelta(minutes=minute)).tz_localize(tz, nonexistent="shift_forward")
            day_load[day] += 1
            used_days.add(day)
            rows.append({"company": acc["company"], "account": acc["account"], "question_type": q,
                         "sent_at": local, "planned_in_stated_hours": inside, "hours_basis": basis})
    plan = pd.DataFrame(rows)
    plan = plan.iloc[rng.permutation(len(plan))]  # randomise, then list in time order
    plan = plan.sort_values("sent_at", key=lambda s: s.map(lambda t: t.tz_convert("UTC")), kind="stable")
    return pd.DataFrame({
        "probe_id": [f"Q{i:03d}" for i in range(1, len(plan) + 1)],
        "company": plan["company"].to_numpy(),
        "account": plan["account"].to_numpy(),
        "question_type": plan["question_type"].to_numpy(),
        "tone": "neutral",
        "sent_at": plan["sent_at"].map(iso).to_numpy(),
        "observed_until": (plan["sent_at"] + pd.Timedelta(days=observation_days)).map(iso).to_numpy(),
        "first_reply_at": "", "first_reply_text": "", "follow_up_sent_at": "", "follow_up_reply_at": "",
        "resolved_publicly": "",
        "planned_in_stated_hours": plan["planned_in_stated_hours"].to_numpy(),
        "hours_basis": plan["hours_basis"].to_numpy(),
    })


FIELDWORK_README = """\
# Fieldwork plan: {title}

Generated by notebook 00-plan-a-study (seed {seed}). `probes.csv` lists {n} planned probes for
the accounts in `accounts.csv`, in time order.

1. Send each question at its `sent_at` (local time of the account; planned). If you send it at
   another time, overwrite `sent_at` with the real time, with its UTC offset.
2. Record the first reply in `first_reply_at` (and its text in `first_reply_text`); leave it empty
   when there is none. Replies after `observed_until` count as not answered.
3. Edit `study.yml`: a title and description for your rerun; set `synthetic: false` for real data.
4. Check with `python -m helpers validate <this folder>`, then `make report STUDY=<this folder>`.

`planned_in_stated_hours` and `hours_basis` record the plan; the suite keeps them.
"""


def write_fieldwork_plan(out_dir, study, schedule: pd.DataFrame, seed: int) -> Path:
    """Write a study folder for fieldwork: study.yml, accounts.csv, the schedule, a README.

    A rerun replaces a plan written earlier (its study.yml records `fieldwork_plan_seed`), never
    another folder: not a study `simulate` wrote, whose mark is `seed`.
    """
    import yaml

    meta = {
        "title": f"Fieldwork plan based on {study.title}",
        "description": (f"PLANNED, NOT YET RUN: the probe schedule for a rerun, generated from the "
                        f"accounts of study {study.id}. Fill in the replies, then report."),
        "synthetic": bool(study.synthetic),
        "source": f"Plan generated by notebook 00-plan-a-study from study {study.id}; source of its accounts: {study.source}",
        "thresholds_minutes": list(study.thresholds_minutes),
        "fieldwork_plan_seed": seed,
    }
    readme = FIELDWORK_README.format(title=study.title, seed=seed, n=len(schedule))
    return write_study(out_dir, yaml.safe_dump(meta, sort_keys=False, allow_unicode=True), study.accounts,
                       schedule, {"README.md": readme}, replace="fieldwork_plan_seed")


# --------------------------------------------------------------------------------------------
# A finished study as the pilot of the next one


def pilot(probes: pd.DataFrame, alpha: float = 0.05, power: float = 0.8, probes_per_company: int = 1,
          icc: float = 0.0) -> dict | None:
    """The study's customer-service and main answer rates (unit: probe) as a pilot for a rerun.

    Returns the two shares (kept within 1%–99%, where a sample size exists), the probes per
    department their difference needs (``probes_per_group``, then with the design effect), and
    the probes each department had here; None without both departments or when they are equal.
    """
    answered = probes.groupby("department")["answered"]
    rates = answered.sum() / answered.size()
    if not {"customer_service", "main"} <= set(rates.index) or rates["customer_service"] == rates["main"]:
        return None
    p_cs, p_main = (min(max(rates[d], 0.01), 0.99) for d in ("customer_service", "main"))
    n = probes_needed(p_main, p_cs, alpha, power)
    had = probes["department"].value_counts()
    return {"customer_service": p_cs, "main": p_main, "probes_per_group": n,
            "probes_per_group_clustered": int(n * design_effect(probes_per_company, icc) + 0.999),
            "had_customer_service": int(had["customer_service"]), "had_main": int(had["main"])}


def detectable_shares(share: float, n: int, alpha: float = 0.05, power: float = 0.8) -> tuple:
    """The shares nearest `share` that two groups of `n` tell apart from it with `power` (two-sided).

    Returns ``(below, above)``; a side is None when no share between 0 and 1 is far enough away.
    """
    # Cohen's h = |2 asin(sqrt p2) - 2 asin(sqrt p1)|, solved for p2 on each side of p1.
    h = NormalIndPower().solve_power(nobs1=n, alpha=alpha, power=power, ratio=1.0)
    a = math.asin(math.sqrt(share))
    below = math.sin(a - h / 2) ** 2 if a - h / 2 > 0 else None
    above = math.sin(a + h / 2) ** 2 if a + h / 2 < math.pi / 2 else None
    return below, above
