"""``python -m notices.parsing.cli``: the JSON the scorer reads, the Chinese summary, the errors."""
import io
import json
import subprocess
import sys
from pathlib import Path

from notices.parsing.cli import main, run

from .builders import SAMPLES, notice, standard_body

REPO = Path(__file__).resolve().parents[2]
GOLD_KEYS = {"institution", "inspecting_body", "round", "inspection_group", "inspection_start", "inspection_end",
             "feedback_date", "published_date", "disclosure_start", "disclosure_end", "contacts", "declared",
             "categories", "issues", "immediate_items"}


def _run(path, as_json):
    out, err = io.StringIO(), io.StringIO()
    return run(str(path), as_json, out, err), out.getvalue(), err.getvalue()


def test_json_output_carries_every_gold_key(tmp_path):
    path = tmp_path / "n.txt"
    path.write_text(notice(standard_body()), encoding="utf-8")
    status, out, err = _run(path, True)
    data = json.loads(out)
    assert status == 0 and err == ""
    assert GOLD_KEYS <= set(data)
    assert set(data["contacts"]) == {"phones", "emails", "addresses"}
    assert set(data["declared"]) == {"categories", "issues", "completed", "in_progress"}
    assert data["issues"][0]["category"] == "一" and data["issues"][0]["number"] == "1"
    assert data["feedback_date"] == "2024-06-20"


def test_the_summary_is_readable_chinese(tmp_path):
    path = tmp_path / "n.txt"
    path.write_text(notice(standard_body()), encoding="utf-8")
    status, out, _ = _run(path, False)
    assert status == 0
    assert "被巡察单位：某某市人民医院" in out and "问题：共4个，分2个方面" in out and "[已完成]" in out


def test_a_file_that_cannot_be_read_prints_a_chinese_message_and_fails(tmp_path):
    bad = tmp_path / "x.pdf"
    bad.write_bytes(b"\x00\x01 not a pdf")
    status, out, err = _run(bad, True)
    assert status == 1 and out == "" and err.strip()
    assert any("\u4e00" <= c <= "\u9fff" for c in err)
    status, _, err = _run(tmp_path / "missing.txt", True)
    assert status == 1 and "无法读取文件" in err


def test_main_parses_arguments(tmp_path, capsys):
    path = tmp_path / "n.txt"
    path.write_text(notice(standard_body()), encoding="utf-8")
    assert main(["--json", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)["institution"] == "某某市人民医院"


def test_the_module_runs_as_a_script_on_a_sample():
    result = subprocess.run([sys.executable, "-m", "notices.parsing.cli", "--json", str(SAMPLES[0])],
                            cwd=REPO, capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    assert json.loads(result.stdout.decode("utf-8"))["issues"]
