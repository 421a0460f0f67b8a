"""Corrected examples shown next to a pack error, one per kind of block.

A pack author who gets an error sees the shape the loader expected, not only what was wrong.
"""

from __future__ import annotations

from collections.abc import Sequence

MATCHER = """\
first: {gazetteer: nz_political_actors, types: [party, leader]}
second: {terms: ["vote for"], patterns: ['\\bparty vote\\b']}
unless: {terms: ["Labour Day"]}"""

RULE_COMMON = """\
  - id: dpmc.political.party-endorsement
    category: political_neutrality
    severity: block                  # block | warn | advise
    applies_to: [post, reply]
    clause: dpmc-1.2/guidelines/political-neutrality
    message: "Party-political content on an agency channel."
    suggestion: "State the facts neutrally, or leave this post to the party itself."
    examples:
      hit: ["Vote National on Saturday!"]
      miss: ["Our offices are closed on Labour Day."]"""

CHECK_KEYS = {
    "existence": "    check: existence\n    terms: [\"vote for\"]\n    patterns: ['\\bparty vote\\b']",
    "gazetteer": "    check: gazetteer\n    gazetteer: nz_political_actors\n    types: [party, leader]",
    "conditional": (
        "    check: conditional\n    first: {gazetteer: nz_political_actors}\n"
        "    second: {patterns: ['\\bvote\\b']}\n    scope: sentence"
    ),
    "pattern": "    check: pattern\n    entities: [nz_ird, nz_nhi, payment_card]\n    min_confidence: 0.5",
    "personal_information": "    check: personal_information\n    with: [contact, identifier, address, health]",
    "link": "    check: link\n    classes: [party, commercial]",
    "interaction": "    check: interaction\n    targets: [party_political]\n    actions: [like, repost, share, link]",
    "classifier": "    check: classifier\n    model: abusive\n    threshold: 0.8",
    "meaning": "    check: meaning\n    head: flag",
}


def rule_example(check: str | None) -> str:
    keys = CHECK_KEYS.get(check or "", CHECK_KEYS["conditional"])
    return "rules:\n" + RULE_COMMON + "\n" + keys


CLAUSE = """\
clauses:
  - id: dpmc-1.2/guidelines/political-neutrality   # <source id>/<section slug>/<clause slug>
    source: dpmc-1.2
    section: "Guidelines for use of social media"
    kind: must_not     # must_not | must | should | principle | example_ok | example_not_ok | info
    quote: "DPMC and its staff must remain politically neutral."   # word for word from the source"""

LEXICON = """\
name: nz_political_actors
title: "NZ registered political parties, their leaders, MPs and slogans"
version: "2026-11-01"
exclude: ["Labour Day"]
entries:
  - name: "New Zealand National Party"
    type: party
    aliases: ["National Party"]
    source: "Electoral Commission, Register of Political Parties"
    as_of: 2026-10-01"""

LEXICON_ENTRY = """\
entries:
  - name: "New Zealand National Party"
    type: party
    aliases: ["National Party", "Nats"]
    case_sensitive: ["National"]
    needs_context: ["National"]
    context: ["party", "vote", "election"]
    handles: ["@NZNationalParty"]
    domains: ["national.org.nz"]
    source: "Electoral Commission, Register of Political Parties"
    as_of: 2026-10-01"""

PACK_KEYS = {
    "name": 'name: dpmc',
    "version": 'version: "1.2"',
    "title": 'title: "DPMC / NEMA Social Media Policy"',
    "agency": (
        'agency: {code: DPMC, name: "Department of the Prime Minister and Cabinet", '
        'complaint_reference_prefix: "DPMC-SM", contact_email: "socialmedia@dpmc.govt.nz", '
        'website: "https://www.dpmc.govt.nz"}'
    ),
    "sources": (
        "sources:\n  - {id: dpmc-1.2, title: \"Social Media Policy\", version: \"1.2\", "
        "date: 2020-08-03, file: dpmc-social-media-policy.txt}   # file lives in sources/"
    ),
    "lexicons_from": "lexicons_from: [dpmc]   # other packs whose lexicons this pack uses",
    "kinds": "kinds: [post, reply, interaction, comment]",
    "roles": 'roles:\n  - {id: elt_member, title: "Executive Leadership Team member", scope: unit}',
    "units": (
        'units:\n  - {code: DPMC, name: "Department of the Prime Minister and Cabinet", kind: agency}\n'
        '  - {code: DPMC-SGE, name: "Strategy, Governance and Engagement", kind: business_unit, parent: DPMC}'
    ),
    "approval_rules": (
        "approval_rules:\n  - {agency: DPMC, requests: [new_channel, extended_use], "
        "clause: dpmc-1.2/channels/approval,\n     required: [{role: director_strategic_comms}, "
        "{role: elt_member, of: channel_unit}]}"
    ),
    "moderation_reasons": (
        'moderation_reasons:\n  - {code: offensive, label: "Offensive or abusive", '
        'public: "Comments that are abusive, insulting or obscene.", actions: [hide, delete]}'
    ),
    "complaint_categories": (
        'complaint_categories:\n  - {code: privacy_breach, label: "Privacy breach", serious: true}'
    ),
    "complaint_escalation": (
        "complaint_escalation: {DPMC: {role: elt_member, of: channel_unit}, NEMA: {role: nema_chief_executive}}"
    ),
    "complaint_timers": "complaint_timers: {acknowledge_working_days: 1, resolve_working_days: 10}",
    "retention": "retention: {moderation_records_years: 7}",
    "platform_limits": "platform_limits: {x: 280, facebook: 63206, other: 100000}",
}

PACK = "\n".join(PACK_KEYS[key] for key in ("name", "version", "title", "sources", "kinds"))


def example_for(file_kind: str, loc: Sequence[str | int], check: str | None = None) -> str:
    """The corrected example for an error at `loc` in a file of `file_kind`."""
    if file_kind == "rules":
        if any(key in ("first", "second", "unless") for key in loc):
            return MATCHER
        key = loc[2] if len(loc) > 2 else None
        if check in CHECK_KEYS and key != "check" and f"    {key}:" in CHECK_KEYS[check]:
            return CHECK_KEYS[check]  # the error is in a key of this check type: show just those
        return rule_example(check)
    if file_kind == "clauses":
        return CLAUSE
    if file_kind == "lexicon":
        return LEXICON_ENTRY if "entries" in loc else LEXICON
    if loc and isinstance(loc[0], str) and loc[0] in PACK_KEYS:
        return PACK_KEYS[loc[0]]
    return PACK
