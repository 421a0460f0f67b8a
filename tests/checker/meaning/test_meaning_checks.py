"""What a person notices of the meaning model through the checker: items no word list names are
caught, ordinary items pass, every finding cites its policy sentence, and model findings point at
the words that weighed most."""

from __future__ import annotations

from typing import Any

import pytest

from kaitiaki.check_service.routing import PackSet
from kaitiaki.checker.checks.base import ItemContext
from kaitiaki.checker.engine import coerce_item, compile_pack
from kaitiaki.checker.items import Result
from kaitiaki.policy.loader import read_pack, resolve_pack_path


@pytest.fixture(scope="module")
def packs() -> PackSet:
    return PackSet.open("dpmc")


def check(packs: PackSet, **item: Any) -> Result:
    item.setdefault("platform", "facebook")
    return packs.check(item)


MUST_PASS = [
    {"kind": "post", "text": "Enrolment closes on Friday. Whether you support Labour, National, the Greens, ACT, "
                             "NZ First, Te Pāti Māori or another party, check your details at vote.nz."},
    {"kind": "post", "text": "An evacuation centre is open at Hutt Recreation Ground, 30 Huia Street, Lower Hutt. "
                             "Bring medication, warm clothes and your pets."},
    {"kind": "comment", "text": "gonna shoot down to the supermarket before the storm hits, anyone need anything?"},
    {"kind": "post", "text": "Wellington Electricity says power should be back on in Karori and Northland by 4pm. "
                             "Treat traffic lights that are out as a give way."},
    {"kind": "post", "text": "Public servants give Ministers free and frank advice. Ministers then decide, and "
                             "officials put their decisions into effect."},
]


@pytest.mark.parametrize("item", MUST_PASS, ids=["enrolment", "evacuation-centre", "shoot-down", "outage", "advice"])
def test_ordinary_items_pass(packs: PackSet, item: dict) -> None:
    result = check(packs, **item)
    assert result.decision == "pass", [(f.rule, f.detector) for f in result.findings]


@pytest.mark.parametrize(("kind", "text"), [
    ("post", "Reminder: officials don't make the final call on a national state of emergency: the Minister does, "
             "on advice. Here's how declarations work 👇"),
    ("personal_post", "for those asking: officials give free and frank advice, Ministers make the decisions. "
                      "good explainer from the Ombudsman 👇"),
    ("personal_post", "The Cabinet paper on the Emergency Management Bill was proactively released today. "
                      "Years of mahi from a lot of people, worth a read 🤓"),
])
def test_explaining_how_government_works_or_sharing_released_papers_passes(packs: PackSet, kind: str, text: str) -> None:
    result = check(packs, kind=kind, text=text, author={"employer_listed": True})
    assert result.decision == "pass", [(f.rule, f.detector) for f in result.findings]


def test_declining_to_disclose_passes_but_a_wink_does_not(packs: PackSet) -> None:
    refusal = check(packs, kind="reply", target={"text": "What's in the Budget for sirens?"},
                    text="Budget Day is Thursday 18 May. We don't know what's in it before it's announced, "
                         "but everything will be on the Treasury website that afternoon.")
    assert refusal.decision == "pass", [(f.rule, f.detector) for f in refusal.findings]
    wink = check(packs, kind="post", text="shh the official line is 'no decision has been made' but between you "
                                          "and us the Westport levee is getting funded")
    assert wink.decision == "block"


@pytest.mark.parametrize(("harmless", "problem"), [
    # a neutral reminder to vote, and a steer away from one party
    ("Big debate last night. Whoever you back, make sure you vote!",
     "Whoever you vote for, please don't vote for the party that cut the regional CDEM funding 😉"),
    # a family secret marked as classified, and agency material that is
    ("Nana's surprise 80th is TOP SECRET 🤫 if you're reading this Nana, look away",
     "Pic of the RESTRICTED briefing on my desk 😅 busy week"),
])
def test_a_staff_post_on_a_work_profile_passes_where_only_its_look_alike_is_blocked(
        packs: PackSet, harmless: str, problem: str) -> None:
    passed = check(packs, kind="personal_post", author={"employer_listed": True}, text=harmless)
    assert passed.decision == "pass", [(f.rule, f.detector) for f in passed.findings]
    assert check(packs, kind="personal_post", author={"employer_listed": True}, text=problem).decision == "block"


def test_a_staff_members_criticism_tied_to_the_employer_is_flagged(packs: PackSet) -> None:
    result = check(packs, kind="personal_post", author={"employer_listed": True},
                   text="As a DPMC staffer I think the Government's new policy is rubbish")
    assert result.decision != "pass"
    assert {"criticism_of_ministerial_policy", "political_neutrality", "personal_view_as_agency"} \
        & {f.category for f in result.findings if f.severity != "advise"}


@pytest.mark.parametrize("text", ["I will kill you", "ill kill u", "imma kill u lot", "gna k1ll u m8",
                                  "we are going to burn the EOC down", "it'll be the last thing you ever do",
                                  "you're dead meat bro", "𝐲𝐨𝐮'𝐫𝐞 𝐝𝐞𝐚𝐝 𝐦𝐞𝐚𝐭 𝐛𝐫𝐨"])
def test_a_blunt_threat_is_blocked_however_sure_the_model_is(packs: PackSet, text: str) -> None:
    result = check(packs, kind="comment", text=text)
    assert result.decision == "block"
    assert "dpmc.comments.explicit-threat" in {f.rule for f in result.findings if f.severity == "block"}


@pytest.mark.parametrize("text", ["I'll shoot you a message once the power's back on.",
                                  "My mum will kill me if I miss the bus", "I could kill for a coffee right now",
                                  "The crew will burn the slash piles down by the river on Saturday."])
def test_figures_of_speech_near_a_threat_pass(packs: PackSet, text: str) -> None:
    assert check(packs, kind="comment", text=text).decision == "pass"


@pytest.mark.parametrize(("text", "rule"), [
    ("Be a real shame if the welfare centre generators went walkabout 🙂", "dpmc.comments.veiled-threat"),
    ("I know which tinny is yours. Might want to check the bungs 😉", "dpmc.comments.veiled-threat"),
    ("We know where you park, councillor.", "dpmc.comments.veiled-threat"),
    ("Pray you never meet me in person 😡", "dpmc.comments.veiled-threat"),
    ("🔪🔪 for whoever runs the Ōpōtiki welfare desk. See you Monday", "dpmc.comments.weapon-emoji-threat"),
    ("Councillor Ngata 🪓🪓 your last term", "dpmc.comments.weapon-emoji-threat"),
    ("I hope the controller drowns in the next one", "dpmc.comments.wished-harm"),
    ("Hope whoever cut the siren budget falls down the stairs", "dpmc.comments.wished-harm"),
    ("The fat bloke reading the update should lay off the pies 🐷", "dpmc.comments.appearance-insult"),
    ("Whoever fronted the 4pm update has a face for radio", "dpmc.comments.appearance-insult"),
    ("That presenter with the buck teeth needs to get off the telly", "dpmc.comments.appearance-insult"),
])
def test_a_veiled_threat_a_weapon_a_wish_of_harm_or_mocked_looks_is_blocked_by_its_rule(
        packs: PackSet, text: str, rule: str) -> None:
    result = check(packs, kind="comment", text=text)
    assert result.decision == "block"
    assert rule in {f.rule for f in result.findings if f.severity == "block"}


@pytest.mark.parametrize("text", ["Someone in the comments said 'we know where you park' to the staff. Not okay.",
                                  "Be a shame if the market got rained off again, fingers crossed for Saturday.",
                                  "Enjoy the sunshine while it lasts, another front on Thursday.",
                                  "You've been warned 😂 the pies at the hall are gone by 11 on Wednesdays"])
def test_everyday_words_of_a_veiled_threat_pass(packs: PackSet, text: str) -> None:
    assert check(packs, kind="comment", text=text).decision == "pass"


@pytest.mark.parametrize("text", ["Pig hunters from Wairoa cleared the slip on the back road, legends 🐗",
                                  "Fat raindrops on the roof all night, the tank is finally full",
                                  "the photo of the cow on the roof after the flood 💀"])
def test_the_words_of_an_appearance_insult_pass_elsewhere(packs: PackSet, text: str) -> None:
    assert check(packs, kind="comment", text=text).decision == "pass"


@pytest.mark.parametrize("text", ["Bring your 🔪 and a chopping board to the hall, we're feeding 200 tonight 🍲",
                                  "You lot are 💣, the whole street got fed all week",
                                  "Grandad's split a trailer of firewood 🪓 for whoever needs it in Tolaga Bay",
                                  "Stay safe tonight everyone, hope nobody gets hurt in the wind",
                                  "I hope you have a heart-warming Christmas with the whānau"])
def test_a_weapon_emoji_at_work_or_a_kind_wish_passes(packs: PackSet, text: str) -> None:
    result = check(packs, kind="comment", text=text)
    assert result.decision == "pass", [(f.rule, f.detector) for f in result.findings]


@pytest.mark.parametrize(("kind", "text"), [
    ("post", "To everyone asking why there's no local EOC any more: we asked. The Beehive said no. Sorry."),
    ("post", "If only the stopbank upgrade had been funded when we asked for it two years ago."),
    ("reply", "We put in a funding bid last year and the Minister turned it down."),
])
def test_saying_what_the_agency_asked_ministers_for_and_was_refused_is_blocked(
        packs: PackSet, kind: str, text: str) -> None:
    result = check(packs, kind=kind, text=text, target={"text": "Why is there no EOC here any more?"})
    assert result.decision == "block"
    assert "dpmc.advice.asked-and-refused" in {f.rule for f in result.findings}


@pytest.mark.parametrize("text", ["Cabinet has agreed to extend the buyout scheme. Formal announcement Thursday but we "
                                  "wanted you to hear it first.",
                                  "Not officially released yet but the Kaikōura siren upgrade is funded 🎉"])
def test_telling_followers_a_decision_before_its_announcement_is_blocked(packs: PackSet, text: str) -> None:
    result = check(packs, kind="post", text=text)
    assert result.decision == "block"
    assert "dpmc.confidential.ahead-of-announcement" in {f.rule for f in result.findings}


def test_pointing_to_one_shop_for_supplies_warns_and_a_list_of_shops_passes(packs: PackSet) -> None:
    one = check(packs, kind="post", text="Need a gas bottle before the storm? Rimu Road Fuels in Te Awamutu has them.")
    assert one.decision == "warn"
    assert "dpmc.commercial.one-shop-has-stock" in {f.rule for f in one.findings}
    several = check(packs, kind="post", text="Hardware stores across Waikato have restocked sandbags. Ring your "
                                             "local store before you go.")
    assert several.decision == "pass"


@pytest.mark.parametrize(("kind", "text", "rule", "decision"), [
    ("post", "Huge thanks to the bright sparks who drove round the barriers at Clive. Our crews loved it 🙄",
     "dpmc.tone.ridicule", "block"),
    ("reply", "The Minister's office shelved our recommendation on the sirens, so ask them.",
     "dpmc.advice.asked-and-refused", "block"),
    ("post", "Free sausage sizzle after the ShakeOut drill, everyone welcome, even the National voters 😜",
     "dpmc.political.voter-joke", "warn"),
    ("comment", "URGENT: your civil defence alert account has been suspended. Reactivate at cd-alerts-nz.info",
     "dpmc.comments.phishing", "block"),
])
def test_ridicule_advice_told_as_the_ministers_act_a_voter_joke_and_an_expired_account_scam(
        packs: PackSet, kind: str, text: str, rule: str, decision: str) -> None:
    context = {"target": {"text": "Why are there no sirens here?"}} if kind == "reply" else {}
    result = check(packs, kind=kind, text=text, **context)
    assert result.decision == decision
    assert rule in {f.rule for f in result.findings}


def test_a_comment_asking_for_bank_details_is_blocked_and_a_warning_about_it_passes(packs: PackSet) -> None:
    scam = check(packs, kind="comment", text="You qualify for the flood hardship grant 🎉 confirm your bank "
                                             "details at nz-flood-grants.help")
    assert scam.decision == "block"
    assert "dpmc.comments.phishing" in {f.rule for f in scam.findings}
    warning = check(packs, kind="comment", text="Heads up, scam texts are asking for bank details. Civil Defence "
                                                "never asks for them.")
    assert warning.decision == "pass"


@pytest.mark.parametrize("text", ["The Minister announced today that the Ōtaki welfare centre stays open until March.",
                                  "We asked the council about the road and they'll reopen it on Friday."])
def test_an_announced_decision_or_a_councils_answer_passes(packs: PackSet, text: str) -> None:
    assert check(packs, kind="post", text=text).decision == "pass"


@pytest.mark.parametrize("text", ["Mum's home from Wellington Hospital after her hip op 🙏 Huge thanks to the "
                                  "nurses on Ward 6.",
                                  "Baby number two arrived at 4.12am! Ana Mere, 3.4 kg of pure aroha 💕",
                                  "My boy passed his restricted in Whangārei first go!! Bank account crying"])
def test_a_staff_members_own_family_news_is_not_blocked(packs: PackSet, text: str) -> None:
    result = check(packs, kind="personal_post", author={"employer_listed": True}, text=text)
    assert result.decision == "pass", [(f.rule, f.detector) for f in result.findings]


@pytest.mark.parametrize("text", ["Sending love to my teammate Rangi, who found out yesterday his cancer is back.",
                                  "Mum says my colleague Tui is in hospital with depression, thinking of her"])
def test_a_colleagues_health_in_a_staff_post_is_blocked(packs: PackSet, text: str) -> None:
    result = check(packs, kind="personal_post", author={"employer_listed": False}, text=text)
    assert result.decision == "block"
    assert "psc-personal.conduct.others-personal-information" in {f.rule for f in result.findings}


@pytest.mark.parametrize("text", ["On behalf of the whole Tasman Emergency Management Office, thanks for doing the ShakeOut drill today.",
                                  "Replying to the comments: NEMA's official line is don't drive through floodwater.",
                                  "Officially, we don't recommend generators indoors. Unofficially, my uncle ignores us."])
def test_a_staff_member_speaking_for_the_agency_is_warned(packs: PackSet, text: str) -> None:
    result = check(packs, kind="personal_post", author={"employer_listed": True}, text=text)
    assert result.decision == "warn"
    assert "psc-personal.conduct.speaking-as-agency" in {f.rule for f in result.findings if f.severity == "warn"}


@pytest.mark.parametrize("text", ["Proud to hand out the volunteer awards on behalf of the agency last night.",
                                  "On behalf of the Tītahi Bay netball club, thanks to everyone at the quiz night!"])
def test_acting_for_the_agency_or_speaking_for_a_club_passes(packs: PackSet, text: str) -> None:
    result = check(packs, kind="personal_post", author={"employer_listed": True}, text=text)
    assert result.decision == "pass", [(f.rule, f.detector) for f in result.findings]


def test_an_implicit_threat_is_blocked(packs: PackSet) -> None:
    result = check(packs, kind="comment", text="Nice office you lot have got there. Be a pity if the windows "
                                               "all got smashed one night, wouldn't it.")
    assert result.decision == "block"
    assert "threat" in {f.category for f in result.findings}


def test_an_interaction_with_a_government_body_is_never_party_political(packs: PackSet) -> None:
    purpose = "Promote regeneration content"
    crown = check(packs, kind="interaction", action="link", business_purpose=purpose,
                  target={"url": "https://otakaro.govt.nz/projects", "name": "Ōtākaro"})
    party = check(packs, kind="interaction", action="link", business_purpose=purpose,
                  target={"url": "https://www.national.org.nz/policies", "name": "New Zealand National Party"})
    assert "political_neutrality" not in {f.category for f in crown.findings if f.severity != "advise"}
    assert crown.decision != "block"
    assert party.decision == "block"
    assert "political_neutrality" in {f.category for f in party.findings}


def test_sharing_a_businesss_safety_update_with_a_business_purpose_passes(packs: PackSet) -> None:
    outage = {"kind": "interaction", "action": "share", "target": {
        "handle": "@VectorNZ", "name": "Vector", "bio": "Auckland's electricity lines company",
        "text": "Outage map now live: crews are restoring power in Titirangi and Piha."},
        "business_purpose": "Power restoration updates for people in the storm area"}
    assert check(packs, **outage).decision == "pass"
    promotion = {"kind": "interaction", "action": "like", "target": {
        "handle": "@AirNZ", "name": "Air New Zealand", "text": "Check out our brand new lounge!"}}
    assert "commercial_endorsement" in {f.category for f in check(packs, **promotion).findings if f.severity != "advise"}


def test_a_spaced_out_link_is_read_as_a_link(packs: PackSet) -> None:
    result = check(packs, kind="comment", text="Earn $500 a day from home!! Go to w w w . quick-cash . co . nz now")
    assert "spam" in {f.category for f in result.findings if f.severity != "advise"}


def test_a_model_finding_cites_its_clause_and_shows_the_words_that_weighed_most(packs: PackSet) -> None:
    result = check(packs, kind="comment", text="Nice office you lot have got there. Be a pity if the windows "
                                               "all got smashed one night, wouldn't it.")
    model = [f for f in result.findings if f.detector.startswith("model:meaning")]
    assert model, [f.rule for f in result.findings]
    assert all(f.quote and f.clause for f in model)
    assert all(f.evidence and all(e.text for e in f.evidence) for f in model)
    assert "words:" in model[0].detector


def test_a_reply_is_judged_with_what_it_replies_to(packs: PackSet) -> None:
    parent = {"text": "The Minister's decision to close the Ōtaki office is a disgrace."}
    agreeing = check(packs, kind="reply", text="We couldn't agree more, honestly.", target=parent)
    thanking = check(packs, kind="reply", text="Thanks for getting in touch. The office's services move to "
                                               "Levin from 1 March; details are on our website.", target=parent)
    assert agreeing.decision == "block"
    assert thanking.decision == "pass"


def test_a_block_head_blocks_only_where_the_flag_head_finds_the_category(monkeypatch: pytest.MonkeyPatch) -> None:
    pack = compile_pack(read_pack(resolve_pack_path("dpmc")))
    rule = next(r for r in pack.rules if r.rule.id == "dpmc.meaning.tone-block")
    check_ = rule.check
    ctx = ItemContext(coerce_item({"kind": "reply", "platform": "facebook", "text": "Sure, we'll get right on that.",
                                   "target": {"text": "Fix the road!"}}), pack.vocabulary)
    block_head, flag_head = "disrespectful_tone:block", "disrespectful_tone"
    above = {block_head: 0.999, flag_head: 0.999}
    monkeypatch.setattr(check_, "scores", lambda ctx: above)
    assert check_.run(ctx, ctx.views(["text"]))
    monkeypatch.setattr(check_, "scores", lambda ctx: {**above, flag_head: 0.0})
    assert check_.run(ctx, ctx.views(["text"])) == []
