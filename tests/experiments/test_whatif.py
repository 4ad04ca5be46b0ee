"""What-if on common random numbers: identical alternatives differ by exactly zero; a real
change shows up with a CI clear of zero; bad alternatives name the file and field; the CLI
writes the summary and the chart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from engine.params import load_params
from experiments.batch import make_spec, run_batch
from experiments.executors import PoolExecutor
from experiments.whatif import build_alternatives, load_whatif
from scenarios.loading import InputError
from scenarios.sealing import seal, write_sealed
from scenarios.seed_city import default_region
from tests.experiments.helpers import demo_scenario
from ui.cli import cli


def _write(tmp_path: Path, doc: object) -> Path:
    p = tmp_path / "alts.yaml"
    p.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return p


def test_identical_alternatives_differ_by_exactly_zero(tmp_path: Path) -> None:
    region = default_region()
    u = region.units[0]
    p = _write(tmp_path, {"alternatives": [
        {"name": "same"},
        {"name": "same, rebuilt", "changes": [
            {"move_unit": {"unit": u.id, "lon": u.lon, "lat": u.lat}}]},
    ]})
    alts = build_alternatives(load_whatif(p), region, load_params(), p)
    assert alts[2].region is not region and alts[2].region == region
    doc = run_batch(make_spec(demo_scenario(), alts), 4, 1,
                    executor=PoolExecutor(2), chunk=1).document(1)
    for alt in doc["alternatives"][1:]:
        assert alt["difference"], "differences were computed"
        for key, d in alt["difference"].items():
            assert d["mean"] == 0.0 and d["ci95"] == [0.0, 0.0], key
            assert d["significant"] is False


def test_a_slower_alarm_desk_is_a_significant_loss(tmp_path: Path) -> None:
    data = load_params().model_dump(mode="json")
    data["alarm"]["take_alarm"] = {k: {"dist": "fixed", "value": 3.0}
                                   for k in data["alarm"]["take_alarm"]}
    (tmp_path / "slow.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    p = _write(tmp_path, {"alternatives": [{"name": "slow desks", "params": "slow.yaml"}]})
    alts = build_alternatives(load_whatif(p), default_region(), load_params(), p)
    doc = run_batch(make_spec(demo_scenario(), alts), 4, 2).document(2)
    d = doc["alternatives"][1]["difference"]["clock.take_alarm.compliance"]
    assert d["significant"] and d["ci95"][1] < 0
    assert doc["alternatives"][1]["values"]["clock.take_alarm.compliance"]["mean"] == 0.0


def test_policy_is_a_parameter_plug_in(tmp_path: Path) -> None:
    p = _write(tmp_path, {"alternatives": [{"name": "p", "policy": "no_such_policy"}]})
    with pytest.raises(InputError, match=r"alternatives\[0\]\.policy"):
        build_alternatives(load_whatif(p), default_region(), load_params(), p)
    ok = _write(tmp_path, {"alternatives": [{"name": "p", "policy": "nearest_eta"}]})
    alts = build_alternatives(load_whatif(ok), default_region(), load_params(), ok)
    assert alts[1].params is not None and alts[1].params.dispatch.policy == "nearest_eta"


@pytest.mark.parametrize(("change", "message"), [
    ({"headcount": {"unit": "NOPE", "headcount": 3}}, "headcount.unit: no unit 'NOPE'"),
    ({"add_unit": {"like": "U-K01-T01", "id": "U-K01-T01", "township": "K01-T02"}},
     "already exists"),
    ({"move_depot": {"depot": "D-C00", "township": "NOWHERE"}}, "no jurisdiction 'NOWHERE'"),
])
def test_bad_changes_name_the_file_and_field(tmp_path: Path, change: dict[str, object],
                                             message: str) -> None:
    p = _write(tmp_path, {"alternatives": [{"name": "x", "changes": [change]}]})
    with pytest.raises(InputError, match=r"alternatives\[0\]\.changes\[0\]") as err:
        build_alternatives(load_whatif(p), default_region(), load_params(), p)
    assert message in str(err.value) and str(p) in str(err.value)


def test_whatif_cli_writes_summary_and_chart(tmp_path: Path) -> None:
    sealed = tmp_path / "sealed.json"
    write_sealed(seal(demo_scenario()), sealed)
    p = _write(tmp_path, {"alternatives": [{"name": "第二站", "changes": [
        {"add_unit": {"like": "U-K05-T15", "id": "U-K05-T15-b", "township": "K05-T15"}}]}]})
    out = tmp_path / "w"
    res = CliRunner().invoke(cli, ["whatif", "--alternatives", str(p), str(sealed), "-n", "3",
                                   "--workers", "1", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "第二站" in res.output and "相对现状" in res.output
    doc = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [a["name"] for a in doc["alternatives"]] == ["current", "第二站"]
    assert "clock.arrive.compliance" in doc["alternatives"][1]["difference"]
    assert (out / "whatif.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (out / "inputs" / "alternatives.yaml").read_bytes() == p.read_bytes()
