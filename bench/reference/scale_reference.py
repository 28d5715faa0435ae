"""numpy/scipy references for `npm run bench:scale`, on the same synthetic checkpoint table (bench/scale-data.ts).
Benchmarks only: scalewise never needs Python.

  fit      Chinchilla Approach 3, Huber(1e-3) on log loss summed, the same search scalewise runs on a table this
           large: the 972-start default grid ranked on a random 4,096-row subsample, the 64 best optimised there
           with L-BFGS-B (analytic gradient), the best polished on every row (L-BFGS-B, ftol 1e-15, gtol 1e-12)
  isoflop  per budget (rows of equal C), a least-squares parabola of loss in log N (np.polyfit), the vertex when
           interior, then log N* = a log C + log k by least squares
  l2l      K, kappa of log(L_y - E_y) on log(L_x - E_x) with E given, and 1,000 resamples of the pairs

Prints one JSON object: seconds (computation only, after reading), and the numbers to compare.
"""
import argparse
import itertools
import json
import time

import numpy as np
from scipy.optimize import minimize
from scipy.special import logsumexp

DELTA = 1e-3


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


def fit(cols):
    logN, logD, logL = np.log(cols["N"]), np.log(cols["D"]), np.log(cols["loss"])
    n = len(logL)
    t0 = time.perf_counter()
    idx = np.sort(np.random.default_rng(0).choice(n, min(n, 4096), replace=False)) if n > 8192 else np.arange(n)
    sN, sD, sL = logN[idx], logD[idx], logL[idx]
    starts = [np.array(s, dtype=float) for s in itertools.product(range(0, 30, 5), range(0, 30, 5), [-1, 0, 1], [0.2, 0.5, 1], [0.2, 0.5, 1])]
    ranked = sorted(starts, key=lambda s: objective(s, sN, sD, sL)[0])[:64]
    best = min((minimize(objective, s, args=(sN, sD, sL), jac=True, method="L-BFGS-B") for s in ranked), key=lambda r: r.fun)
    polish = minimize(objective, best.x, args=(logN, logD, logL), jac=True, method="L-BFGS-B", options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 5000})
    seconds = time.perf_counter() - t0
    a, b, e, alpha, beta = polish.x
    return {"seconds": seconds, "objective": float(polish.fun), "alpha": float(alpha), "beta": float(beta), "E": float(np.exp(e))}


def isoflop(cols):
    t0 = time.perf_counter()
    C, logN, loss = cols["C"], np.log(cols["N"]), cols["loss"]
    order = np.argsort(C, kind="stable")
    C, logN, loss = C[order], logN[order], loss[order]
    # Budgets: runs whose C agree within 1e-6 (relative) of the first of the budget.
    starts = np.flatnonzero(np.concatenate([[True], C[1:] > C[:-1] * (1 + 1e-6)]))
    bounds = np.append(starts, len(C))
    xs, ys = [], []
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        if hi - lo < 3:
            continue
        c2, c1, _ = np.polyfit(logN[lo:hi], loss[lo:hi], 2)
        if c2 <= 0:
            continue
        v = -c1 / (2 * c2)
        if logN[lo:hi].min() < v < logN[lo:hi].max():
            xs.append(np.log(C[lo]))
            ys.append(v)
    a, logk = np.polyfit(np.array(xs), np.array(ys), 1)
    return {"seconds": time.perf_counter() - t0, "a": float(a), "budgets": int(len(starts)), "kept": len(xs)}


def l2l(cols, ex, ey, resamples):
    t0 = time.perf_counter()
    lx, ly = np.log(cols["loss"] - ex), np.log(cols["loss_b"] - ey)
    kappa, logK = np.polyfit(lx, ly, 1)
    rng = np.random.default_rng(0)
    n = len(lx)
    draws = []
    for _ in range(resamples):
        w = np.bincount(rng.integers(0, n, n), minlength=n).astype(float)
        mx, my = np.average(lx, weights=w), np.average(ly, weights=w)
        draws.append(np.sum(w * (lx - mx) * (ly - my)) / np.sum(w * (lx - mx) ** 2))
    lo, hi = np.percentile(draws, [2.5, 97.5])
    return {"seconds": time.perf_counter() - t0, "kappa": float(kappa), "K": float(np.exp(logK)), "ci95": [float(lo), float(hi)]}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["fit", "isoflop", "l2l"])
    p.add_argument("--csv", required=True)
    p.add_argument("--ex", type=float, default=1.5)
    p.add_argument("--ey", type=float, default=1.0)
    p.add_argument("--resamples", type=int, default=1000)
    args = p.parse_args()
    data = np.genfromtxt(args.csv, delimiter=",", names=True)
    cols = {k: np.asarray(data[k], dtype=float) for k in data.dtype.names}
    out = fit(cols) if args.mode == "fit" else isoflop(cols) if args.mode == "isoflop" else l2l(cols, args.ex, args.ey, args.resamples)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
