"""Checking a personal post, explaining the findings in plain words, keeping a check when asked,
and the guidance grouped by source document and section.

Nothing is stored unless the person asks to keep the check (signed in); a kept check is theirs to
delete. The audit log records that a check was kept or deleted, never the words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from kaitiaki.audit import service as audit
from kaitiaki.checker import CompiledPack, check, load_pack
from kaitiaki.checker.items import Author, Item, Result
from kaitiaki.errors import NotFound
from kaitiaki.models import PersonalCheck, User
from kaitiaki.policy.schema import Clause
from kaitiaki.publishing.schemas import PLATFORM_NAMES, checker_platform, platform_limit
from kaitiaki.common.forms import FieldErrors
from kaitiaki.timeutil import utcnow

PERSONAL_PACK = "psc-personal"
KEPT_LIMIT = 50
ASK_CLAUSE = "psc-personal-use/personal-capacity/ask-manager-or-hr"
# Plain headings for each severity: a personal post is never "blocked", the person decides.
SEVERITY_HEADINGS = {
    "block": "Don't post this as it is",
    "warn": "Have another think before posting this",
    "advise": "Worth a second look",
}


def personal_pack() -> CompiledPack:
    return load_pack(PERSONAL_PACK)


@dataclass(frozen=True)
class PersonalPost:
    platform: str
    text: str
    employer_listed: bool


def validate(platform: str, text: str, employer_listed: bool,
             limits: Mapping[str, int]) -> PersonalPost:
    errors = FieldErrors()
    platform = platform.strip().lower()
    if platform not in PLATFORM_NAMES:
        errors.add("platform", "Choose the platform you will post on.")
    text = text.strip()
    limit = platform_limit(limits, platform if platform in PLATFORM_NAMES else "other")
    if not text:
        errors.add("text", "Write or paste the post you want to check.")
    elif len(text) > limit:
        errors.add("text", f"The post is {len(text):,} characters; "
                           f"{PLATFORM_NAMES.get(platform, 'the platform')} allows at most {limit:,}.")
    errors.raise_if_any()
    return PersonalPost(platform=platform, text=text, employer_listed=employer_listed)


def self_check(pack: CompiledPack, post: PersonalPost) -> Result:
    item = Item(kind="personal_post", text=post.text, platform=checker_platform(post.platform),
                author=Author(employer_listed=post.employer_listed))
    return check(item, pack)


@dataclass(frozen=True)
class Explanation:
    number: int
    severity: str
    heading: str
    message: str
    suggestion: str
    quote: str
    source: str
    section: str
    # for the meaning model's findings: the words of the post that weighed most
    words: tuple[str, ...] = ()


def explain(pack: CompiledPack, result: Result) -> list[Explanation]:
    """Each finding as the person reads it: a plain heading, the pack's message and suggestion,
    and the guidance quoted with the document and section it comes from."""
    titles = {source.id: source.title for source in pack.meta.sources}
    explained = []
    # one explanation per concern: a word rule and the meaning model often see the same thing
    # (findings come most severe first, so the kept one is the most severe)
    shown: set[str] = set()
    for finding in result.findings:
        if finding.category in shown:
            continue
        shown.add(finding.category)
        clause = pack.registry.clauses.get(finding.clause)
        words = tuple(dict.fromkeys(e.text for e in finding.evidence if e.text)) \
            if finding.detector.startswith("model:meaning") else ()
        explained.append(Explanation(
            number=len(explained) + 1, severity=finding.severity, words=words,
            heading=SEVERITY_HEADINGS.get(finding.severity, "Worth a second look"),
            message=finding.message, suggestion=finding.suggestion, quote=finding.quote,
            source=titles.get(clause.source, clause.source) if clause else "",
            section=heading_of(pack, clause) if clause else "",
        ))
    return explained


def ask_someone(pack: CompiledPack) -> str:
    """The guidance's own advice for when someone is unsure."""
    clause = pack.registry.clauses.get(ASK_CLAUSE)
    return clause.quote if clause else ""


# --- kept checks ---------------------------------------------------------------------------------


def keep(session: Session, *, user: User, post: PersonalPost, result: Result) -> PersonalCheck:
    kept = PersonalCheck(user_id=user.id, platform=post.platform, text=post.text,
                         employer_listed=post.employer_listed, decision=result.decision,
                         pack_id=result.pack,
                         findings=[finding.model_dump() for finding in result.findings],
                         created_at=utcnow())
    session.add(kept)
    session.flush()
    audit.record(session, actor=user.email, action="selfcheck.kept", subject=f"user:{user.id}",
                 details={"check": kept.id, "decision": result.decision, "pack": result.pack})
    return kept


def kept_checks(session: Session, user: User) -> list[PersonalCheck]:
    return list(session.scalars(
        select(PersonalCheck).where(PersonalCheck.user_id == user.id)
        .order_by(PersonalCheck.created_at.desc(), PersonalCheck.id.desc()).limit(KEPT_LIMIT)
    ))


def delete_kept(session: Session, *, user: User, check_id: int) -> None:
    kept = session.get(PersonalCheck, check_id)
    if kept is None or kept.user_id != user.id:
        raise NotFound("You have no kept self-check with that number.")
    session.delete(kept)
    session.flush()
    audit.record(session, actor=user.email, action="selfcheck.deleted", subject=f"user:{user.id}",
                 details={"check": check_id})


# --- the guidance --------------------------------------------------------------------------------


@dataclass
class GuidanceSection:
    heading: str
    clauses: list[Clause] = field(default_factory=list)

    @property
    def parts(self) -> list[tuple[str, str | None]]:
        """The heading's parts with their language ("mi" for te reo Māori, None for English),
        so a screen reader pronounces each in its own language."""
        parts = self.heading.split(" | ")
        if len(parts) != 2:
            return [(self.heading, None)]
        return [(part, "mi" if is_te_reo(part) else None) for part in parts]


# The fifteen letters of te reo Māori (ng and wh are written with them), with the macron vowels.
_MAORI_LETTERS = frozenset("aehikmnoprtuwgāēīōū")


def is_te_reo(text: str) -> bool:
    """Whether a heading is written only in the letters of te reo Māori: "Kaupapa" is, "Purpose"
    is not. Good for telling the two halves of a bilingual heading apart, not for prose."""
    letters = [ch for ch in text.lower() if ch.isalpha()]
    return bool(letters) and all(ch in _MAORI_LETTERS for ch in letters)


@dataclass
class GuidanceSource:
    title: str
    sections: list[GuidanceSection] = field(default_factory=list)


def heading_of(pack: CompiledPack, clause: Clause) -> str:
    """The section's heading as the source document writes it: the PSC guidance heads each part
    in te reo Māori and English ("Te whakamahi ... | Using social media in a personal capacity")."""
    text = pack.pack.sources.get(clause.source, "")
    for line in text.splitlines():
        parts = [part.strip() for part in line.split(" | ")]
        if len(parts) == 2 and clause.section in parts:
            return line.strip()
    return clause.section


def guidance(pack: CompiledPack) -> list[GuidanceSource]:
    """Every clause of the pack, grouped by source document then section, in the pack's order."""
    titles = {source.id: source.title for source in pack.meta.sources}
    grouped: dict[str, GuidanceSource] = {}
    for clause in pack.pack.clauses:
        source = grouped.setdefault(clause.source, GuidanceSource(titles.get(clause.source, clause.source)))
        heading = heading_of(pack, clause)
        if not source.sections or source.sections[-1].heading != heading:
            source.sections.append(GuidanceSection(heading))
        source.sections[-1].clauses.append(clause)
    order = [source.id for source in pack.meta.sources]
    return [grouped[key] for key in sorted(grouped, key=lambda k: order.index(k) if k in order else 99)]


__all__ = [
    "Explanation", "GuidanceSection", "GuidanceSource", "PERSONAL_PACK", "PersonalPost",
    "ask_someone", "delete_kept", "explain", "guidance", "heading_of", "keep", "kept_checks",
    "personal_pack", "self_check", "validate",
]
