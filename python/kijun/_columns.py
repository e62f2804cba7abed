"""NumPy columns to a kijun batch and back. Private to the package.

A column already laid out as the batch reads it (C-contiguous int64, or one byte per bool)
is bound where it is; anything else is converted once, here. Floats are refused: a
decision never rests on a binary fraction."""

import ctypes
from fractions import Fraction

import numpy as np

_DAY = np.dtype("datetime64[D]")


def _pointer(array):
    return ctypes.c_void_p(array.ctypes.data) if array is not None else None


def _no_floats(name, array):
    if array.dtype.kind == "f":
        raise _usage(f"`{name}`: floating-point values are not exact; give integers, exact text or fractions")


def _usage(message):
    from . import KijunError
    return KijunError("usage", message)


def _data(message):
    from . import KijunError
    return KijunError("data", message)


def _split(name, column):
    """(values, validity bitmap or None) of a column; a masked array's mask marks absence."""
    if isinstance(column, np.ma.MaskedArray):
        present = ~np.ma.getmaskarray(column)
        bitmap = np.packbits(present.astype(np.uint8), bitorder="little")
        return np.ma.getdata(column), bitmap
    return column, None


def _int64(name, values):
    array = np.asarray(values)
    _no_floats(name, array)
    if array.dtype.kind not in "iub":
        raise _usage(f"`{name}`: expected integers, got {array.dtype}")
    return np.ascontiguousarray(array, dtype=np.int64)


def _days(name, values):
    array = np.asarray(values)
    if array.dtype.kind == "M":
        return np.ascontiguousarray(array.astype(_DAY)).view(np.int64)
    if array.dtype.kind in "US" or array.dtype == object:
        try:
            return np.ascontiguousarray(array.astype(_DAY)).view(np.int64)
        except ValueError as e:
            raise _data(f"`{name}`: {e}") from None
    return _int64(name, array)


def _codes(name, values, info):
    array = np.asarray(values)
    if array.dtype.kind in "iu":
        return np.ascontiguousarray(array, dtype=np.int64)
    index = {v: i for i, v in enumerate(info.values)}
    try:
        return np.fromiter((index[str(v)] for v in array), dtype=np.int64, count=len(array))
    except KeyError as e:
        raise _data(f"`{name}`: {e.args[0]!r} is not a value of it (values: {', '.join(info.values)})") from None


def _rate(name, values):
    if isinstance(values, tuple) and len(values) == 2:
        return _int64(name, values[0]), _int64(name, values[1])
    array = np.asarray(values)
    _no_floats(name, array)
    if array.dtype.kind in "iu":
        return np.ascontiguousarray(array, dtype=np.int64), np.ones(len(array), dtype=np.int64)
    fractions = [Fraction(str(v).strip().rstrip("%")) / (100 if str(v).strip().endswith("%") else 1) for v in array]
    return (np.fromiter((f.numerator for f in fractions), dtype=np.int64, count=len(fractions)),
            np.fromiter((f.denominator for f in fractions), dtype=np.int64, count=len(fractions)))


def _bind_one(lib, batch, name, info, column, check):
    """Binds one column (an input's or a list field's); returns the arrays bound."""
    values, validity = _split(name, column)
    key = name.encode()
    if info.type == "bool":
        array = np.asarray(values)
        _no_floats(name, array)
        array = np.ascontiguousarray(array.view(np.uint8) if array.dtype == np.bool_ else array, dtype=np.uint8)
        parts = [array]
        check(lib, lib.kijun_batch_bind_bool(batch, key, _pointer(array), _pointer(validity)))
    elif info.type == "rate":
        num, den = _rate(name, values)
        parts = [num, den]
        check(lib, lib.kijun_batch_bind_rate(batch, key, _pointer(num), _pointer(den), _pointer(validity)))
    elif info.type == "list":
        array = _int64(name, values)
        parts = [array]
        check(lib, lib.kijun_batch_bind_list(batch, key, _pointer(array)))
    else:
        array = (_days(name, values) if info.type == "date" else
                 _codes(name, values, info) if info.type == "enum" else _int64(name, values))
        parts = [array]
        check(lib, lib.kijun_batch_bind_int64(batch, key, _pointer(array), _pointer(validity)))
    return parts, validity


def bind_columns(ruleset, lib, batch, frame, columns, as_of, check):
    """Binds `columns` to `batch`; returns (the arrays bound, which must outlive the run,
    and the number of rows). A list input's column is its rows + 1 offsets; its fields'
    columns ("list.field") have one entry per element."""
    keep, rows = [], None
    inputs = {i.name: i for i in ruleset.inputs(frame)}
    fields = {f"{i.name}.{f.name}": f for i in inputs.values() if i.type == "list" for f in i.fields}
    for name in columns:
        if name not in inputs and name not in fields:
            raise _usage(f"`{name}` is not an input of frame {frame}")
    elements = {}  # per list: the elements its offsets name
    for name, info in list(inputs.items()) + list(fields.items()):
        if name not in columns or info.type == "text":
            continue
        parts, validity = _bind_one(lib, batch, name, info, columns[name], check)
        keep += parts + [validity]
        if info.type == "list":
            offsets = parts[0]
            if len(offsets) == 0 or offsets.min() < 0 or np.any(np.diff(offsets) < 0):
                raise _usage(f"`{name}`: offsets must start at 0 or more and never decrease")
            elements[name] = int(offsets.max())
        if name in fields:
            continue  # one entry per element, not per row
        count = len(parts[0]) - 1 if info.type == "list" else len(parts[0])
        for p in parts:
            if rows is None:
                rows = count
            elif count != rows or (info.type != "list" and len(p) != rows):
                raise _usage(f"`{name}` has {count} rows; the columns before it have {rows}")
    # A field's column must hold every element the offsets name: native code reads them all.
    for name in fields:
        if name in columns:
            need = elements.get(name.split(".", 1)[0], 0)
            have = len(np.ma.getdata(columns[name]))
            if have < need:
                raise _usage(f"`{name}` has {have} elements; the offsets of its list name {need}")
    if rows is None:
        raise _usage("no input column given")
    if as_of is not None:
        if np.ndim(as_of) == 0:
            day = np.array([as_of], dtype=_DAY).view(np.int64)[0] if not isinstance(as_of, (int, np.integer)) else as_of
            lib.kijun_batch_set_as_of(batch, None, int(day))
        else:
            days = _days("as_of", as_of)
            if len(days) != rows:
                raise _usage(f"as_of has {len(days)} rows; the columns have {rows}")
            keep.append(days)
            lib.kijun_batch_set_as_of(batch, _pointer(days), 0)
    return keep, rows


def output_columns(lib, batch, rows, check):
    """The batch's output columns, copied into arrays the caller owns."""
    def column(fn, dtype):
        pointer = fn(batch)
        return np.ctypeslib.as_array(pointer, shape=(rows,)).astype(dtype, copy=True) if rows else np.zeros(0, dtype)

    error = column(lib.kijun_batch_error, np.uint8)
    out = {
        "eligible": column(lib.kijun_batch_eligible, np.bool_),
        "paid_amount_yen": column(lib.kijun_batch_paid_amount, np.int64),
        "computed_amount_yen": column(lib.kijun_batch_amount, np.int64),
        "rate_num": column(lib.kijun_batch_rate_num, np.int64),
        "rate_den": column(lib.kijun_batch_rate_den, np.int64),
        "bonus_points": column(lib.kijun_batch_bonus_points, np.int64),
        "penalty_points": column(lib.kijun_batch_penalty_points, np.int64),
        "decided": error == 0,
    }
    reasons = np.full(rows, "", dtype=object)
    from ._abi import Decision
    d = Decision()
    for row in np.flatnonzero(error):
        check(lib, lib.kijun_batch_decision(batch, int(row), ctypes.byref(d)))
        reasons[row] = d.error.decode("utf-8", "replace")
    out["error"] = reasons
    words = lib.kijun_batch_rule_words(batch)
    for name, fn in (("failed_rules", lib.kijun_batch_failed_rules), ("scored_rules", lib.kijun_batch_scored_rules)):
        bits = np.ctypeslib.as_array(fn(batch), shape=(rows, words)).copy() if rows and words else np.zeros((rows, words), np.uint64)
        bits[error != 0] = 0  # a row not decided failed and scored nothing
        out[name] = bits
    return out
