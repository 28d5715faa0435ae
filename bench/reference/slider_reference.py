"""Reference for the dashboard's slider recompute, for benchmarks only (bench/slider.ts).

The same computation as one slider move in `scalewise serve`: the validation-mix loss per run
(w * knowledge + (1 - w) * code, each skill the mean of its task losses), then per IsoFLOP budget the
least-squares parabola of loss in log N (numpy.polyfit), its vertex kept when interior, and
log N* = a log C + log k by least squares. Prints one JSON object: median ms per update and N* at
the largest budget for w = 0.3 (to check both sides compute the same thing).
"""
import argparse
import csv
import json
import time

import numpy as np

KNOWLEDGE = ["loss_task_mmlu_humanities", "loss_task_mmlu_other", "loss_task_mmlu_social_sciences", "loss_task_mmlu_stem",
             "loss_task_arc_easy", "loss_task_arc_challenge", "loss_task_sciq", "loss_task_openbook_qa"]
CODE = ["loss_task_imbue_code_comprehension", "loss_task_imbue_codegen"]


def budgets(C, N):
    """Runs grouped by budget (relative tolerance 1e-6), sorted by N, with the start of each distinct size."""
    order = np.argsort(C, kind="stable")
    groups, cur = [], [order[0]]
    for i in order[1:]:
        if C[i] <= C[cur[0]] * (1 + 1e-6):
            cur.append(i)
        else:
            groups.append(cur)
            cur = [i]
    groups.append(cur)
    out = []
    for g in groups:
        g = np.array(sorted(g, key=lambda i: N[i]))
        starts = np.flatnonzero(np.r_[True, np.diff(N[g]) != 0])
        out.append((g, starts))
    return out


def update(C, N, know, code, w, groups):
    loss = w * know + (1 - w) * code
    xs, ys = [], []
    for g, starts in groups:
        # Several runs of one size at a budget (several datamixes): the best is that size's loss, as scalewise does.
        x = np.log(N[g][starts])
        c2, c1, _ = np.polyfit(x, np.minimum.reduceat(loss[g], starts), 2)
        if c2 <= 0:
            continue
        v = -c1 / (2 * c2)
        if x[0] < v < x[-1]:
            xs.append(np.log(np.median(C[g])))
            ys.append(v)
    a, logk = np.polyfit(xs, ys, 1)
    top = np.log(np.median(C[groups[-1][0]]))
    return a, float(np.exp(ys[-1])) if xs and xs[-1] == top else None


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--csv", required=True)
    p.add_argument("--group", default=None)
    p.add_argument("--updates", type=int, default=200)
    args = p.parse_args()
    with open(args.csv) as f:
        rows = [r for r in csv.DictReader(f) if args.group is None or r["datamix"] == args.group]
    C = np.array([float(r["iso_flop"]) for r in rows])
    N = np.array([float(r["params"]) for r in rows])
    know = np.mean([[float(r[c]) for c in KNOWLEDGE] for r in rows], axis=1)
    code = np.mean([[float(r[c]) for c in CODE] for r in rows], axis=1)
    groups = budgets(C, N)
    times = []
    for i in range(args.updates):
        w = ((i * 37) % 101) / 100
        t = time.perf_counter()
        update(C, N, know, code, w, groups)
        times.append((time.perf_counter() - t) * 1000)
    print(json.dumps({"median_ms": float(np.median(times)), "N_top_w03": update(C, N, know, code, 0.3, groups)[1]}))


if __name__ == "__main__":
    main()
