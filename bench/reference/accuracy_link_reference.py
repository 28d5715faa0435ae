"""scipy reference for the bounded accuracy link (src/laws/accuracy-link.ts, src/methods/accuracy-link.ts).

Step 2 of Bhagia et al. (2024, arXiv 2412.04403, section 3.2): Acc(L) = a/(1 + exp(-k(L - L0))) + b, bounded between
the task's chance level c and 1, i.e. b = top, a = c - top:

    Acc(L) = c + (top - c)/(1 + exp(k(L - L0))),   c <= top <= 1, k >= 0,

fitted by scipy.optimize.curve_fit (least squares; bounds -> 'trf') on kempner's fineweb runs
(datasets/kempner/runs.csv, datamix=fineweb, 90 rows), task loss -> accuracy with chance 0.25, the anchor point
(loss 0, accuracy 1) appended as one more data point where given.
Prints the fitted parameters and the sum of squared residuals, which test/accuracy-link.test.ts reproduces.

Run: python3 bench/reference/accuracy_link_reference.py   (scipy 1.17.1, numpy)
"""

import csv
import json
from pathlib import Path

import numpy as np
from scipy.optimize import curve_fit

ROOT = Path(__file__).resolve().parents[2]
rows = [r for r in csv.DictReader(open(ROOT / "datasets/kempner/runs.csv")) if r["datamix"] == "fineweb"]
CHANCE = 0.25

# (name, task loss column, accuracy column, anchors): hellaswag with and without the anchor (both put the ceiling on
# its bound, top = 1), arc_easy without it (an interior optimum, top < 1).
CASES = [
    ("hellaswag_anchor", "loss_task_hellaswag", "acc_lennorm_task_hellaswag", [(0.0, 1.0)]),
    ("hellaswag_none", "loss_task_hellaswag", "acc_lennorm_task_hellaswag", []),
    ("arc_easy_none", "loss_task_arc_easy", "acc_task_arc_easy", []),
]


def bounded(L, top, k, L0):
    return CHANCE + (top - CHANCE) / (1 + np.exp(k * (L - L0)))


out = {"n": len(rows), "chance": CHANCE}
for name, loss_col, acc_col, anchors in CASES:
    loss = np.array([float(r[loss_col]) for r in rows])
    acc = np.array([float(r[acc_col]) for r in rows])
    x = np.concatenate([loss, [a[0] for a in anchors]])
    y = np.concatenate([acc, [a[1] for a in anchors]])
    best = None
    # Several starts, the best kept (the optimum does not depend on them).
    for p0 in [(1.0, 2.0, 2.0), (0.9, 5.0, 3.0), (0.6, 1.0, 5.0), (0.6, 10.0, 3.0)]:
        try:
            popt, _ = curve_fit(
                bounded, x, y, p0=p0, bounds=([CHANCE, 0, -np.inf], [1, np.inf, np.inf]), xtol=1e-15, ftol=1e-15, gtol=1e-15, max_nfev=100000
            )
        except RuntimeError:
            continue
        sse = float(np.sum((y - bounded(x, *popt)) ** 2))
        if best is None or sse < best[1]:
            best = (popt, sse)
    popt, sse = best
    out[name] = {"top": float(popt[0]), "k": float(popt[1]), "L0": float(popt[2]), "sse": sse}
print(json.dumps(out, indent=2))
