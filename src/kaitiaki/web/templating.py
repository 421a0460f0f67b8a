"""Jinja2 templates and the one `render` helper every page uses.

`render` adds what the base layout needs: the signed-in person, their navigation and the CSRF token
(through `csrf_token()` / `csrf_field()` in templates). Autoescaping is on for every template, so
untrusted text is always escaped.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from markupsafe import Markup, escape
from starlette.responses import HTMLResponse

from kaitiaki.audit.sentences import event_sentence
from kaitiaki.common.roles import ROLES
from kaitiaki.timeutil import last_covered_day, to_local
from kaitiaki.web.csrf import FORM_FIELD, csrf_token
from kaitiaki.web.navigation import items_for
from kaitiaki.web.plain import pack_label

WEB_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"
HTMX_PATH = "/static/vendor/htmx-2.0.11.min.js"
DEFAULT_TIMEZONE = "Pacific/Auckland"

templates = Jinja2Templates(directory=str(TEMPLATES_DIR))


@pass_context
def _csrf_token(context: Mapping[str, Any]) -> str:
    return csrf_token(context["request"])


@pass_context
def _csrf_field(context: Mapping[str, Any]) -> Markup:
    token = csrf_token(context["request"])
    return Markup('<input type="hidden" name="{}" value="{}">').format(FORM_FIELD, escape(token))


def _zone(context: Mapping[str, Any]) -> str:
    settings = getattr(context["request"].app.state, "settings", None)
    return settings.timezone if settings is not None else DEFAULT_TIMEZONE


@pass_context
def _local_time(context: Mapping[str, Any], value: datetime | None) -> str:
    """A stored UTC time shown in the configured zone, e.g. "21 Nov 2026, 09:34 NZDT"."""
    if value is None:
        return ""
    return to_local(value, _zone(context)).strftime("%-d %b %Y, %H:%M %Z")


@pass_context
def _until_day(context: Mapping[str, Any], value: datetime | None) -> str:
    """The end of a dated period as the day people chose, e.g. "until 30 Jun 2026"."""
    if value is None:
        return ""
    return last_covered_day(value, _zone(context)).strftime("%-d %b %Y")


def role_label(role: str, unit_code: str | None = None) -> str:
    """ "elt_member", "DPMC-SGE" -> "Executive Leadership Team member (DPMC-SGE)"."""
    definition = ROLES.get(role)
    title = definition.title if definition is not None else role
    return f"{title} ({unit_code})" if unit_code else title


LINK_SCHEMES = frozenset({"http", "https"})


def is_safe_link(url: str | None) -> bool:
    """An http(s) address, or a path on this site. Anything else (javascript:, data:, a
    protocol-relative //host) is not made a link: a click on it could run script."""
    if not url:
        return False
    url = url.strip()
    if url.startswith("/"):
        return not url.startswith("//") and "\\" not in url
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in LINK_SCHEMES and bool(parts.netloc)


def link_to(url: str | None, text: str | None = None, rel: str = "noopener noreferrer") -> Markup:
    """`{{ channel.url | link_to }}`: a link for an http(s) address, plain text otherwise."""
    label = url if text is None else text
    if not is_safe_link(url):
        return escape(label or "")
    return Markup('<a href="{}" rel="{}">{}</a>').format(url.strip(), rel, label)


def role_spec_label(spec: str) -> str:
    """ "elt_member@DPMC-SGE" -> "Executive Leadership Team member (DPMC-SGE)"."""
    role, _, unit = (spec or "").partition("@")
    return role_label(role, unit or None)


templates.env.globals.update(csrf_token=_csrf_token, csrf_field=_csrf_field, htmx_path=HTMX_PATH)
templates.env.filters.update(link_to=link_to, local_time=_local_time, until_day=_until_day, role_label=role_label,
                             pack_label=pack_label, sentence=event_sentence,
                             role_spec_label=role_spec_label)


FLASH_KEY = "flash"


def flash(request: Request, message: str) -> None:
    """A one-line notice shown on the next page this person sees (after a redirect)."""
    request.session[FLASH_KEY] = message


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status_code: int = 200,
) -> HTMLResponse:
    user = getattr(request.state, "user", None)
    roles = getattr(request.state, "roles", frozenset())
    navigation = getattr(request.app.state, "navigation", ())
    full_context: dict[str, Any] = {
        "user": user,
        "roles": roles,
        "nav_items": items_for(navigation, roles) if user is not None else [],
        "current_path": request.url.path,
        "notice": request.session.pop(FLASH_KEY, None) if "session" in request.scope else None,
        **(context or {}),
    }
    return templates.TemplateResponse(request, template, full_context, status_code=status_code)


__all__ = ["STATIC_DIR", "TEMPLATES_DIR", "flash", "is_safe_link", "link_to", "render", "role_label", "templates"]
