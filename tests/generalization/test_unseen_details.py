"""Details of unseen layouts: labels stripped from titles, reported statistics."""
from pathlib import Path

from notices.parsing import parse_bytes

HERE = Path(__file__).resolve().parent


def test_issue_titles_drop_the_problem_label():
    path = HERE / "notices" / "county_hospital.txt"
    _, parsed = parse_bytes(path.read_bytes(), path.name)
    assert parsed.issues and not any(issue.title.startswith("问题") for issue in parsed.issues)


def test_reported_statistics_are_extracted_beside_the_counts():
    path = HERE / "notices" / "city_hospital_by_status.txt"
    _, parsed = parse_bytes(path.read_bytes(), path.name)
    figures = {(s.value, s.unit) for s in parsed.statistics}
    assert {(15, "项"), (23, "人次"), (2, "人")} <= figures
