"""The README works in any clone: every link it and docs/ make is a file in
the repository, and the sample plan the tour names ships with it."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_is_a_file_inside_the_clone(page):
    targets = [t.split("#")[0] for t in LINK.findall(page.read_text(encoding="utf-8"))]
    local = [t for t in targets if t and not re.match(r"[a-z]+:", t)]

    for target in local:
        path = (page.parent / target).resolve()
        assert path.is_relative_to(ROOT), f"{page.name} links outside the clone: {target}"
        assert path.exists(), f"{page.name} links to a missing file: {target}"
    assert "../shared" not in page.read_text(encoding="utf-8")


def test_the_tours_sample_plan_is_the_one_the_import_tests_read():
    shipped = ROOT / "docs" / "samples" / "guancheng-2016-civilised-enforcement-plan.txt"
    tested = ROOT / "imports" / "tests" / "plans" / "guancheng-2016-sample.txt"

    assert shipped.read_text(encoding="utf-8") == tested.read_text(encoding="utf-8")


def test_make_refuses_a_python_older_than_the_readme_asks_for():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")

    minimum = re.search(r"^PYTHON_MIN := (\S+)$", makefile, re.M).group(1)
    assert f"You need Python {minimum} or newer" in readme
    check = makefile.index("PYTHON_MIN)\".split")
    assert check < makefile.index("$(PYTHON) -m venv")
