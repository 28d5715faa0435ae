"""Reference implementation of Epoch AI's Chinchilla Approach-3 fit, for benchmarks only.

Besiroglu, Erdil, Barnett, You (2024), "Chinchilla Scaling: A replication attempt", arXiv:2404.10102;
procedure of github.com/epoch-research/analyzing-chinchilla (data_analysis.ipynb): log L_hat =
logsumexp(a - alpha log N, b - beta log D, e), Huber(delta = 1e-3) of log L - log L_hat summed over runs.

  grid       every start of Hoffmann's 4,500-point grid, scipy L-BFGS-B with the analytic gradient
  bootstrap  resamples of the runs (np.random.seed + np.random.choice), scipy BFGS with the analytic
             gradient from Hoffmann's unrounded constants, one start per resample

Prints one JSON object. scalewise never needs Python; bench/run.ts calls this to compare in one run.
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
HOFFMANN = np.array([6.0073404, 6.0179186, 0.5267228, 0.33917084, 0.2849083])  # a, b, e, alpha, beta


def load(path):
    with open(path) as f:
        rows = [r for r in csv.DictReader(f) if r["in_epoch_fit"] == "1"]
    N = np.array([float(r["N_params"]) for r in rows])
    D = np.array([float(r["D_tokens"]) for r in rows])
    L = np.array([float(r["loss"]) for r in rows])
    return np.log(N), np.log(D), np.log(L)


def objective(theta, logN, logD, logL):
    a, b, e, alpha, beta = theta
    terms = np.stack([a - alpha * logN, b - beta * logD, np.full_like(logN, e)])
    pred = logsumexp(terms, axis=0)
    r = logL - pred
    small = np.abs(r) <= DELTA
    value = np.sum(np.where(small, 0.5 * r * r, DELTA * (np.abs(r) - 0.5 * DELTA)))
    psi = np.where(small, r, DELTA * np.sign(r))
    w = np.exp(terms - pred)  # softmax weights: d pred / d (a, b, e)
    dpred = np.stack([w[0], w[1], w[2], -logN * w[0], -logD * w[1]])
    grad = -(dpred * psi).sum(axis=1)
    return value, grad


def params(theta):
    a, b, e, alpha, beta = theta
    return {"A": float(np.exp(a)), "B": float(np.exp(b)), "E": float(np.exp(e)), "alpha": float(alpha), "beta": float(beta)}


def grid(logN, logD, logL):
    starts = list(itertools.product(np.arange(0, 30, 5), np.arange(0, 30, 5), np.arange(-1, 1.5, 0.5),
                                    np.arange(0, 2.5, 0.5), np.arange(0, 2.5, 0.5)))
    best, converged = None, 0
    t0 = time.perf_counter()
    for s in starts:
        res = minimize(objective, np.array(s, dtype=float), args=(logN, logD, logL), jac=True, method="L-BFGS-B")
        converged += bool(res.success)
        if best is None or res.fun < best.fun:
            best = res
    seconds = time.perf_counter() - t0
    return {"objective": float(best.fun), "theta": best.x.tolist(), "params": params(best.x), "starts": len(starts),
            "converged_starts": converged, "seconds": seconds}


def bootstrap(logN, logD, logL, resamples, seed):
    np.random.seed(seed)
    n = len(logL)
    out = []
    t0 = time.perf_counter()
    for _ in range(resamples):
        idx = np.random.choice(n, n, replace=True)
        res = minimize(objective, HOFFMANN, args=(logN[idx], logD[idx], logL[idx]), jac=True, method="BFGS")
        out.append(res.x)
    seconds = time.perf_counter() - t0
    draws = [params(x) for x in out]
    keys = ["A", "B", "E", "alpha", "beta"]
    cols = {k: np.array([d[k] for d in draws]) for k in keys}
    a_opt = cols["beta"] / (cols["alpha"] + cols["beta"])
    return {"resamples": resamples, "seed": seed, "seconds": seconds,
            "se": {k: float(np.std(v, ddof=1)) for k, v in cols.items()},
            "ci95": {k: [float(np.percentile(v, 2.5)), float(np.percentile(v, 97.5))] for k, v in cols.items()},
            "a_opt": {"mean": float(a_opt.mean()), "sd": float(a_opt.std(ddof=1))}}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["grid", "bootstrap"])
    p.add_argument("--csv", default="datasets/chinchilla/epoch_chinchilla_points.csv")
    p.add_argument("--resamples", type=int, default=4000)
    p.add_argument("--seed", type=int, default=42)
    a = p.parse_args()
    data = load(a.csv)
    result = grid(*data) if a.mode == "grid" else bootstrap(*data, a.resamples, a.seed)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
