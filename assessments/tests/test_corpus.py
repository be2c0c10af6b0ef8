"""The sheet reader on real assessment systems shaped as offices keep them
(`corpus/README.md`: sources, shapes and the conventions of the expected files)."""

import json
from pathlib import Path

import pytest

from assessments import sheet

CORPUS = Path(__file__).parent / "corpus"
SHEETS = sorted(CORPUS.glob("*.xlsx"))


def fields(data):
    """(item, content, standard field, value) for every field of every standard."""
    for item in data["items"]:
        for content in item["contents"]:
            for n, standard in enumerate(content["standards"]):
                for key, value in standard.items():
                    if isinstance(value, int):
                        value = float(value)
                    yield item["name"], content["name"], n, key, json.dumps(value, ensure_ascii=False)


def test_the_corpus_holds_several_shapes():
    assert len(SHEETS) >= 6


@pytest.mark.parametrize("path", SHEETS, ids=[p.stem for p in SHEETS])
def test_every_field_of_every_standard_is_read(path):
    expected = json.loads(path.with_suffix("").with_suffix(".expected.json").read_text())
    proposal = sheet.read(path)
    assert proposal.errors == []
    got = list(fields(proposal.to_data()))
    want = list(fields(expected))
    missed = [w for w in want if w not in got]
    assert not missed, f"{len(missed)} of {len(want)} fields wrong, e.g. {missed[:3]}"
    assert len(got) == len(want)
