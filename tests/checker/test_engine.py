"""The engine on a small fixture pack: decisions, evidence, merging, unless/when, interactions,
model layering, and the refusals a user sees for bad input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kaitiaki.checker import check, check_many, load_pack
from kaitiaki.checker.engine import CompiledPack
from kaitiaki.checker.items import Item, Result
from kaitiaki.errors import BadInput

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "packs" / "mini"


@pytest.fixture(scope="module")
def pack() -> CompiledPack:
    return load_pack(MINI)


def rules_of(result: Result) -> set[str]:
    return {finding.rule for finding in result.findings}


def post(text: str, **extra: Any) -> dict[str, Any]:
    return {"kind": "post", "text": text, **extra}


def interaction(action: str, **target: str) -> dict[str, Any]:
    return {"kind": "interaction", "action": action, "target": target}


# (description, item, expected decision, rules that must fire, rules that must not)
CASES: list[tuple[str, dict[str, Any], str, set[str], set[str]]] = [
    ("party endorsement blocks", post("Vote Green Party on Saturday!"), "block",
     {"mini.political.vote-party", "mini.political.party-named"}, set()),
    ("a hard negative passes", post("Our offices are closed on Labour Day."), "pass", set(),
     {"mini.political.party-named"}),
    ("lexicon exclude phrase", post("A new Green space opened in Petone."), "pass", set(),
     {"mini.political.party-named"}),
    ("vote without a party is fine", post("Vote in the local elections."), "pass", set(),
     {"mini.political.vote-party"}),
    ("conditional needs one sentence", post("The Greens met today. Remember to vote."), "warn",
     {"mini.political.party-named"}, {"mini.political.vote-party"}),
    ("conditional scope sentence matches", post("Remember to vote for the Greens."), "block",
     {"mini.political.vote-party"}, set()),
    ("camel-case hashtag is split into words", post("Big day #VoteGreenParty"), "block",
     {"mini.political.vote-party"}, set()),
    ("hashtags field is checked", post("Big day", hashtags=["VoteGreenParty"]), "block",
     {"mini.political.vote-party"}, set()),
    ("unless suppresses", post("The Greens press release is out."), "pass", set(),
     {"mini.political.party-named"}),
    ("macrons and case folded", post("VOTE for the GREENS"), "block", {"mini.political.vote-party"}, set()),
    ("email is an identifier", post("Email jane@example.com for help"), "block",
     {"mini.privacy.identifiers"}, set()),
    ("person with health detail", post("John Smith has diabetes."), "block",
     {"mini.privacy.person-details"}, set()),
    ("a name alone is not personal information", post("Kia ora Tom, thanks for your question."), "pass",
     set(), {"mini.privacy.person-details"}),
    ("commercial link warns", post("Book now https://kiwiair.example.com/deals"), "warn",
     {"mini.commercial.link"}, set()),
    ("links field is classified", post("Book now", links=["https://kiwiair.example.com/"]), "warn",
     {"mini.commercial.link"}, set()),
    ("government link passes", post("See https://www.example.govt.nz/help"), "pass", set(),
     {"mini.commercial.link"}),
    ("when: platform matches", post("We utilise new tools", platform="x"), "pass", {"mini.tone.plain"}, set()),
    ("when: platform does not match", post("We utilise new tools", platform="linkedin"), "pass", set(),
     {"mini.tone.plain"}),
    ("liking a party account blocks even with a purpose",
     {**interaction("like", handle="@ExampleGreens"), "business_purpose": "outreach"}, "block",
     {"mini.interaction.party"}, set()),
    ("party account found by name", interaction("repost", name="Example Labour Party"), "block",
     {"mini.interaction.party"}, set()),
    ("party account found by bio", interaction("share", handle="@jane", bio="Candidate for the Greens"),
     "block", {"mini.interaction.party"}, set()),
    ("following a party is left to the follow rule", interaction("follow", handle="@ExampleGreens"), "pass",
     set(), {"mini.interaction.party", "mini.interaction.no-purpose"}),
    ("unknown account without purpose warns", interaction("follow", handle="@someone"), "warn",
     {"mini.interaction.no-purpose"}, set()),
    ("unknown account with purpose passes",
     {**interaction("follow", handle="@someone"), "business_purpose": "They run flood warnings."}, "pass",
     set(), {"mini.interaction.no-purpose"}),
    ("government body passes without a purpose", interaction("like", url="https://www.civildefence.govt.nz/"),
     "pass", set(), {"mini.interaction.no-purpose"}),
    ("classifier at threshold", {"kind": "comment", "text": "You are a useless idiot and a moron"}, "warn",
     {"mini.comments.abusive", "mini.comments.insult-word"}, set()),
    ("classifier below threshold", {"kind": "comment", "text": "Thanks for the update on the road closures."},
     "pass", set(), {"mini.comments.abusive"}),
]


@pytest.mark.parametrize(("what", "item", "decision", "fires", "silent"), CASES, ids=[c[0] for c in CASES])
def test_decisions(pack: CompiledPack, what: str, item: dict, decision: str, fires: set, silent: set) -> None:
    result = check(item, pack)
    assert result.decision == decision, result.model_dump()
    assert fires <= rules_of(result), rules_of(result)
    assert not silent & rules_of(result), rules_of(result)


def test_a_finding_explains_itself(pack: CompiledPack) -> None:
    result = check({"id": "p1", "kind": "post", "text": "Vote Green Party on Saturday!"}, pack)
    assert result.id == "p1"
    assert result.pack == pack.id and result.pack.startswith("mini@1.0+")
    finding = next(f for f in result.findings if f.rule == "mini.political.vote-party")
    assert finding.category == "political_neutrality"
    assert finding.severity == "block"
    assert finding.clause == "exa-1.0/guidelines/political-neutrality"
    assert finding.quote == "Staff must remain politically neutral."
    assert finding.message and finding.suggestion
    assert [(e.field, e.start, e.end, e.text) for e in finding.evidence] == [
        ("text", 0, 4, "Vote"), ("text", 5, 16, "Green Party")]
    assert finding.detector == "regex+gazetteer:parties"
    assert result.findings[0].severity == "block"  # the most severe first


def test_duplicate_findings_of_a_rule_merge_into_one(pack: CompiledPack) -> None:
    result = check(post("The Greens and the Labour Party and the Greens again."), pack)
    named = [f for f in result.findings if f.rule == "mini.political.party-named"]
    assert len(named) == 1
    assert [e.text for e in named[0].evidence] == ["Greens", "Labour Party", "Greens"]


def test_evidence_points_at_the_original_text(pack: CompiledPack) -> None:
    text = "Please v\u200bote for the Gr\u0435ens!"  # zero-width space, Cyrillic e
    result = check(post(text), pack)
    finding = next(f for f in result.findings if f.rule == "mini.political.vote-party")
    for evidence in finding.evidence:
        assert text[evidence.start:evidence.end] == evidence.text
    assert {e.text for e in finding.evidence} == {"v\u200bote", "Gr\u0435ens"}


def test_hashtag_evidence_is_the_whole_hashtag(pack: CompiledPack) -> None:
    result = check(post("Big day", hashtags=["#VoteGreenParty"]), pack)
    finding = next(f for f in result.findings if f.rule == "mini.political.vote-party")
    assert {(e.field, e.text) for e in finding.evidence} == {("hashtags[0]", "#VoteGreenParty")}


def test_interaction_evidence_names_the_target(pack: CompiledPack) -> None:
    result = check(interaction("like", handle="@ExampleGreens"), pack)
    finding = result.findings[0]
    assert [(e.field, e.text) for e in finding.evidence] == [("target.handle", "@ExampleGreens")]
    assert finding.detector == "handle:parties"


def test_a_model_moves_confidence_but_never_removes_evidence(pack: CompiledPack) -> None:
    hostile = check({"kind": "comment", "text": "You useless idiot, you moron"}, pack)
    milder = check({"kind": "comment", "text": "What an idiot I was to forget my umbrella, thanks for the update"}, pack)
    first = next(f for f in hostile.findings if f.rule == "mini.comments.insult-word")
    second = next(f for f in milder.findings if f.rule == "mini.comments.insult-word")
    assert first.severity == second.severity == "advise"
    assert first.confidence > second.confidence
    assert first.confidence > 0.7  # the rule's base confidence, raised by a high score
    assert "model:abusive=" in first.detector and first.detector.startswith("terms+")


def test_classifier_finding_carries_the_score(pack: CompiledPack) -> None:
    result = check({"kind": "comment", "text": "You are a useless idiot and a moron"}, pack)
    finding = next(f for f in result.findings if f.rule == "mini.comments.abusive")
    assert finding.detector == "model:abusive"
    assert 0.48 <= finding.confidence <= 1.0
    assert finding.evidence and all(e.field == "text" for e in finding.evidence)


def test_an_item_object_is_accepted(pack: CompiledPack) -> None:
    assert check(Item(kind="post", text="Vote for the Greens"), pack).decision == "block"


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({"kind": "post", "text": ""}, "nothing to check"),
        ({"kind": "post", "text": "   \n"}, "nothing to check"),
        ({"text": "hello"}, "missing kind: give one of post, reply, interaction, personal_post, comment"),
        ({"kind": "tweet", "text": "hello"}, "unknown kind 'tweet': give one of post, reply"),
        ({"kind": "post", "text": "x" * 100_001}, "over the 100,000-character limit"),
        ({"kind": "personal_post", "text": "hello"}, "does not check personal_post items"),
        ({"kind": "post", "text": "hi", "platform": "myspace"}, "platform"),
        ("just a string", "an item is a JSON object"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(pack: CompiledPack, item: Any, message: str) -> None:
    with pytest.raises(BadInput) as caught:
        check(item, pack)
    assert message in caught.value.detail


def test_an_interaction_may_have_no_text(pack: CompiledPack) -> None:
    assert check({"kind": "interaction", "action": "follow", "target": {"handle": "@x"}}, pack).decision == "warn"


def test_text_at_the_limit_is_checked(pack: CompiledPack) -> None:
    assert check(post("a " * 50_000), pack).decision == "pass"


def test_check_many_keeps_order_and_names_a_bad_index(pack: CompiledPack) -> None:
    results = check_many([post("Vote for the Greens"), post("Hello"), {"kind": "comment", "text": "Thanks"}], pack)
    assert [r.decision for r in results] == ["block", "pass", "pass"]
    with pytest.raises(BadInput, match="item 1: nothing to check"):
        check_many([post("Hello"), post("")], pack)


def test_load_pack_is_cached_per_folder() -> None:
    assert load_pack(MINI) is load_pack(str(MINI))
