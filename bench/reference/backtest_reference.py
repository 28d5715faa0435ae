"""Reference implementation of the rolling-origin (leave-future-out) backtest, for benchmarks only.

The procedure of `scalewise backtest --candidates chinchilla:huber` on the 529-run sweep: per datamix, the
compute budgets sorted; for each cut from the 3rd budget to the last but one, the Chinchilla law fitted on the
runs at or below it (Huber delta = 1e-3 on log loss, summed; log L_hat = logsumexp(a - alpha log N,
b - beta log D, e)) and every later run forecast. Each fit scores the 972 starts of scalewise's default grid
and runs scipy's L-BFGS-B (analytic gradient) from the 64 best, keeping the best optimum: the same search.

Prints one JSON object: seconds, and per datamix the number of forecasts and their mean |relative error|.
"""
import argparse
import csv
import itertools
import json
import time

import numpy as np
from scipy.optimize import minimize
from scipy.special import logsumexp

DELTA = 1e-3
STARTS = np.array(list(itertools.product(range(0, 30, 5), range(0, 30, 5), [-1, 0, 1], [0.2, 0.5, 1], [0.2, 0.5, 1])), dtype=float)


def objective(theta, logN, logD, logL):
    a, b, e, alpha, beta = theta
    terms = np.stack([a - alpha * logN, b - beta * logD, np.full_like(logN, e)])
    pred = logsumexp(terms, axis=0)
    r = logL - pred
    small = np.abs(r) <= DELTA
    value = np.sum(np.where(small, 0.5 * r * r, DELTA * (np.abs(r) - 0.5 * DELTA)))
    psi = np.where(small, r, DELTA * np.sign(r))
    w = np.exp(terms - pred)
    dpred = np.stack([w[0], w[1], w[2], -logN * w[0], -logD * w[1]])
    return value, -(dpred * psi).sum(axis=1)


def fit(logN, logD, logL):
    scores = [objective(s, logN, logD, logL)[0] for s in STARTS]
    best = None
    for i in np.argsort(scores, kind="stable")[:64]:
        res = minimize(objective, STARTS[i], args=(logN, logD, logL), jac=True, method="L-BFGS-B")
        if best is None or res.fun < best.fun:
            best = res
    return best.x


def predict(theta, logN, logD):
    a, b, e, alpha, beta = theta
    return np.exp(logsumexp(np.stack([a - alpha * logN, b - beta * logD, np.full_like(logN, e)]), axis=0))


def budgets(C, tol=1e-6):
    out = []
    for c in sorted(C):
        if not out or c > out[-1] * (1 + tol):
            out.append(c)
    return out


def backtest(rows):
    N = np.array([float(r["params"]) for r in rows])
    D = np.array([float(r["tokens"]) for r in rows])
    C = np.array([float(r["iso_flop"]) for r in rows])
    L = np.array([float(r["loss_val_own"]) for r in rows])
    starts = budgets(C)
    which = np.array([max(k for k, s in enumerate(starts) if s <= c) for c in C])
    errors = []
    for k in range(2, len(starts) - 1):
        f, t = which <= k, which > k
        theta = fit(np.log(N[f]), np.log(D[f]), np.log(L[f]))
        pred = predict(theta, np.log(N[t]), np.log(D[t]))
        errors.extend(np.abs(pred - L[t]) / L[t])
    return {"forecasts": len(errors), "meanAbsRelErr": float(np.mean(errors))}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--csv", default="datasets/kempner/runs.csv")
    p.add_argument("--datamix", action="append", help="datamixes (default: all)")
    a = p.parse_args()
    with open(a.csv) as f:
        rows = list(csv.DictReader(f))
    mixes = a.datamix or list(dict.fromkeys(r["datamix"] for r in rows))
    t0 = time.perf_counter()
    out = {m: backtest([r for r in rows if r["datamix"] == m]) for m in mixes}
    print(json.dumps({"seconds": time.perf_counter() - t0, "groups": out}))


if __name__ == "__main__":
    main()
