"""Golden values from scipy for the optimiser tests (test/fixtures/scipy/*.json).

Run from the repository root: python3 bench/reference/make_fixtures.py
The tests read only the JSON; scalewise never needs Python.
"""
import json

import numpy as np
import scipy
from scipy.optimize import least_squares, minimize

from chinchilla_reference import HOFFMANN, load, objective, params


def write(name, data):
    data["generator"] = f"bench/reference/make_fixtures.py, scipy {scipy.__version__}, numpy {np.__version__}"
    with open(f"test/fixtures/scipy/{name}.json", "w") as f:
        json.dump(data, f, indent=1)


logN, logD, logL = load("datasets/chinchilla/epoch_chinchilla_points.csv")
value, grad = objective(HOFFMANN, logN, logD, logL)
res = minimize(objective, HOFFMANN, args=(logN, logD, logL), jac=True, method="L-BFGS-B",
               options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 10000})
write("chinchilla_single_start", {
    "theta0": HOFFMANN.tolist(), "objective_at_theta0": float(value), "gradient_at_theta0": grad.tolist(),
    "lbfgsb": {"objective": float(res.fun), "theta": res.x.tolist(), "params": params(res.x), "nit": int(res.nit)},
})

# y = p0 exp(-p1 t) + p2 with fixed noise, solved with MINPACK's Levenberg-Marquardt.
t = np.arange(10.0)
noise = np.array([0.012, -0.008, 0.015, -0.011, 0.004, 0.009, -0.013, 0.006, -0.002, 0.01])
y = 2.5 * np.exp(-0.35 * t) + 0.7 + noise
fun = lambda p: y - (p[0] * np.exp(-p[1] * t) + p[2])
lm = least_squares(fun, [1.0, 1.0, 0.0], method="lm", xtol=1e-15, ftol=1e-15, gtol=1e-15)
write("lm_exp_decay", {"t": t.tolist(), "y": y.tolist(), "start": [1.0, 1.0, 0.0], "solution": lm.x.tolist(),
                       "cost": float(lm.cost)})

rosen = minimize(lambda x: sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2), [-1.2, 1.0],
                 method="Nelder-Mead")
write("nelder_mead_rosenbrock", {"start": [-1.2, 1.0], "x": rosen.x.tolist(), "fun": float(rosen.fun),
                                 "nit": int(rosen.nit), "nfev": int(rosen.nfev)})
