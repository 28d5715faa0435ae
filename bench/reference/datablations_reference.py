"""Reference fits of Muennighoff et al. (2023), "Scaling Data-Constrained Language Models", for tests only.

Procedure of github.com/huggingface/datablations, utils/parametric_fit.ipynb (commit 13701315), restated in
float64 with scipy (no code copied):

  dc        cells 28-29: the data-constrained law with the five "C4 scaling coefficients" fixed (cell 29,
            a, b, e, alpha, beta = log A, log B, log E, alpha, beta), R_D*, R_N* fitted; Huber(delta = 1e-3)
            of log L - log L_hat summed over the 182 runs of cell 25 (datasets/datablations runs.csv,
            in_dc_fit = 1). U_N = min(N, N_opt(C(U))) with C(U) the compute whose optimal D is U under the
            base law, R_N = N/U_N - 1, R_D = D/U - 1.
            Evaluated twice: in float64, and with the inputs rounded to float32 as torch.Tensor does in the
            notebook, to show where the printed digits of the notebook's float32 LBFGS come from.
  chinchilla cells 16-18: E + A/N^alpha + B/D^beta on the runs with D/U <= 1 and <= 2 (all of cell 1).

Prints one JSON object. scalewise never needs Python.
"""
import argparse
import csv
import itertools
import json

import numpy as np
from scipy.optimize import minimize
from scipy.special import logsumexp

DELTA = 1e-3
C4 = [6.255414, 7.3049974, 0.6254804, 0.3526596, 0.3526596]  # cell 29: a, b, e, alpha, beta
PUBLISHED = {"RD": 15.387756, "RN": 5.309743, "objective": 0.015825936570763588}  # cell 29's output
# Cell 18 ("US max samples": <= 1 epoch; "US 59 samples": <= 2 epochs): a, b, e, alpha, beta.
PUBLISHED_CHINCHILLA = {1: [6.116534, 8.595937, 0.6477759, 0.339058, 0.3873501], 2: [6.2826843, 8.082129, 0.6377628, 0.3496321, 0.3626313]}


def huber(r):
    a = np.abs(r)
    return np.where(a <= DELTA, 0.5 * r * r, DELTA * (a - 0.5 * DELTA))


def load(path):
    with open(path) as f:
        rows = list(csv.DictReader(f))
    col = lambda k, rs: np.array([float(r[k]) for r in rs])
    return rows, col


def unique_n(N, U, base):
    a, b, e, alpha, beta = base
    A, B = np.exp(a), np.exp(b)
    G = ((alpha * A) / (beta * B)) ** (1 / (alpha + beta))
    # C(U): the compute whose optimal D is U, D_opt = G^-1 (C/6)^(alpha/(alpha+beta)); then N_opt(C) = G (C/6)^(beta/(alpha+beta)).
    c6 = (G * U) ** ((alpha + beta) / alpha)
    return np.minimum(N, G * c6 ** (beta / (alpha + beta)))


def dc_features(N, D, U, base, dtype):
    UN = unique_n(N, U, base)
    RD = np.maximum(D / U - 1, 0)
    RN = np.maximum(N / UN - 1, 0)
    return [np.asarray(x, dtype=dtype).astype(np.float64) for x in (UN, U, RD, RN)]


def dc_objective(x, feats, base, logL, log_space):
    UN, U, RD, RN = feats
    a, b, e, alpha, beta = base
    rd, rn = (np.exp(x) if log_space else x)
    Np = UN + UN * rn * (1 - np.exp(-RN / rn))
    Dp = U + U * rd * (1 - np.exp(-RD / rd))
    pred = logsumexp(np.stack([a - alpha * np.log(Np), b - beta * np.log(Dp), np.full_like(UN, e)]), axis=0)
    return float(np.sum(huber(logL - pred)))


def fit_dc(N, D, U, L, dtype):
    base = [float(np.asarray(v, dtype=dtype)) for v in C4]
    feats = dc_features(N, D, U, C4, dtype)
    logL = np.log(np.asarray(L, dtype=dtype).astype(np.float64))
    best = None
    for rd0 in [2.0, 5.0, 15.0, 40.0]:
        for rn0 in [2.0, 5.0, 15.0, 40.0]:
            r = minimize(dc_objective, np.log([rd0, rn0]), args=(feats, base, logL, True), method="Nelder-Mead",
                         options={"xatol": 1e-12, "fatol": 1e-16, "maxiter": 20000})
            if best is None or r.fun < best.fun:
                best = r
    rd, rn = np.exp(best.x)
    at_published = dc_objective([PUBLISHED["RD"], PUBLISHED["RN"]], feats, base, logL, False)
    # The optimum of the basin the published point lies in: Nelder-Mead from it.
    local = minimize(dc_objective, np.log([PUBLISHED["RD"], PUBLISHED["RN"]]), args=(feats, base, logL, True),
                     method="Nelder-Mead", options={"xatol": 1e-12, "fatol": 1e-16, "maxiter": 20000})
    lrd, lrn = np.exp(local.x)
    return {"RD": rd, "RN": rn, "objective": best.fun, "objective_at_published": at_published,
            "local_from_published": {"RD": lrd, "RN": lrn, "objective": local.fun}}


def chin_objective(theta, logN, logD, logL):
    a, b, e, alpha, beta = theta
    pred = logsumexp(np.stack([a - alpha * logN, b - beta * logD, np.full_like(logN, e)]), axis=0)
    r = logL - pred
    w = np.exp(np.stack([a - alpha * logN, b - beta * logD, np.full_like(logN, e)]) - pred)
    g = -np.clip(r, -DELTA, DELTA)
    return float(np.sum(huber(r))), np.array([np.sum(g * w[0]), np.sum(g * w[1]), np.sum(g * w[2]),
                                              np.sum(g * w[0] * -logN), np.sum(g * w[1] * -logD)])


def fit_chinchilla(N, D, L, published):
    logN, logD, logL = np.log(N), np.log(D), np.log(L)
    # Cell 17's untied grid: a, b in linspace(0, 12, 4), e in linspace(-1, 1, 4), alpha, beta in linspace(0, 1, 4);
    # the 64 starts of lowest objective are optimised (the others are far from the optimum).
    grid = [np.array(t) for t in itertools.product(np.linspace(0, 12, 4), np.linspace(0, 12, 4), np.linspace(-1, 1, 4),
                                                   np.linspace(0, 1, 4), np.linspace(0, 1, 4))]
    grid.sort(key=lambda t: chin_objective(t, logN, logD, logL)[0])
    best = None
    for t in grid[:64]:
        r = minimize(chin_objective, t, args=(logN, logD, logL), jac=True, method="L-BFGS-B",
                     options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 5000})
        if best is None or r.fun < best.fun:
            best = r
    a, b, e, alpha, beta = best.x
    A, B = np.exp(a), np.exp(b)
    G = ((alpha * A) / (beta * B)) ** (1 / (alpha + beta))
    n_opt = G * (5.76e23 / 6) ** (beta / (alpha + beta))
    at_published = chin_objective(np.array(published), logN, logD, logL)[0]
    return {"n": len(N), "theta": list(best.x), "objective": best.fun, "N_opt_5.76e23": n_opt,
            "objective_at_published": at_published}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("csv", nargs="?", default="datasets/datablations/runs.csv")
    p.add_argument("--no-chinchilla", action="store_true")
    args = p.parse_args()
    rows, col = load(args.csv)
    dc = [r for r in rows if r["in_dc_fit"] == "1"]
    N, D, U, L = (col(k, dc) for k in ("N", "D", "U", "loss"))
    out = {"n": len(dc), "published": PUBLISHED, "float64": fit_dc(N, D, U, L, np.float64),
           "float32_inputs": fit_dc(N, D, U, L, np.float32)}
    if not args.no_chinchilla:
        for ep in (1, 2):
            sel = [r for r in rows if float(r["D"]) / float(r["U"]) <= ep]
            out[f"chinchilla_le{ep}"] = fit_chinchilla(*(col(k, sel) for k in ("N", "D", "loss")), PUBLISHED_CHINCHILLA[ep])
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
