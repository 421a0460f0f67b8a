"""Checking a batch gives each item exactly the result it gets alone: the meaning model scores the
batch in one product and a repeated text is checked once, and neither may change a decision, a
finding, a confidence or the words shown as evidence."""

from __future__ import annotations

from typing import Any

import pytest

from kaitiaki.checker import check, check_many, load_pack
from kaitiaki.checker.engine import CompiledPack, coerce_item, example_item
from kaitiaki.checker.meaning.features import Evidence, inputs_for
from kaitiaki.checker.meaning.model import load_meaning_model


@pytest.fixture(scope="module")
def pack() -> CompiledPack:
    return load_pack("dpmc")


def every_example(pack: CompiledPack) -> list[dict[str, Any]]:
    """Each rule's hit and miss examples of the shipped pack: every kind, every category, the
    meaning rules' heads firing and silent."""
    items = []
    for compiled in pack.rules:
        rule = compiled.rule
        for example in [*rule.examples.hit, *rule.examples.miss]:
            items.append({**example_item(rule, example), "id": f"{rule.id}-{len(items)}"})
    return items


COMMENTS = [
    "Thanks for the update on Napier, really helpful.",
    "You lot are useless idiots, the whole pack of you in Petone.",
    "I know where your office in Westport is and I will burn it down.",
    "Go back to your own country, Gisborne doesn't want your kind.",
    "Earn $5000 a week from home!!! Click bit.ly/fr33-cash5 now, limited offer",
    "My neighbour Jo Bloggs at 12 Rata Street, Nelson is ignoring the evacuation, call her on 021 555 012.",
    "The response in Thames was slow and badly organised; the government should explain why.",
]


def dumped(results: list) -> list[dict[str, Any]]:
    return [result.model_dump(mode="json") for result in results]


def test_a_batch_gets_the_results_of_one_by_one(pack: CompiledPack) -> None:
    items = every_example(pack) + [
        {"id": f"c{n}", "kind": "comment", "text": text, "platform": "x", "channel": "NZCivilDefence"}
        for n, text in enumerate(COMMENTS)
    ]
    assert len(items) > 100
    batch = check_many(items, pack)
    alone = [check(item, pack) for item in items]
    assert dumped(batch) == dumped(alone)
    # the set exercises what batching changes: meaning findings with their scores and words
    assert any("model:meaning/" in f.detector for result in batch for f in result.findings)
    assert {result.decision for result in batch} == {"pass", "warn", "block"}


def test_a_repeated_text_gets_its_own_id_and_the_same_findings(pack: CompiledPack) -> None:
    wave = [{"id": f"spam-{n}", "kind": "comment", "text": COMMENTS[4], "platform": "x"} for n in range(5)]
    results = check_many([wave[0], {"id": "other", "kind": "comment", "text": COMMENTS[0]}, *wave[1:]], pack)
    assert [r.id for r in results] == ["spam-0", "other", "spam-1", "spam-2", "spam-3", "spam-4"]
    spam = [r for r in results if r.id.startswith("spam")]
    assert all(r.findings == spam[0].findings and r.decision == spam[0].decision for r in spam)
    assert spam[0].decision != "pass" and results[1].decision == "pass"
    spam[1].findings.clear()  # one result's list is its own
    assert spam[2].findings


def test_the_same_text_in_another_context_is_checked_again(pack: CompiledPack) -> None:
    text = "Vote National on Saturday!"
    as_post = {"id": "p", "kind": "post", "text": text, "platform": "facebook"}
    as_comment = {"id": "c", "kind": "comment", "text": text, "platform": "facebook"}
    batch = check_many([as_post, as_comment], pack)
    assert dumped(batch) == dumped([check(as_post, pack), check(as_comment, pack)])
    assert batch[0].decision == "block" and batch[1].decision != "block"


def test_the_model_scores_an_item_alike_alone_and_in_a_batch(pack: CompiledPack) -> None:
    """Bit for bit, so that no score can land on the other side of a threshold in a batch."""
    model = load_meaning_model()
    items = [coerce_item(item) for item in every_example(pack)]
    batch = [inputs_for(item, Evidence(), model.static) for item in items]
    assert model.scores_many(batch) == [model.scores(inputs) for inputs in batch]
    assert model.scores_many(batch[:7]) == model.scores_many(batch)[:7]
