"""kijun for Python: load a ruleset once, then decide applicants — one at a time as dicts,
as the text of a JSON Lines or CSV file, or as columns of NumPy arrays (bound without
copying when they already have the batch layout) or a pandas DataFrame.

    import kijun
    rules = kijun.Ruleset.load("it-hojo-2026.kjp")          # or a source directory (libkijun)
    rules.evaluate("security", {"id": "A1", "employees": 5, ...})
    rules.evaluate_columns("security", {"employees": np.array([...]), ...})

The package is pure Python over the C ABI (ctypes). It finds libkijun, or libkijun_runtime
(plugins only), beside an installed package, through $KIJUN_LIBRARY, or on the system's
library path. Amounts are exact integers (yen) and rates exact fractions: no float ever
enters a decision.
"""

import ctypes
import json
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Optional

from . import _abi
from ._columns import bind_columns, output_columns

__all__ = ["KijunError", "Ruleset", "Frame", "Input", "Rule", "version", "can_compile"]

_libraries = {}


def _lib(prefer_runtime=False):
    if prefer_runtime not in _libraries:
        _libraries[prefer_runtime] = _abi.load_library(prefer_runtime)
    return _libraries[prefer_runtime]


class KijunError(Exception):
    """A failure the library reported: `kind` is usage, data, ruleset, plugin_refused,
    not_found or internal; `message` says what and where."""

    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind
        self.message = message


def _check(lib, err):
    if err:
        message = lib.kijun_error_message(err).decode("utf-8", "replace")
        kind = _abi.ERROR_KINDS.get(lib.kijun_error_kind(err), "internal")
        lib.kijun_error_destroy(err)
        raise KijunError(kind, message)


def _take(lib, out):
    """The string the library returned through char**, freed."""
    try:
        return ctypes.string_at(out.value).decode("utf-8")
    finally:
        lib.kijun_string_free(out.value)


def _text(s):
    return None if s is None else s.encode("utf-8")


def version():
    return _lib().kijun_version().decode()


def can_compile():
    """Whether the library found compiles ruleset sources (libkijun) or runs plugins only."""
    return bool(_lib().kijun_can_compile())


@dataclass(frozen=True)
class Frame:
    name: str
    label: str
    cite: str


@dataclass(frozen=True)
class Input:
    name: str
    label: str
    type: str                     # bool, int, yen, rate, date, enum, text, list
    optional: bool
    min: Optional[int] = None     # the declared range of an int or yen input; a list's length
    max: Optional[int] = None
    values: tuple = field(default_factory=tuple)        # an enum's values; a value's code is its index
    value_labels: tuple = field(default_factory=tuple)
    fields: tuple = field(default_factory=tuple)        # a list's: its elements' fields, bound as "list.field"


@dataclass(frozen=True)
class Rule:
    """A rule of a frame, at bit position k of the failed_rules and scored_rules outputs."""
    id: str
    cite: str
    label: str
    kind: str                     # requirement, exclusion, bonus, penalty, limit
    points: int = 0               # a bonus's or a penalty's
    from_day: Optional[int] = None  # the days (since 1970-01-01) this dated form is in force
    until_day: Optional[int] = None


class Ruleset:
    """A loaded ruleset: immutable, and safe to share between threads."""

    def __init__(self, lib, handle):
        self._lib = lib
        self._handle = ctypes.c_void_p(handle)
        self._inputs = {}

    @classmethod
    def load(cls, path, *, engine="native", cache=True, cache_dir=None, plugin_path=None, trusted_keys=(),
             require_signature=False, strict_fields=False, log=None, runtime_only=False):
        """`path`: a plugin built by `kijun build`, "PROGRAMME:YEAR" found on the plugin search
        path (`plugin_path`, else $KIJUN_PLUGIN_PATH), or a ruleset source directory or .kj
        file (libkijun only). `engine` is "native" or "interpreter"; `log(level, message)`
        receives warnings (level 3) and what the library does; `runtime_only` uses
        libkijun_runtime even when libkijun is there."""
        lib = _lib(runtime_only)
        if engine not in ("native", "interpreter"):
            raise KijunError("usage", f"engine `{engine}`: use native or interpreter")
        options = _abi.LoadOptions()
        options.size = ctypes.sizeof(options)
        options.flags = ((_abi.LOAD_STRICT_FIELDS if strict_fields else 0) |
                         (_abi.LOAD_REQUIRE_SIGNATURE if require_signature else 0) |
                         (0 if cache else _abi.LOAD_NO_CACHE))
        options.engine = _abi.ENGINE_NATIVE if engine == "native" else _abi.ENGINE_INTERPRETER
        options.cache_dir = _text(cache_dir)
        options.plugin_path = _text(plugin_path)
        keys = (ctypes.c_char_p * (len(trusted_keys) + 1))(*[_text(str(k)) for k in trusted_keys], None)
        options.trusted_keys = keys if trusted_keys else None
        callback = _abi.LOG_FN((lambda level, message, user: log(level, message.decode("utf-8", "replace")))
                               if log else 0)
        options.log = callback
        handle = ctypes.c_void_p()
        _check(lib, lib.kijun_ruleset_open(_text(str(path)), ctypes.byref(options), ctypes.byref(handle)))
        ruleset = cls(lib, handle.value)
        ruleset._log = callback  # the library calls it for the ruleset's life
        return ruleset

    def __del__(self):
        if getattr(self, "_handle", None) and self._handle.value:
            self._lib.kijun_ruleset_destroy(self._handle)
            self._handle = ctypes.c_void_p()

    @property
    def programme(self):
        return self._lib.kijun_ruleset_programme(self._handle).decode()

    @property
    def fiscal_year(self):
        return self._lib.kijun_ruleset_fiscal_year(self._handle)

    @property
    def content_hash(self):
        return self._lib.kijun_ruleset_content_hash(self._handle).decode()

    @property
    def frames(self):
        lib, h = self._lib, self._handle
        return [Frame(lib.kijun_ruleset_frame_name(h, i).decode(), lib.kijun_ruleset_frame_label(h, i).decode(),
                      lib.kijun_ruleset_frame_cite(h, i).decode())
                for i in range(lib.kijun_ruleset_frame_count(h))]

    def _input(self, c, frame):
        fields = ()
        if _abi.INPUT_TYPES[c.type] == "list":
            array = ctypes.POINTER(_abi.Input)()
            count = ctypes.c_size_t()
            _check(self._lib, self._lib.kijun_input_fields(self._handle, _text(frame), c.name, ctypes.byref(array),
                                                           ctypes.byref(count)))
            fields = tuple(self._input(array[i], frame) for i in range(count.value))
        return Input(c.name.decode(), c.label.decode(), _abi.INPUT_TYPES[c.type], bool(c.optional),
                     c.min if c.has_min else None, c.max if c.has_max else None,
                     tuple(c.values[k].decode() for k in range(c.value_count)),
                     tuple(c.value_labels[k].decode() for k in range(c.value_count)), fields)

    def inputs(self, frame):
        """The inputs `frame` reads: the columns evaluate_columns binds. A list input is bound
        as its offsets (rows + 1 of them, Arrow's large-list layout) and one column per field
        of its elements, named "list.field"."""
        if frame not in self._inputs:
            array = ctypes.POINTER(_abi.Input)()
            count = ctypes.c_size_t()
            _check(self._lib, self._lib.kijun_frame_inputs(self._handle, _text(frame), ctypes.byref(array),
                                                           ctypes.byref(count)))
            self._inputs[frame] = [self._input(array[i], frame) for i in range(count.value)]
        return self._inputs[frame]

    def rules(self, frame):
        """The rules of `frame` in evaluation order: rule k is bit k of each row of the
        failed_rules and scored_rules outputs of evaluate_columns."""
        array = ctypes.POINTER(_abi.RuleInfo)()
        count = ctypes.c_size_t()
        _check(self._lib, self._lib.kijun_frame_rules(self._handle, _text(frame), ctypes.byref(array), ctypes.byref(count)))
        return [Rule(r.id.decode(), r.cite.decode(), r.label.decode(), _abi.RULE_KINDS[r.kind], r.points,
                     r.from_day if r.has_from else None, r.until_day if r.has_until else None)
                for r in (array[i] for i in range(count.value))]

    def evaluate(self, frame, record, as_of=None):
        """One applicant (a dict, or its JSON text): the output line as a dict — a result,
        or an error object when the record cannot be decided."""
        text = record if isinstance(record, str) else json.dumps(record, ensure_ascii=False, default=_json_value)
        out = ctypes.c_void_p()
        _check(self._lib, self._lib.kijun_evaluate_json(self._handle, _text(frame), _text(text), _text(as_of),
                                                        ctypes.byref(out)))
        return json.loads(_take(self._lib, out))

    def evaluate_records(self, frame, text, format="jsonl", as_of=None):
        """Applicants as the text of a JSON Lines or CSV file: one dict per record, in order."""
        out = ctypes.c_void_p()
        _check(self._lib, self._lib.kijun_evaluate_records(self._handle, _text(frame), _text(text), _text(format),
                                                           _text(as_of), ctypes.byref(out)))
        return [json.loads(line) for line in _take(self._lib, out).splitlines()]

    def explain(self, frame, record, as_of=None, lang="ja", as_json=False):
        """Why one applicant is decided as it is: text, or (as_json) the explanation as a dict."""
        text = record if isinstance(record, str) else json.dumps(record, ensure_ascii=False, default=_json_value)
        out = ctypes.c_void_p()
        _check(self._lib, self._lib.kijun_explain_styled(self._handle, _text(frame), _text(text), _text(as_of),
                                                         _text(lang), int(as_json), ctypes.byref(out)))
        result = _take(self._lib, out)
        return json.loads(result) if as_json else result

    def evaluate_columns(self, frame, columns, as_of=None, threads=1):
        """Applicants as columns: a mapping from input name to a NumPy array (bool; int64 for
        int and yen; datetime64[D] or int64 days for dates; codes or value names for enums; a
        (numerators, denominators) pair or exact values for rates). A masked array marks
        absent values of an optional input; an optional input not given is absent in every
        row. Arrays that already have the batch's layout are read where they are. `as_of`:
        None (the application date), a date, or a per-row array. Returns output columns:
        eligible, paid_amount_yen, computed_amount_yen, rate_num, rate_den, bonus_points,
        penalty_points, decided, error (the reason a row was not decided, else ""), and
        failed_rules and scored_rules: per row, bitsets of uint64 words whose bit k is rule k
        of rules(frame). `threads`: how many threads decide the rows (0: one per core)."""
        lib = self._lib
        batch = ctypes.c_void_p()
        _check(lib, lib.kijun_batch_create(self._handle, _text(frame), ctypes.byref(batch)))
        try:
            keep, rows = bind_columns(self, lib, batch, frame, columns, as_of, _check)
            _check(lib, lib.kijun_batch_run_range(batch, 0, rows, int(threads)))
            del keep  # the bound arrays are read during the run only
            return output_columns(lib, batch, rows, _check)
        finally:
            lib.kijun_batch_destroy(batch)

    def evaluate_frame(self, frame, df, as_of=None):
        """A pandas DataFrame of applicants (one column per input; missing values of optional
        inputs as NA) to a DataFrame of output columns with the same index. Integer columns
        with missing values are best given as pandas' Int64; a float column whose values are
        all whole numbers (as pandas makes of integers with NA) is read as integers. The
        columns `failed` and `scored` hold the ids of the rules each row failed and scored."""
        import numpy as np
        import pandas as pd
        columns = {}
        names = {i.name for i in self.inputs(frame)}
        for name in df.columns:
            if name not in names:
                continue
            series = df[name]
            mask = series.isna().to_numpy()
            if mask.all():
                continue
            filled = series.fillna(series[~mask].iloc[0]) if mask.any() else series
            if pd.api.types.is_bool_dtype(filled.dtype):
                values = filled.to_numpy(dtype=bool)
            elif pd.api.types.is_integer_dtype(filled.dtype):
                values = filled.to_numpy(dtype=np.int64)
            elif pd.api.types.is_float_dtype(filled.dtype) and np.all(np.mod(filled.to_numpy(), 1) == 0):
                values = filled.to_numpy().astype(np.int64)
            else:
                values = filled.to_numpy()
            columns[name] = np.ma.masked_array(values, mask=mask) if mask.any() else values
        out = self.evaluate_columns(frame, columns, as_of)
        # The rule bitsets as the ids of the rules each row failed and scored, in frame order.
        ids = [r.id for r in self.rules(frame)]
        for name, column in (("failed_rules", "failed"), ("scored_rules", "scored")):
            bits = out.pop(name)
            out[column] = [tuple(ids[k] for k in range(len(ids)) if (int(row[k // 64]) >> (k % 64)) & 1) for row in bits]
        return pd.DataFrame(out, index=df.index)


def _json_value(v):
    """JSON for values json does not know: exact fractions as text, NumPy scalars, dates."""
    if isinstance(v, Fraction):
        return f"{v.numerator}/{v.denominator}"
    if hasattr(v, "isoformat"):
        return v.isoformat()
    if hasattr(v, "item"):
        return v.item()
    raise TypeError(f"{type(v).__name__} is not a value kijun reads")
