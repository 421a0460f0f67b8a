"""Audit events as sentences a person reads: "Aroha Ngata approved the request".

The one place that turns an event's action into words; every page that shows history uses it
(through the `sentence` template filter), so a new action needs one line here, not one per page.
An action with no sentence yet is still readable: its words with the dots and underscores gone.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from kaitiaki.models import AuditEvent, User
from kaitiaki.common.roles import ROLES

# What the actor did, after their name. Details fill in the {placeholders} when present.
VERBS: dict[str, str] = {
    "api_token.created": "created an API token",
    "api_token.revoked": "revoked an API token",
    "channel.checklist_checked": "ticked off the channel's checklist",
    "channel.connected": "connected the channel to its platform account",
    "channel.connection_revoked": "disconnected the channel from its platform account",
    "channel.extended_use_requested": "asked to extend the channel's use",
    "channel.last_post_recorded": "recorded the channel's latest post",
    "channel.owner_changed": "changed the channel's business owner",
    "channel.poster_authorised": "authorised {person} to post on the channel",
    "channel.poster_revoked": "took away {person}'s right to post on the channel",
    "channel.request_approved": "approved the request",
    "channel.request_declined": "declined the request",
    "channel.request_withdrawn": "withdrew the request",
    "channel.requested": "asked for the channel",
    "channel.review_setting_changed": "changed whether the channel's posts are reviewed",
    "channel.status_changed": "changed the channel's status",
    "channel.updated": "updated the channel's details",
    "comments.imported": "imported comments",
    "complaint.acknowledged": "acknowledged the complaint",
    "complaint.category_raised": "raised the complaint's category",
    "complaint.channel_assigned": "assigned the complaint to a channel",
    "complaint.checked": "checked the complaint against the policy",
    "complaint.escalated": "escalated the complaint",
    "complaint.received": "lodged the complaint",
    "complaint.replied": "replied to the complainant",
    "complaint.status_changed": "changed the complaint's status",
    "complaint.closed": "closed the complaint",
    "device_app.recorded": "recorded an app on a work device",
    "device_app.removed": "removed an app from a work device",
    "draft.checked": "checked the draft against the policy",
    "draft.created": "started the draft",
    "draft.exception_approved": "approved an exception to the policy",
    "draft.exception_declined": "declined an exception to the policy",
    "draft.exception_requested": "asked for an exception to the policy",
    "draft.manual_due": "noted the post was due to be posted by hand",
    "draft.publication_corrected": "corrected where the post was published",
    "draft.published": "recorded that the post was published",
    "draft.send_failed": "tried to send the post, and it failed",
    "draft.send_released": "said the post did not go out, so it can be sent again",
    "draft.send_started": "started sending the post to the platform",
    "draft.send_unconfirmed": "held the post back: an earlier send's answer was never recorded",
    "draft.send_stopped": "stopped the post before it went out",
    "draft.rescheduled": "changed when the post goes out",
    "draft.review_approved": "approved the draft in review",
    "draft.review_returned": "returned the draft for changes",
    "draft.revised": "revised the draft",
    "draft.scheduled": "scheduled the post",
    "draft.sent_for_review": "sent the draft for review",
    "draft.submitted": "submitted the draft",
    "draft.unscheduled": "took away the post's time",
    "draft.warnings_acknowledged": "acknowledged the checker's warnings",
    "draft.withdrawn": "withdrew the draft",
    "moderation.delegate_added": "added a moderation delegate",
    "moderation.delegate_removed": "removed a moderation delegate",
    "oia_request.exported": "exported the information for the OIA request",
    "oia_request.extended": "extended the OIA request's time limit",
    "oia_request.logged": "logged the OIA request",
    "org_unit.created": "created an organisational unit",
    "retention.disposed": "disposed of records past their retention period",
    "selfcheck.deleted": "deleted a kept self-check",
    "selfcheck.kept": "kept a self-check",
    "user.created": "created the account",
    "user.deactivated": "deactivated the account",
    "user.password_changed": "changed the password",
    "user.roles_changed": "changed the account's roles",
    "user.signed_out_everywhere": "signed the person out everywhere",
}

SYSTEM_ACTORS = {"system": "Kaitiaki", "kaitiaki": "Kaitiaki", "public": "A member of the public",
                 "anonymous": "A member of the public"}
_NAMES_KEY = "kaitiaki.audit.sentences.names"


def verb_for(action: str) -> str:
    known = VERBS.get(action)
    if known is not None:
        return known
    # Unknown action: "thing.did_this" -> "did this (thing)". Readable, and still findable.
    noun, _, verb = action.partition(".")
    words = (verb or noun).replace("_", " ")
    return f"{words} ({noun.replace('_', ' ')})" if verb else words


def role_title(role: str) -> str:
    definition = ROLES.get(role)
    return definition.title if definition is not None else role.replace("_", " ")


def _change(details: Mapping[str, Any]) -> str:
    before, after = details.get("from"), details.get("to")
    if isinstance(before, str) and isinstance(after, str) and before and after:
        return f" from {before.replace('_', ' ')} to {after.replace('_', ' ')}"
    return ""


def sentence(event: AuditEvent, names: Mapping[str, str] | None = None) -> str:
    """One event as a sentence. `names` maps an actor (an email) to the person's name."""
    actor = event.actor
    who = (names or {}).get(actor) or SYSTEM_ACTORS.get(actor.lower()) or actor
    details = event.details if isinstance(event.details, Mapping) else {}
    verb = verb_for(event.action)
    if "{person}" in verb:
        person = details.get("person")
        named = (names or {}).get(person) or person if isinstance(person, str) and person else ""
        verb = verb.replace("{person}", named or "a person")
    text = f"{who} {verb}{_change(details)}"
    role = details.get("to_role")
    if isinstance(role, str) and role:
        text += f", to the {role_title(role)}"
    finding = details.get("finding")
    said = details.get("note") or details.get("reason")
    if isinstance(finding, Mapping) and isinstance(finding.get("message"), str):
        said = said or finding["message"]
    if isinstance(said, str) and said.strip():
        return f"{text}: “{said.strip()}”"
    return text + "."


def names_for(session: Session, actors: set[str]) -> dict[str, str]:
    """People's names by email, remembered for the rest of the session's request."""
    cache: dict[str, str] = session.info.setdefault(_NAMES_KEY, {})
    missing = {actor for actor in actors if actor not in cache and "@" in actor}
    if missing:
        rows = session.execute(select(User.email, User.name).where(User.email.in_(missing)))
        cache.update({email: name for email, name in rows})
        cache.update({actor: "" for actor in missing if actor not in cache})
    return {actor: cache[actor] for actor in actors if cache.get(actor)}


def event_sentence(event: AuditEvent) -> str:
    """The template filter: names the actor from the event's own session when it has one."""
    session = object_session(event)
    people = {event.actor}
    if isinstance(event.details, Mapping) and isinstance(event.details.get("person"), str):
        people.add(event.details["person"])
    names = names_for(session, people) if session is not None else {}
    return sentence(event, names)


__all__ = ["VERBS", "event_sentence", "names_for", "sentence", "verb_for"]
