"""``python -m notices.parsing.extract FILE`` shows what the extractor sees."""
from notices.parsing.extract.__main__ import main


def test_the_debug_command_prints_the_text_and_reports_format_and_encoding(tmp_path, capsys):
    path = tmp_path / "通报.txt"
    path.write_bytes("一、巡察整改情况\n".encode("gbk"))
    assert main([str(path)]) == 0
    out, err = capsys.readouterr()
    assert out == "一、巡察整改情况\n"
    assert "format=txt" in err and "encoding=gb18030" in err


def test_the_debug_command_prints_the_refusal_and_fails(tmp_path, capsys):
    path = tmp_path / "通报.xyz"
    path.write_bytes(b"abc")
    assert main([str(path)]) == 1
    assert "unsupported_format" in capsys.readouterr().err
