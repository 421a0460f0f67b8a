"""The policy pack's file formats as pydantic models: pack.yaml, clauses.yaml, rules/*.yaml and
lexicons/*.yaml. The loader maps every validation error back to a file and line.

Unknown keys are errors (a misspelt key would otherwise silently switch a rule off).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SLUG = r"^[a-z0-9][a-z0-9_-]*$"
RULE_ID = r"^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9_-]*){2,}$"
CLAUSE_ID = r"^[a-z0-9][a-z0-9.-]*/[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9-]*$"
CATEGORY = r"^[a-z][a-z0-9_]*$"

#: Where a rule may look. `hashtags`, `mentions` and `links` stand for every element of that list.
FIELDS = (
    "text",
    "hashtags",
    "mentions",
    "links",
    "target.text",
    "target.name",
    "target.bio",
    "target.handle",
    "target.url",
    "business_purpose",
)
#: Item attributes a rule's `when` may test.
WHEN_PATHS = (
    "kind",
    "platform",
    "channel",
    "action",
    "business_purpose",
    "author.employer_listed",
    "target.handle",
    "target.name",
    "target.url",
)
IDENTIFIER_ENTITIES = (
    "nz_ird",
    "nz_nhi",
    "nz_bank_account",
    "nz_phone",
    "email",
    "nz_street_address",
    "payment_card",
    "nz_driver_licence",
    "nz_passport",
    "case_reference",
)
LINK_CLASSES = ("party", "commercial", "news", "shortener", "government", "social", "unknown")
INTERACTION_TARGETS = ("party_political", "commercial", "news_political", "unknown_without_purpose")
PERSONAL_DETAILS = ("contact", "identifier", "address", "health")
ACTIONS = ("follow", "like", "repost", "share", "link")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ---------------------------------------------------------------------------------------------
# pack.yaml


class Agency(Strict):
    code: str
    name: str
    complaint_reference_prefix: str | None = None
    contact_email: str | None = None
    website: str | None = None


class Source(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.-]*$")
    title: str
    version: str | None = None
    date: dt.date | None = None
    file: str = Field(pattern=r"^[\w.-]+\.txt$", description="a file in the pack's sources/ folder")


class Role(Strict):
    id: str = Field(pattern=SLUG)
    title: str
    scope: Literal["agency", "unit"]
    # A senior leader's name is released, not withheld, in an Official Information Act export
    # (kaitiaki.oia): they act in public for the agency.
    senior: bool = False


class Unit(Strict):
    code: str = Field(pattern=r"^[A-Z0-9][A-Z0-9-]*$")
    name: str
    kind: Literal["agency", "business_unit"]
    parent: str | None = None


class RoleRequirement(Strict):
    role: str
    of: Literal["channel_unit"] | None = None


class ApprovalRule(Strict):
    agency: str
    requests: list[Literal["new_channel", "extended_use"]] = Field(min_length=1)
    clause: str
    required: list[RoleRequirement] = Field(min_length=1)


class ModerationReason(Strict):
    code: str = Field(pattern=SLUG)
    label: str
    public: str
    # The moderation actions this reason may justify (kaitiaki.moderation): `spam` marks spam,
    # `block` blocks the author, `complaint` takes the comment up as a complaint.
    actions: list[
        Literal["hide", "delete", "keep", "report", "reply", "spam", "block", "complaint"]
    ] = Field(min_length=1)


class ComplaintCategory(Strict):
    code: str = Field(pattern=SLUG)
    label: str
    serious: bool = False


class ComplaintTimers(Strict):
    acknowledge_working_days: int = Field(ge=0)
    resolve_working_days: int = Field(ge=1)


class Retention(Strict):
    moderation_records_years: int = Field(ge=1)


class PackReview(Strict):
    """When the policy is due for review and who approves it (reminded by a periodic job)."""

    due_on: dt.date
    approver_role: str = Field(pattern=SLUG)
    approver_unit: str | None = None


class Period(Strict):
    """A dated period in which stricter rules apply, such as the months before a general election.
    Inside it (New Zealand dates, both days included) the rules that name it with `during:` apply,
    and findings of the `tighten` categories that would warn block instead; every finding the
    period changes or adds names it."""

    id: str = Field(pattern=SLUG)
    name: str = Field(min_length=1)
    starts: dt.date
    ends: dt.date
    clause: str
    tighten: list[str] = Field(default_factory=list)
    note: str = ""

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> Period:
        if self.ends < self.starts:
            raise ValueError(f"period {self.id}: ends ({self.ends}) is before it starts ({self.starts})")
        return self


class PackMeta(Strict):
    name: str = Field(pattern=SLUG)
    version: str
    title: str
    agency: Agency | None = None
    sources: list[Source] = Field(min_length=1)
    lexicons_from: list[str] = Field(default_factory=list)
    kinds: list[str] = Field(min_length=1)
    roles: list[Role] = Field(default_factory=list)
    units: list[Unit] = Field(default_factory=list)
    approval_rules: list[ApprovalRule] = Field(default_factory=list)
    moderation_reasons: list[ModerationReason] = Field(default_factory=list)
    complaint_categories: list[ComplaintCategory] = Field(default_factory=list)
    complaint_escalation: dict[str, RoleRequirement] = Field(default_factory=dict)
    complaint_timers: ComplaintTimers | None = None
    retention: Retention | None = None
    review: PackReview | None = None
    platform_limits: dict[str, int] = Field(default_factory=dict)
    periods: list[Period] = Field(default_factory=list)
    timezone: str = "Pacific/Auckland"

    @field_validator("version", mode="before")
    @classmethod
    def _version_is_text(cls, value: Any) -> Any:
        if isinstance(value, (int, float)):
            raise ValueError(f'write the version in quotes, e.g. version: "{value}"')
        return value


# ---------------------------------------------------------------------------------------------
# clauses.yaml

ClauseKind = Literal["must_not", "must", "should", "principle", "example_ok", "example_not_ok", "info"]


class Clause(Strict):
    id: str = Field(pattern=CLAUSE_ID)
    source: str
    section: str
    kind: ClauseKind
    quote: str = Field(min_length=1)

    @model_validator(mode="after")
    def _id_starts_with_source(self) -> Clause:
        if not self.id.startswith(self.source + "/"):
            raise ValueError(f"clause id {self.id!r} must start with its source id {self.source!r}/")
        return self


class ClausesFile(Strict):
    clauses: list[Clause] = Field(min_length=1)


# ---------------------------------------------------------------------------------------------
# rules/*.yaml


def _check_regexes(patterns: list[str]) -> list[str]:
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"the pattern {pattern!r} is not a valid regular expression: {exc}") from exc
    return patterns


class Matcher(Strict):
    """What to look for: any present key contributes matches."""

    terms: list[str] = Field(default_factory=list)
    patterns: list[str] = Field(default_factory=list)
    gazetteer: str | None = None
    types: list[str] = Field(default_factory=list)

    @field_validator("patterns")
    @classmethod
    def _patterns_compile(cls, value: list[str]) -> list[str]:
        return _check_regexes(value)

    @model_validator(mode="after")
    def _not_empty(self) -> Matcher:
        if not (self.terms or self.patterns or self.gazetteer):
            raise ValueError("a matcher needs at least one of terms, patterns or gazetteer")
        if self.types and not self.gazetteer:
            raise ValueError("types only narrows a gazetteer; add gazetteer: <lexicon name>")
        if any(not term.strip() for term in self.terms):
            raise ValueError("terms must not be empty strings")
        return self


class ModelRef(Strict):
    name: str
    weight: float = Field(0.3, gt=0, le=1)


class Examples(Strict):
    hit: list[str | dict[str, Any]] = Field(min_length=1)
    miss: list[str | dict[str, Any]] = Field(default_factory=list)


class RuleBase(Strict):
    id: str = Field(pattern=RULE_ID)
    category: str = Field(pattern=CATEGORY)
    severity: Literal["block", "warn", "advise"]
    applies_to: list[str] = Field(min_length=1)
    clause: str
    fields: list[Literal[FIELDS]] | None = None  # type: ignore[valid-type]
    unless: Matcher | None = None
    when: dict[str, Any] = Field(default_factory=dict)
    confidence: float = Field(1.0, gt=0, le=1)
    model: ModelRef | None = None
    # `decides`: a finding stands on the rule alone (hard rules: identifiers, links, registries).
    # `evidence`: a lexicon rule whose finding stands only when the meaning model agrees on its
    # category; otherwise it is kept as advice (docs/checker.md, "How rules and the model combine").
    role: Literal["decides", "evidence"] = "decides"
    # The id of a pack period: the rule applies only to items published inside it.
    during: str | None = None
    message: str = Field(min_length=1)
    suggestion: str = Field(min_length=1)
    examples: Examples

    @field_validator("when")
    @classmethod
    def _known_when_paths(cls, value: dict[str, Any]) -> dict[str, Any]:
        for path in value:
            if path not in WHEN_PATHS:
                raise ValueError(f"when: unknown item attribute {path!r}; one of {', '.join(WHEN_PATHS)}")
        return value


class ExistenceRule(RuleBase, Matcher):
    check: Literal["existence"]


class GazetteerRule(RuleBase):
    check: Literal["gazetteer"]
    gazetteer: str
    types: list[str] = Field(default_factory=list)


class ConditionalRule(RuleBase):
    check: Literal["conditional"]
    first: Matcher
    second: Matcher
    scope: Literal["sentence", "text"] = "sentence"


class PatternRule(RuleBase):
    check: Literal["pattern"]
    entities: list[Literal[IDENTIFIER_ENTITIES]] = Field(min_length=1)  # type: ignore[valid-type]
    min_confidence: float = Field(0.5, ge=0, le=1)


class PersonalInformationRule(RuleBase):
    check: Literal["personal_information"]
    with_: list[Literal[PERSONAL_DETAILS]] = Field(  # type: ignore[valid-type]
        default_factory=lambda: list(PERSONAL_DETAILS), alias="with", min_length=1
    )
    # None: the detector's own list of health words; or the name of a lexicon of health words
    health_lexicon: str | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


#: Which lexicons say that a handle, name or web domain belongs to a party, a business, a news
#: outlet, a government body or a link shortener. A `link` or `interaction` rule may name its own.
ENTITY_CLASSES = ("party", "commercial", "news", "government", "shortener")
DEFAULT_CLASS_LEXICONS: dict[str, tuple[str, ...]] = {
    "party": ("nz_political_actors",),
    "commercial": ("nz_companies", "companies_global"),
    "news": ("nz_news_media",),
    "government": ("nz_government_bodies",),
    "shortener": ("link_shorteners",),
}
ClassLexicons = dict[Literal[ENTITY_CLASSES], list[str]]  # type: ignore[valid-type]


class LinkRule(RuleBase):
    check: Literal["link"]
    classes: list[Literal[LINK_CLASSES]] = Field(min_length=1)  # type: ignore[valid-type]
    lexicons: ClassLexicons | None = None


class InteractionRule(RuleBase):
    check: Literal["interaction"]
    targets: list[Literal[INTERACTION_TARGETS]] = Field(min_length=1)  # type: ignore[valid-type]
    actions: list[Literal[ACTIONS]] | None = None  # type: ignore[valid-type]
    lexicons: ClassLexicons | None = None


class ClassifierRule(RuleBase):
    check: Literal["classifier"]
    model: str  # type: ignore[assignment]  # here the model decides, so it is named directly
    threshold: float | None = Field(None, gt=0, lt=1)


class MeaningRule(RuleBase):
    """The meaning model judges the rule's category: `head: flag` (the category applies) or
    `head: block` (it applies at the blocking end); the threshold is the model's validated one
    unless given. With `second_look`, the rule also fires from the head's own cut for the
    item's kind, warning at most until its own threshold is reached: for advice the person weighs
    (the self-check), where a missed problem costs more than a second look. With `concern`, it also
    warns where the model's any-concern head for the item's kind (staff posts) flags the item and
    the rule's category is the one nearest its cut for that kind."""

    check: Literal["meaning"]
    head: Literal["flag", "block"] = "flag"
    threshold: float | None = Field(None, gt=0, lt=1)
    second_look: bool = False
    concern: bool = False

    @model_validator(mode="after")
    def _second_look_of_flag(self) -> MeaningRule:
        for name in ("second_look", "concern"):
            if getattr(self, name) and (self.threshold is not None or self.head != "flag"):
                raise ValueError(f"{name} reads the flag head's own cuts: use it with head: flag and no threshold")
        return self


Rule = Annotated[
    Union[
        ExistenceRule,
        GazetteerRule,
        ConditionalRule,
        PatternRule,
        PersonalInformationRule,
        LinkRule,
        InteractionRule,
        ClassifierRule,
        MeaningRule,
    ],
    Field(discriminator="check"),
]
CHECK_TYPES = (
    "existence",
    "gazetteer",
    "conditional",
    "pattern",
    "personal_information",
    "link",
    "interaction",
    "classifier",
    "meaning",
)


class RulesFile(Strict):
    rules: list[Rule] = Field(min_length=1)


# ---------------------------------------------------------------------------------------------
# lexicons/*.yaml


class LexiconEntry(Strict):
    name: str = Field(min_length=1)
    type: str = Field(pattern=SLUG)
    aliases: list[str] = Field(default_factory=list)
    case_sensitive: list[str] = Field(default_factory=list)
    needs_context: list[str] = Field(default_factory=list)
    context: list[str] = Field(default_factory=list)
    handles: list[str] = Field(default_factory=list)
    domains: list[str] = Field(default_factory=list)
    attributes: dict[str, Any] = Field(default_factory=dict)
    source: str = Field(min_length=1)
    as_of: dt.date

    @field_validator("handles")
    @classmethod
    def _handles_start_with_at(cls, value: list[str]) -> list[str]:
        for handle in value:
            if not re.fullmatch(r"@[\w.-]+", handle):
                raise ValueError(f"handle {handle!r} must look like @name")
        return value

    @field_validator("domains")
    @classmethod
    def _domains_are_hosts(cls, value: list[str]) -> list[str]:
        for domain in value:
            if not re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", domain):
                raise ValueError(f"domain {domain!r} must be a lower-case host name like example.co.nz")
        return value

    @model_validator(mode="after")
    def _context_given(self) -> LexiconEntry:
        if self.needs_context and not self.context:
            raise ValueError("needs_context lists words that only count near a context word; add context: [...]")
        return self

    def phrases(self) -> list[str]:
        """Every phrase that names this entry (its name and aliases)."""
        return [self.name, *self.aliases]


class Lexicon(Strict):
    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    version: str
    description: str | None = None
    exclude: list[str] = Field(default_factory=list)
    entries: list[LexiconEntry] = Field(min_length=1)

    @field_validator("version", mode="before")
    @classmethod
    def _version_is_text(cls, value: Any) -> Any:
        if isinstance(value, (dt.date, int, float)):
            raise ValueError(f'write the version in quotes, e.g. version: "{value}"')
        return value

    def types(self) -> set[str]:
        return {entry.type for entry in self.entries}


__all__ = [
    "ACTIONS",
    "CHECK_TYPES",
    "DEFAULT_CLASS_LEXICONS",
    "ENTITY_CLASSES",
    "FIELDS",
    "IDENTIFIER_ENTITIES",
    "INTERACTION_TARGETS",
    "LINK_CLASSES",
    "PERSONAL_DETAILS",
    "WHEN_PATHS",
    "Clause",
    "ClausesFile",
    "ClassifierRule",
    "ConditionalRule",
    "Examples",
    "ExistenceRule",
    "GazetteerRule",
    "InteractionRule",
    "Lexicon",
    "LexiconEntry",
    "LinkRule",
    "Matcher",
    "ModelRef",
    "PackMeta",
    "PatternRule",
    "PersonalInformationRule",
    "Rule",
    "RulesFile",
]
