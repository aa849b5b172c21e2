"""What the maximum-likelihood models share: validated numeric inputs that name their rows in
errors, the optimiser and the standard errors, and the model base class.

Estimation: maximum likelihood with scipy's L-BFGS-B on the logarithms of the parameters (they
are all positive), from fixed starting values, with analytic gradients, then a few Newton steps
to polish the optimum; the same data always give the same numbers. Standard errors come from
the inverse of the observed information: the Hessian of −log L in the natural parameters,
computed by central differences of the analytic gradient at the estimate (checked against
statsmodels' ``approx_hess`` in the tests). Confidence intervals are Wald intervals on the log
scale, exp(log θ̂ ± z·se/θ̂), so they stay positive.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import optimize, special

from .._util import fmt
from ..io import InputError

_MAX_EXAMPLES = 5
_SUMMARY_COLUMNS = ["parameter", "estimate", "std_err", "ci_low", "ci_high"]


class _Arg:
    """A numeric input with the name to use in messages and the labels of its rows."""

    def __init__(self, name: str, value, *, data: pd.DataFrame | None = None, finite: bool = True):
        self.index = None
        if isinstance(value, str):
            if data is None:
                raise InputError(f"{name}={value!r} names a column, but no data= was given")
            if value not in data.columns:
                raise InputError(
                    f"{name}: column {value!r} is not in data; columns are "
                    f"{list(map(str, data.columns))}"
                )
            self.label = f"column {value!r}"
            self.index = data.index
            raw = _numpy(data[value])
        else:
            self.label = name
            if isinstance(value, pd.Series):
                self.index = value.index
                raw = _numpy(value)
            elif isinstance(value, pd.DataFrame):
                raise InputError(f"{name} must be a column name or a 1-d array, not a DataFrame")
            else:
                raw = value
        self.scalar = np.ndim(raw) == 0
        try:
            arr = np.asarray(raw, dtype=float)
        except (TypeError, ValueError):
            bad = [
                v for v in np.atleast_1d(np.asarray(raw, dtype=object)).ravel() if not _is_number(v)
            ][:_MAX_EXAMPLES]
            raise InputError(
                f"{self.label} must be numeric; offending values: {', '.join(map(repr, bad))}"
            ) from None
        if arr.ndim > 1:
            raise InputError(f"{self.label} must be a scalar or 1-d, not shape {arr.shape}")
        self.values = arr
        if finite:
            self.fail_if(~np.isfinite(arr), "must be finite (no missing or infinite values)")

    def where(self, mask) -> str:
        mask = np.broadcast_to(np.asarray(mask, dtype=bool), self.values.shape)
        pos = np.flatnonzero(np.atleast_1d(mask))
        vals = np.atleast_1d(self.values)
        if self.scalar:
            return f"got {fmt(float(vals[0]))}"
        labels = (
            list(self.index[pos[:_MAX_EXAMPLES]])
            if self.index is not None
            else list(pos[:_MAX_EXAMPLES])
        )
        kind = "row" if self.index is not None else "position"
        shown = ", ".join(
            f"{kind} {lab!r}: {fmt(vals[p])}"
            if isinstance(lab, str)
            else f"{kind} {lab}: {fmt(vals[p])}"
            for lab, p in zip(labels, pos[:_MAX_EXAMPLES])
        )
        more = f" and {len(pos) - _MAX_EXAMPLES} more" if len(pos) > _MAX_EXAMPLES else ""
        return f"{len(pos)} offending value{'s' if len(pos) != 1 else ''}, e.g. {shown}{more}"

    def fail_if(self, mask, message: str) -> None:
        mask = np.asarray(mask, dtype=bool)
        if mask.any():
            raise InputError(f"{self.label} {message}; {self.where(mask)}")


def _numpy(series: pd.Series) -> np.ndarray:
    """Values of a Series; missing values of numeric (also nullable) types become NaN."""
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series):
        return series.to_numpy(dtype=float, na_value=np.nan)
    return series.to_numpy()


def _is_number(v) -> bool:
    try:
        float(v)
    except (TypeError, ValueError):
        return False
    return True


def _int_like(arg: _Arg) -> np.ndarray:
    arg.fail_if(arg.values != np.round(arg.values), "must hold whole numbers (counts)")
    return arg.values


def _nonneg(arg: _Arg) -> np.ndarray:
    arg.fail_if(arg.values < 0, "must be >= 0")
    return arg.values


def _positive_scalar(name: str, value, *, allow_zero: bool = False) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a number, not {value!r}") from None
    if not math.isfinite(v) or v < 0 or (v == 0 and not allow_zero):
        raise InputError(
            f"{name} must be a finite number {'>=' if allow_zero else '>'} 0, not {value!r}"
        )
    return v


def _discount(name: str, value) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a number, not {value!r}") from None
    if not math.isfinite(v) or v <= -1:
        raise InputError(
            f"{name} must be a finite rate > -1 (e.g. 0.1 for 10% per period), not {value!r}"
        )
    return v


def _output(values: np.ndarray, args: Sequence[_Arg], name: str):
    """Scalars in → float out; a pandas input (or data=) → Series with its index; else array."""
    for a in args:
        if a.index is not None and values.ndim == 1 and len(a.index) == len(values):
            return pd.Series(values, index=a.index, name=name)
    if values.ndim == 0 or (all(a.scalar for a in args) and values.size == 1):
        return float(values.reshape(-1)[0])
    return values


def _rows(data, names: dict[str, object], method: str) -> tuple[pd.DataFrame | None, dict]:
    """Resolve seaborn-style arguments: a DataFrame plus column names, or arrays."""
    if data is not None and not isinstance(data, pd.DataFrame):
        raise InputError(f"{method}: data must be a pandas DataFrame, not {type(data).__name__}")
    return data, {k: _Arg(k, v, data=data) for k, v in names.items()}


def _shift_positional(data, values: list, names: list[str], method: str):
    """``fit(df, ...)`` or ``fit(array1, array2, ...)``: a non-DataFrame first argument is the
    first array and the other positional arguments shift along by one."""
    if data is None or isinstance(data, pd.DataFrame):
        return data, values
    if not isinstance(values[-1], str):
        raise InputError(
            f"{method}: pass either data= and column names, or the arrays {', '.join(names)}"
        )
    return None, [data, *values[:-1]]


def _cohort_counts(arg: _Arg, *, integer: bool) -> np.ndarray:
    if arg.scalar or arg.values.size < 2:
        raise InputError(
            f"{arg.label} must hold at least two counts (period 0 = the cohort "
            f"size, then the customers still active at periods 1, 2, …)"
        )
    n = _nonneg(arg)
    if integer:
        _int_like(arg)
    if n[0] <= 0:
        raise InputError(
            f"{arg.label}: the first count (period 0, the cohort size) must be > 0, not {fmt(n[0])}"
        )
    inc = np.concatenate([[False], np.diff(n) > 0])
    if inc.any():
        pos = np.flatnonzero(inc)[:_MAX_EXAMPLES]
        lab = (lambda p: arg.index[p]) if arg.index is not None else (lambda p: p)
        shown = ", ".join(f"{fmt(n[p - 1])} → {fmt(n[p])} at period {lab(p)}" for p in pos)
        raise InputError(
            f"{arg.label}: the number of customers still active cannot increase "
            f"over time (a cohort only loses members); got {shown}"
        )
    return n


def _hessian(
    grad, x: np.ndarray, *, rel_step: float | None = 1e-5, abs_step: float | None = None
) -> np.ndarray:
    """Hessian by central differences of an analytic gradient (error O(h²)), symmetrised.
    Steps are ``rel_step``·|x_j| (positive parameters) or ``abs_step`` (log-parameters)."""
    k = len(x)
    H = np.empty((k, k))
    for j in range(k):
        h = abs_step if abs_step is not None else rel_step * max(abs(x[j]), 1e-12)
        e = np.zeros(k)
        e[j] = h
        H[:, j] = (grad(x + e) - grad(x - e)) / (2 * h)
    return (H + H.T) / 2


def _maximise(negll, start: Sequence[float], n: float):
    """Minimise ``negll(params) -> (value, gradient)`` over log-parameters: L-BFGS-B from
    ``start``, then Newton steps (Hessian by differences of the analytic gradient) to polish
    the optimum to machine precision. Returns the parameters, whether the gradient vanished
    (per observation, on the log scale, below 1e-6), and a short message."""

    def fun(theta):
        p = np.exp(theta)
        f, g = negll(p)
        if not np.isfinite(f):
            return np.inf, np.zeros_like(theta)
        return f / n, g * p / n

    def grad(theta):
        return fun(theta)[1]

    theta = np.log(np.asarray(start, dtype=float))
    res = optimize.minimize(
        lambda th: _finite(fun(th)),
        theta,
        jac=True,
        method="L-BFGS-B",
        bounds=[(-30.0, 30.0)] * len(theta),
        options={"maxiter": 5000, "ftol": 1e-13, "gtol": 1e-9},
    )
    theta = res.x
    f, g = fun(theta)
    for _ in range(30):
        if np.max(np.abs(g)) < 1e-9:
            break
        H = _hessian(grad, theta, abs_step=1e-5)
        try:
            step = np.linalg.solve(H, g)
        except np.linalg.LinAlgError:
            break
        if not np.all(np.isfinite(step)) or np.dot(step, g) <= 0:
            break  # not a descent direction (H not PD)
        t = 1.0
        while t > 1e-6:
            f_new, g_new = fun(theta - t * step)
            if f_new <= f + 1e-14 * abs(f):
                break
            t /= 2
        else:
            break
        theta, f, g = theta - t * step, f_new, g_new
        if np.max(np.abs(t * step)) < 1e-12:
            break
    converged = bool(np.all(np.isfinite(g)) and np.max(np.abs(g)) < 1e-6)
    return np.exp(theta), converged, str(res.message)


def _finite(fg):
    f, g = fg
    return (1e300, g) if not np.isfinite(f) else (f, g)


class _MLModel:
    """Common parts of the fitted models: parameters, standard errors, summary."""

    _param_names: tuple[str, ...] = ()
    citation: str = ""

    def __init__(self):
        self.params_ = None

    # -- construction ---------------------------------------------------------------------
    @classmethod
    def from_params(cls, **params):
        """A model with known parameters (e.g. published estimates); no standard errors."""
        missing = [p for p in cls._param_names if p not in params]
        extra = [p for p in params if p not in cls._param_names]
        if missing or extra:
            raise InputError(
                f"{cls.__name__}.from_params needs exactly {list(cls._param_names)}"
                f"; missing {missing}, unknown {extra}"
            )
        values = [_positive_scalar(p, params[p]) for p in cls._param_names]
        model = cls()
        model._set(np.array(values), cov=None, loglik=np.nan, n=0, result=None)
        return model

    def _set(self, p: np.ndarray, *, cov, loglik: float, n: int, result) -> None:
        names = list(self._param_names)
        self.params_ = pd.Series(p, index=names, name="estimate")
        if cov is None:
            cov = np.full((len(p), len(p)), np.nan)
        self.cov_ = pd.DataFrame(cov, index=names, columns=names)
        with np.errstate(invalid="ignore"):
            self.se_ = pd.Series(
                np.sqrt(np.where(np.diag(cov) >= 0, np.diag(cov), np.nan)),
                index=names,
                name="std_err",
            )
        self.loglik_ = float(loglik)
        self.n_obs_ = int(n)
        self.aic_ = -2 * self.loglik_ + 2 * len(p) if n else np.nan
        self.converged_ = result

    def _finish_fit(self, negll, negll_grad, start, n, weight_total) -> None:
        p, converged, message = _maximise(negll, start, weight_total)
        f, _ = negll(p)
        H = _hessian(negll_grad, p)
        try:
            cov = np.linalg.inv(H)
        except np.linalg.LinAlgError:
            cov = np.full_like(H, np.nan)
        if not converged:
            warnings.warn(
                f"{type(self).__name__}: the maximum likelihood search did not "
                f"converge ({message}); estimates may be unreliable",
                RuntimeWarning,
                stacklevel=3,
            )
        self._set(p, cov=cov, loglik=-f, n=n, result=converged)

    def _check_fitted(self) -> np.ndarray:
        if self.params_ is None:
            raise InputError(
                f"this {type(self).__name__} is not fitted yet: call fit(...) or "
                f"build it with {type(self).__name__}.from_params(...)"
            )
        return self.params_.to_numpy()

    # -- reporting ------------------------------------------------------------------------
    def summary(self, alpha: float = 0.05, scale: str = "log") -> pd.DataFrame:
        """Estimates, standard errors and (1 − alpha) confidence intervals.

        Standard errors: inverse observed information (numerical Hessian of −log L at the
        estimate). Intervals: ``scale="log"`` (default) exp(log θ̂ ± z·se/θ̂), always positive;
        ``scale="linear"``: θ̂ ± z·se.
        """
        p = self._check_fitted()
        if not 0 < alpha < 1:
            raise InputError(f"alpha must be between 0 and 1, not {alpha!r}")
        if scale not in ("log", "linear"):
            raise InputError(f"scale must be 'log' or 'linear', not {scale!r}")
        z = special.ndtri(1 - alpha / 2)
        se = self.se_.to_numpy()
        if scale == "log":
            lo, hi = p * np.exp(-z * se / p), p * np.exp(z * se / p)
        else:
            lo, hi = p - z * se, p + z * se
        out = pd.DataFrame(dict(zip(_SUMMARY_COLUMNS, [list(self._param_names), p, se, lo, hi])))
        out.attrs.update(
            {
                "model": type(self).__name__,
                "loglik": self.loglik_,
                "n_obs": self.n_obs_,
                "source": self.citation,
            }
        )
        return out

    def __repr__(self) -> str:
        if self.params_ is None:
            return f"{type(self).__name__}()"
        ps = ", ".join(f"{k}={v:.4g}" for k, v in self.params_.items())
        return f"{type(self).__name__}({ps})"
