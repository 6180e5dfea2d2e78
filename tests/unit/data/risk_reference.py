"""Independent reference values for hftlab risk, computed with numpy/scipy/pandas.

Run from the repository root with the Debian stack (numpy 1.24, scipy 1.10,
pandas 1.5):  /usr/bin/python3 tests/unit/data/risk_reference.py
It writes tests/unit/data/risk-reference.json. Nothing here shares code with
hftlab: moments come from scipy.stats, quantiles from numpy.quantile,
normal quantiles from scipy.stats.norm, the EWMA from pandas.ewm, beta
from scipy.stats.linregress, drawdowns from pandas cummax, calendar
returns from pandas resample, the coverage tests from binomial and
Bernoulli log-likelihoods (scipy.stats.binom / bernoulli) and scipy's chi2.
"""
import json
import math

import numpy as np
import pandas as pd
from scipy import stats

P = 252
CONF = [0.95, 0.99]


def simple_returns(prices):
    return prices[1:] / prices[:-1] - 1.0


def drawdown_episodes(r, times):
    """Episodes from the last bar at the running high to the first bar back at it."""
    w = np.concatenate([[1.0], np.cumprod(1.0 + r)])
    peak_value = pd.Series(w).cummax().to_numpy()
    out = []
    i = 0
    n = len(w)
    while i < n:
        if w[i] >= peak_value[i] and (i + 1 < n and w[i + 1] < w[i]):
            peak = i
            j = i + 1
            while j < n and w[j] < w[peak]:
                j += 1
            seg = w[peak:j]
            trough = peak + int(np.argmin(seg))
            out.append({"depth": float(w[trough] / w[peak] - 1.0), "peak": times[peak], "trough": times[trough],
                        "recovery": times[j] if j < n else None, "bars": trough - peak,
                        "recoveryBars": (j - trough) if j < n else None})
            i = j
        else:
            i += 1
    out.sort(key=lambda e: e["depth"])
    return out


def coverage(hits, alpha):
    T = len(hits)
    x = int(hits.sum())
    # Kupiec: binomial likelihood at alpha against the MLE x/T.
    lr_pof = 2.0 * (stats.binom.logpmf(x, T, x / T) - stats.binom.logpmf(x, T, alpha))
    prev, cur = hits[:-1], hits[1:]
    n00 = int(((prev == 0) & (cur == 0)).sum()); n01 = int(((prev == 0) & (cur == 1)).sum())
    n10 = int(((prev == 1) & (cur == 0)).sum()); n11 = int(((prev == 1) & (cur == 1)).sum())
    pi0 = n01 / (n00 + n01) if n00 + n01 else 0.0
    pi1 = n11 / (n10 + n11) if n10 + n11 else 0.0
    pi = (n01 + n11) / (n00 + n01 + n10 + n11)
    ll_markov = (stats.bernoulli.logpmf(cur[prev == 0], pi0).sum() + stats.bernoulli.logpmf(cur[prev == 1], pi1).sum())
    ll_iid = stats.bernoulli.logpmf(cur, pi).sum()
    lr_ind = 2.0 * (ll_markov - ll_iid)
    lr_cc = lr_pof + lr_ind
    return {"exceedances": x, "kupiec": [float(lr_pof), float(stats.chi2.sf(lr_pof, 1))],
            "independence": [float(lr_ind), float(stats.chi2.sf(lr_ind, 1))],
            "conditionalCoverage": [float(lr_cc), float(stats.chi2.sf(lr_cc, 2))]}


def series_reference(r, times):
    n = len(r)
    out = {"observations": n}
    out["totalReturn"] = float(np.prod(1.0 + r) - 1.0)
    out["cagr"] = float(np.prod(1.0 + r) ** (P / n) - 1.0)
    out["annualReturn"] = float(P * r.mean())
    out["volatility"] = float(math.sqrt(P) * r.std(ddof=1))
    out["sharpe"] = float(math.sqrt(P) * r.mean() / r.std(ddof=1))
    dd = math.sqrt(np.mean(np.minimum(r, 0.0) ** 2))
    out["sortino"] = float(math.sqrt(P) * r.mean() / dd)
    out["omega"] = float(r[r > 0].sum() / -r[r < 0].sum())
    q = np.quantile(r, [0.05, 0.95])
    out["tailRatio"] = float(abs(q[1]) / abs(q[0]))
    out["skew"] = float(stats.skew(r, bias=True))
    out["kurtosis"] = float(stats.kurtosis(r, fisher=True, bias=True))
    sr = r.mean() / r.std(ddof=1)
    g3 = stats.skew(r); g4 = stats.kurtosis(r, fisher=False)
    out["probabilisticSharpe"] = float(stats.norm.cdf(sr * math.sqrt(n - 1) / math.sqrt(1 - g3 * sr + (g4 - 1) / 4 * sr * sr)))
    episodes = drawdown_episodes(r, times)
    out["drawdowns"] = episodes[:5]
    out["calmar"] = out["cagr"] / abs(episodes[0]["depth"])
    var = {"historical": {}, "gaussian": {}, "ewma": {}}
    es = {"historical": {}, "gaussian": {}, "ewma": {}}
    sigma = math.sqrt(pd.Series(r * r).ewm(alpha=0.06, adjust=False).mean().iloc[-1])
    for c in CONF:
        key = str(c)
        qa = np.quantile(r, 1 - c)
        var["historical"][key] = float(-qa)
        es["historical"][key] = float(-r[r <= qa].mean())
        dist = stats.norm(loc=r.mean(), scale=r.std(ddof=1))
        var["gaussian"][key] = float(-dist.ppf(1 - c))
        # ES of a normal: -E[X | X <= q], by numerical integration of the density (scipy expect).
        qg = dist.ppf(1 - c)
        es["gaussian"][key] = float(-dist.expect(lambda x: x, ub=qg, conditional=True))
        ew = stats.norm(loc=0.0, scale=sigma)
        var["ewma"][key] = float(-ew.ppf(1 - c))
        es["ewma"][key] = float(-ew.expect(lambda x: x, ub=ew.ppf(1 - c), conditional=True))
    out["var"] = var
    out["es"] = es
    return out


def main():
    # sp500-2000.csv: daily ISO dates, adjclose.
    sp = pd.read_csv("fixtures/sp500-2000.csv")
    prices = sp["adjclose"].to_numpy()
    times = list(sp["date"])
    r = simple_returns(prices)
    ref = {"sp500": series_reference(r, times)}
    # Calendar: pandas resample of the returns stamped with their end dates.
    s = pd.Series(r, index=pd.to_datetime(sp["date"][1:]))
    monthly = (1 + s).resample("M").prod() - 1
    yearly = (1 + s).resample("A").prod() - 1
    ref["sp500"]["calendarFirst"] = [{"year": d.year, "month": d.month, "return": float(v)} for d, v in monthly.iloc[:3].items()]
    ref["sp500"]["calendarMonths"] = len(monthly)
    ref["sp500"]["years"] = [{"year": d.year, "return": float(v)} for d, v in yearly.items()]
    # VaR backtest, window 250, historical and gaussian, against the realised return.
    N = 250
    backtest = {}
    for method in ("historical", "gaussian", "ewma"):
        backtest[method] = {}
        for c in CONF:
            hits = np.zeros(len(r) - N, dtype=int)
            for t in range(N, len(r)):
                w = r[t - N:t]
                if method == "historical":
                    v = -np.quantile(w, 1 - c)
                elif method == "gaussian":
                    v = -stats.norm(loc=w.mean(), scale=w.std(ddof=1)).ppf(1 - c)
                else:
                    sig = math.sqrt(pd.Series(w * w).ewm(alpha=0.06, adjust=False).mean().iloc[-1])
                    v = -stats.norm(scale=sig).ppf(1 - c)
                hits[t - N] = 1 if r[t] < -v else 0
            backtest[method][str(c)] = coverage(hits, 1 - c)
    ref["sp500"]["varBacktest250"] = backtest
    # eustocks: benchmark FTSE, rolling 60 at a few bars.
    eu = pd.read_csv("fixtures/eustocks.csv")
    R = eu[["DAX", "SMI", "CAC", "FTSE"]].pct_change().iloc[1:]
    dax, ftse = R["DAX"].to_numpy(), R["FTSE"].to_numpy()
    lr = stats.linregress(ftse, dax)
    active = dax - ftse
    up = ftse > 0; down = ftse < 0
    ref["eustocksDaxVsFtse"] = {
        "beta": float(lr.slope), "alphaPerPeriod": float(lr.intercept), "correlation": float(np.corrcoef(dax, ftse)[0, 1]),
        "trackingError": float(math.sqrt(P) * active.std(ddof=1)),
        "informationRatio": float(P * active.mean() / (math.sqrt(P) * active.std(ddof=1))),
        "upCapture": float(dax[up].mean() / ftse[up].mean()), "downCapture": float(dax[down].mean() / ftse[down].mean()),
    }
    roll = R["DAX"].rolling(60)
    rs = R["DAX"].reset_index(drop=True)
    wealth = (1 + rs).cumprod()
    rows = {}
    for t in (59, 60, 500, len(rs) - 1):
        w = rs.iloc[t - 59:t + 1]
        base = 1.0 if t - 60 < 0 else wealth.iloc[t - 60]
        path = np.concatenate([[base], wealth.iloc[t - 59:t + 1].to_numpy()])
        cov = np.cov(rs.iloc[t - 59:t + 1], R["FTSE"].reset_index(drop=True).iloc[t - 59:t + 1], ddof=1)
        rows[str(t)] = {
            "time": str(eu["t"].iloc[t + 1]),
            "return": float(np.prod(1 + w) - 1), "volatility": float(math.sqrt(P) * roll.std().iloc[t]),
            "sharpe": float(math.sqrt(P) * roll.mean().iloc[t] / roll.std().iloc[t]),
            "drawdown": float(path[-1] / path.max() - 1), "beta": float(cov[0, 1] / cov[1, 1])}
    ref["eustocksDaxRolling60"] = rows
    with open("tests/unit/data/risk-reference.json", "w") as f:
        json.dump(ref, f, indent=1)


main()
