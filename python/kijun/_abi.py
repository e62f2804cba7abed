"""The C ABI of include/kijun/kijun.h, declared for ctypes. Private to the package."""

import ctypes
import ctypes.util
import os
from pathlib import Path

ABI_VERSION = 4

ERROR_KINDS = {1: "usage", 2: "data", 3: "ruleset", 4: "plugin_refused", 5: "not_found", 6: "internal"}
RULE_KINDS = {0: "requirement", 1: "exclusion", 2: "bonus", 3: "penalty", 4: "limit"}
INPUT_TYPES = {0: "bool", 1: "int", 2: "yen", 3: "rate", 4: "date", 5: "enum", 6: "text", 7: "list"}
ENGINE_NATIVE, ENGINE_INTERPRETER = 0, 1
LOAD_STRICT_FIELDS, LOAD_REQUIRE_SIGNATURE, LOAD_NO_CACHE = 0x1, 0x2, 0x4

LOG_FN = ctypes.CFUNCTYPE(None, ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p)


class LoadOptions(ctypes.Structure):
    _fields_ = [("size", ctypes.c_uint32), ("flags", ctypes.c_uint32), ("engine", ctypes.c_int32),
                ("cache_dir", ctypes.c_char_p), ("plugin_path", ctypes.c_char_p),
                ("trusted_keys", ctypes.POINTER(ctypes.c_char_p)), ("log", LOG_FN), ("log_user", ctypes.c_void_p)]


class Input(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("label", ctypes.c_char_p), ("type", ctypes.c_int32),
                ("optional", ctypes.c_int32), ("has_min", ctypes.c_int32), ("has_max", ctypes.c_int32),
                ("min", ctypes.c_int64), ("max", ctypes.c_int64), ("value_count", ctypes.c_size_t),
                ("values", ctypes.POINTER(ctypes.c_char_p)), ("value_labels", ctypes.POINTER(ctypes.c_char_p))]


class RuleInfo(ctypes.Structure):
    _fields_ = [("id", ctypes.c_char_p), ("cite", ctypes.c_char_p), ("label", ctypes.c_char_p), ("kind", ctypes.c_int32),
                ("has_from", ctypes.c_int32), ("has_until", ctypes.c_int32), ("points", ctypes.c_int64),
                ("from_day", ctypes.c_int64), ("until_day", ctypes.c_int64)]


class RuleRef(ctypes.Structure):
    _fields_ = [("id", ctypes.c_char_p), ("cite", ctypes.c_char_p)]


class Decision(ctypes.Structure):
    _fields_ = [("decided", ctypes.c_int32), ("eligible", ctypes.c_int32), ("paid_amount_yen", ctypes.c_int64),
                ("computed_amount_yen", ctypes.c_int64), ("rate_num", ctypes.c_int64), ("rate_den", ctypes.c_int64),
                ("bonus_points", ctypes.c_int64), ("penalty_points", ctypes.c_int64),
                ("failed_count", ctypes.c_size_t), ("bonus_count", ctypes.c_size_t),
                ("penalty_count", ctypes.c_size_t), ("failed", ctypes.POINTER(RuleRef)),
                ("bonus", ctypes.POINTER(RuleRef)), ("penalty", ctypes.POINTER(RuleRef)), ("error", ctypes.c_char_p)]


P = ctypes.c_void_p
ERR = ctypes.c_void_p  # kijun_error*, NULL on success
I64P = ctypes.POINTER(ctypes.c_int64)
U8P = ctypes.POINTER(ctypes.c_uint8)
STR_OUT = ctypes.POINTER(ctypes.c_void_p)  # char**, freed with kijun_string_free

SIGNATURES = {
    "kijun_abi_version": (ctypes.c_uint32, []),
    "kijun_version": (ctypes.c_char_p, []),
    "kijun_can_compile": (ctypes.c_int, []),
    "kijun_error_message": (ctypes.c_char_p, [ERR]),
    "kijun_error_kind": (ctypes.c_int, [ERR]),
    "kijun_error_destroy": (None, [ERR]),
    "kijun_string_free": (None, [ctypes.c_void_p]),
    "kijun_ruleset_open": (ERR, [ctypes.c_char_p, ctypes.POINTER(LoadOptions), ctypes.POINTER(P)]),
    "kijun_ruleset_destroy": (None, [P]),
    "kijun_ruleset_programme": (ctypes.c_char_p, [P]),
    "kijun_ruleset_fiscal_year": (ctypes.c_int64, [P]),
    "kijun_ruleset_content_hash": (ctypes.c_char_p, [P]),
    "kijun_ruleset_frame_count": (ctypes.c_size_t, [P]),
    "kijun_ruleset_frame_name": (ctypes.c_char_p, [P, ctypes.c_size_t]),
    "kijun_ruleset_frame_label": (ctypes.c_char_p, [P, ctypes.c_size_t]),
    "kijun_ruleset_frame_cite": (ctypes.c_char_p, [P, ctypes.c_size_t]),
    "kijun_frame_inputs": (ERR, [P, ctypes.c_char_p, ctypes.POINTER(ctypes.POINTER(Input)),
                                 ctypes.POINTER(ctypes.c_size_t)]),
    "kijun_evaluate_json": (ERR, [P, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, STR_OUT]),
    "kijun_evaluate_records": (ERR, [P, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, STR_OUT]),
    "kijun_explain_styled": (ERR, [P, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int,
                                   STR_OUT]),
    "kijun_batch_create": (ERR, [P, ctypes.c_char_p, ctypes.POINTER(P)]),
    "kijun_batch_destroy": (None, [P]),
    "kijun_batch_bind_bool": (ERR, [P, ctypes.c_char_p, ctypes.c_void_p, ctypes.c_void_p]),
    "kijun_batch_bind_int64": (ERR, [P, ctypes.c_char_p, ctypes.c_void_p, ctypes.c_void_p]),
    "kijun_batch_bind_rate": (ERR, [P, ctypes.c_char_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]),
    "kijun_batch_bind_list": (ERR, [P, ctypes.c_char_p, ctypes.c_void_p]),
    "kijun_input_fields": (ERR, [P, ctypes.c_char_p, ctypes.c_char_p, ctypes.POINTER(ctypes.POINTER(Input)),
                                 ctypes.POINTER(ctypes.c_size_t)]),
    "kijun_batch_set_as_of": (None, [P, ctypes.c_void_p, ctypes.c_int64]),
    "kijun_batch_run": (ERR, [P, ctypes.c_int64]),
    "kijun_batch_run_range": (ERR, [P, ctypes.c_int64, ctypes.c_int64, ctypes.c_int]),
    "kijun_frame_rules": (ERR, [P, ctypes.c_char_p, ctypes.POINTER(ctypes.POINTER(RuleInfo)), ctypes.POINTER(ctypes.c_size_t)]),
    "kijun_batch_failed_rules": (ctypes.POINTER(ctypes.c_uint64), [P]),
    "kijun_batch_scored_rules": (ctypes.POINTER(ctypes.c_uint64), [P]),
    "kijun_batch_rule_words": (ctypes.c_size_t, [P]),
    "kijun_batch_eligible": (U8P, [P]),
    "kijun_batch_amount": (I64P, [P]),
    "kijun_batch_paid_amount": (I64P, [P]),
    "kijun_batch_rate_num": (I64P, [P]),
    "kijun_batch_rate_den": (I64P, [P]),
    "kijun_batch_bonus_points": (I64P, [P]),
    "kijun_batch_penalty_points": (I64P, [P]),
    "kijun_batch_error": (U8P, [P]),
    "kijun_batch_decision": (ERR, [P, ctypes.c_int64, ctypes.POINTER(Decision)]),
    "kijun_batch_row_json": (ERR, [P, ctypes.c_int64, ctypes.c_char_p, STR_OUT]),
    "kijun_parse_day": (ctypes.c_int64, [ctypes.c_char_p, ctypes.POINTER(ctypes.c_int)]),
}


def _candidates(name):
    """Where the shared library may be: $KIJUN_LIBRARY (or $KIJUN_RUNTIME_LIBRARY for the
    runtime library), beside an installed package (PREFIX/lib/python3/…/kijun → PREFIX/lib),
    then the system's search."""
    env = os.environ.get("KIJUN_RUNTIME_LIBRARY" if name == "kijun_runtime" else "KIJUN_LIBRARY")
    if env:
        yield env
        return
    here = Path(__file__).resolve().parent
    for up in here.parents:
        for candidate in (up / f"lib{name}.so", up / "lib" / f"lib{name}.so"):
            if candidate.exists():
                yield str(candidate)
    found = ctypes.util.find_library(name)
    if found:
        yield found


def load_library(prefer_runtime=False):
    """libkijun (compiles sources too), or libkijun_runtime (plugins only) when that is
    preferred or is all there is."""
    names = ["kijun_runtime", "kijun"] if prefer_runtime else ["kijun", "kijun_runtime"]
    tried = []
    for name in names:
        for path in _candidates(name):
            try:
                lib = ctypes.CDLL(path)
            except OSError as e:
                tried.append(f"{path}: {e}")
                continue
            for fn, (restype, argtypes) in SIGNATURES.items():
                f = getattr(lib, fn)
                f.restype, f.argtypes = restype, argtypes
            if lib.kijun_abi_version() < ABI_VERSION:
                raise OSError(f"{path} is kijun C ABI {lib.kijun_abi_version()}; this package needs {ABI_VERSION}")
            return lib
    raise OSError("cannot find libkijun or libkijun_runtime: install kijun (cmake --install), or set "
                  "KIJUN_LIBRARY to the library's path" + (" (tried " + "; ".join(tried) + ")" if tried else ""))
