"""The Python package against the CLI and itself: the same decisions as `kijun eval`, columns
equal to one-at-a-time decisions, error kinds, and the runtime library on a plugin.

Run by ctest (python_tests) with KIJUN_LIBRARY, KIJUN_RUNTIME_LIBRARY and KIJUN_BINARY set."""

import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

import kijun

ROOT = Path(__file__).resolve().parents[2]
RULESET = ROOT / "rulesets" / "it-hojo" / "2026"
EXAMPLES = ROOT / "examples" / "it-hojo-2026"
FRAMES = ["e_transaction", "invoice", "multi_party", "normal", "security"]


@pytest.fixture(scope="module")
def rules():
    return kijun.Ruleset.load(RULESET)


@pytest.fixture(scope="module")
def plugin(tmp_path_factory):
    path = tmp_path_factory.mktemp("plugin") / "it-hojo-2026.kjp"
    subprocess.run([os.environ["KIJUN_BINARY"], "build", str(RULESET), "-o", str(path)], check=True,
                   stdout=subprocess.DEVNULL)
    return path


def records(frame):
    return [json.loads(line) for line in (EXAMPLES / f"{frame}.jsonl").read_text().splitlines() if line.strip()]


def column_of(info, given):
    """One column of `given` values (None: absent), or None when every value is absent."""
    absent = np.array([v is None for v in given])
    if absent.all() and info.optional:
        return None
    fill = next(v for v in given if v is not None)
    values = [fill if v is None else v for v in given]
    if info.type == "date":
        array = np.array(values, dtype="datetime64[D]")
    elif info.type in ("enum", "rate"):
        array = np.array([str(v) for v in values], dtype=object)
    elif info.type == "bool":
        array = np.array(values, dtype=bool)
    else:
        array = np.array(values, dtype=np.int64)
    return np.ma.masked_array(array, mask=absent) if absent.any() else array


def columns_of(rules, frame, recs):
    """The records as columns, built from the frame's inputs alone: names for enums, text
    for dates and rates, masks for absent values; a list as its offsets and one column per
    field of its elements ("members.employees")."""
    cols = {}
    for info in rules.inputs(frame):
        if info.type == "text":
            continue
        if info.type == "list":
            elements = [r.get(info.name, []) for r in recs]
            cols[info.name] = np.concatenate([[0], np.cumsum([len(e) for e in elements])]).astype(np.int64)
            flat = [m for e in elements for m in e]
            for f in info.fields:
                if f.type != "text" and flat and (column := column_of(f, [m.get(f.name) for m in flat])) is not None:
                    cols[f"{info.name}.{f.name}"] = column
            continue
        given = [r.get(info.name) for r in recs]
        if (column := column_of(info, given)) is not None:
            cols[info.name] = column
    return cols


def test_describes_the_ruleset(rules):
    assert (rules.programme, rules.fiscal_year) == ("it-hojo", 2026)
    assert rules.content_hash.startswith("sha256:")
    assert [f.name for f in rules.frames] == FRAMES
    assert all(f.label and f.cite for f in rules.frames)
    inputs = {i.name: i for i in rules.inputs("security")}
    assert inputs["legal_form"].type == "enum" and inputs["legal_form"].values[0] == "corporation"
    assert inputs["legal_form"].value_labels[0] == "会社"
    assert inputs["employees"].type == "int" and inputs["employees"].min == 0
    assert inputs["capital_yen"].optional and inputs["capital_yen"].type == "yen"
    assert kijun.can_compile() and kijun.version().startswith("0.")


@pytest.mark.parametrize("frame", FRAMES)
def test_decides_as_the_cli_does(rules, frame):
    path = EXAMPLES / f"{frame}.jsonl"
    cli = subprocess.run([os.environ["KIJUN_BINARY"], "eval", str(RULESET), "--frame", frame, "--input", str(path)],
                         capture_output=True, text=True)
    expected = [json.loads(line) for line in cli.stdout.splitlines()]
    assert rules.evaluate_records(frame, path.read_text()) == expected
    assert [rules.evaluate(frame, r) for r in records(frame)] == expected


@pytest.mark.parametrize("frame", FRAMES)
def test_columns_decide_as_records_do(rules, frame):
    recs = records(frame)
    out = rules.evaluate_columns(frame, columns_of(rules, frame, recs))
    ids = rules.rules(frame)
    for row, record in enumerate(recs):
        one = rules.evaluate(frame, record)
        assert out["decided"][row] == ("error" not in one), (row, one)
        if "error" in one:
            assert out["error"][row]
            continue
        assert out["eligible"][row] == one["eligible"]
        assert out["paid_amount_yen"][row] == one["amount_yen"]
        assert f'{out["rate_num"][row]}/{out["rate_den"][row]}' == one["rate"] or out["rate_den"][row] == 1
        assert out["bonus_points"][row] == one["bonus_points"]
        assert out["penalty_points"][row] == one["penalty_points"]
        assert out["error"][row] == ""
        failed = [r.id for k, r in enumerate(ids) if (int(out["failed_rules"][row][k // 64]) >> (k % 64)) & 1]
        assert failed == [f["rule"] for f in one["failed"]]


def test_rules_name_the_bits_and_threads_decide_alike(rules):
    recs = records("security")
    columns = columns_of(rules, "security", recs)
    one = rules.evaluate_columns("security", columns)
    many = rules.evaluate_columns("security", columns, threads=0)
    for name in one:
        assert (one[name] == many[name]).all(), name
    described = rules.rules("security")
    assert any(r.kind == "bonus" and r.points > 0 for r in described)
    assert all(r.cite and r.label for r in described)
    assert one["failed_rules"].shape == (len(recs), (len(described) + 63) // 64)
    with pytest.raises(kijun.KijunError):
        rules.rules("nosuch")


def test_a_data_frame_in_and_out(rules):
    pd = pytest.importorskip("pandas")
    recs = records("security")
    df = pd.DataFrame(recs).set_index("id")
    df = df[[c for c in df.columns if c not in ("frame",)]]
    out = rules.evaluate_frame("security", df)
    assert list(out.index) == list(df.index)
    expected = [rules.evaluate("security", r) for r in recs]
    assert list(out["eligible"]) == [e.get("eligible", False) for e in expected]
    assert list(out["failed"]) == [tuple(f["rule"] for f in e.get("failed", [])) for e in expected]


def test_invalid_rows_get_reasons_and_the_rest_are_decided(rules):
    recs = records("security")[:4]
    cols = columns_of(rules, "security", recs)
    cols["employees"] = np.array([5, -1, 5, 5], dtype=np.int64)
    out = rules.evaluate_columns("security", cols)
    assert list(out["decided"]) == [True, False, True, True]
    assert "employees" in out["error"][1]


def test_errors_have_kinds(rules, tmp_path):
    with pytest.raises(kijun.KijunError) as e:
        rules.evaluate("nosuch", {})
    assert e.value.kind == "usage" and "`nosuch` is not a frame" in e.value.message
    broken = tmp_path / "broken.kj"
    broken.write_text("ruleset \"x\" {\n")
    with pytest.raises(kijun.KijunError) as e:
        kijun.Ruleset.load(broken)
    assert e.value.kind == "ruleset"
    with pytest.raises(kijun.KijunError) as e:
        kijun.Ruleset.load("it-hojo:1999", plugin_path=str(tmp_path))
    assert e.value.kind == "not_found"
    cols = columns_of(rules, "security", records("security")[:2])
    cols["employees"] = np.array([5.0, 6.0])
    with pytest.raises(kijun.KijunError) as e:
        rules.evaluate_columns("security", cols)
    assert e.value.kind == "usage" and "floating-point" in e.value.message


def test_the_runtime_library_runs_plugins_only(plugin):
    with pytest.raises(kijun.KijunError) as e:
        kijun.Ruleset.load(RULESET, runtime_only=True)
    assert e.value.kind == "usage" and "runs plugins only" in e.value.message
    from_plugin = kijun.Ruleset.load(plugin, runtime_only=True)
    from_sources = kijun.Ruleset.load(RULESET, engine="interpreter")
    assert from_plugin.content_hash == from_sources.content_hash
    for frame in FRAMES:
        for record in records(frame):
            assert from_plugin.evaluate(frame, record) == from_sources.evaluate(frame, record)
    by_name = kijun.Ruleset.load("it-hojo:2026", plugin_path=str(plugin.parent), runtime_only=True)
    assert by_name.fiscal_year == 2026


def test_explains(rules):
    record = records("security")[0]
    assert "申請" in rules.explain("security", record) or "適格" in rules.explain("security", record)
    assert "Outcome: ELIGIBLE" in rules.explain("security", record, lang="en")
    assert rules.explain("security", record, as_json=True)["lang"] == "ja"


def test_warnings_reach_the_log():
    seen = []
    rules = kijun.Ruleset.load(RULESET, engine="interpreter",
                               log=lambda level, message: seen.append((level, message)))
    rules.evaluate("security", {**records("security")[0], "capital_yn": 1})
    assert any(level == 3 and "capital_yn" in message for level, message in seen)
