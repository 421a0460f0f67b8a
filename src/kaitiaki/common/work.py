"""The unit of work: what one request, command or job hands to the services it calls.

It is made once, by whoever owns the transaction (the web layer's `Work` dependency, the CLI's
`command_work`, a periodic job), and holds:

- `session`: the database session; the owner commits it, a service never does;
- `settings`: the configuration, read once at start-up, so no service reads the environment;
- `packs`: the policy packs (the configured pack first), loaded when first asked for;
- `outbox`: messages queued in the same transaction as the change that causes them;
- `clock`: the time now, fixed in tests;
- `user`: the signed-in person, for a request (loaded in the same trip as the session).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from functools import cached_property
from typing import Protocol

from sqlalchemy.orm import Session

from kaitiaki.checker import CompiledPack, load_pack
from kaitiaki.config import Settings
from kaitiaki.models import User
from kaitiaki.notify import outbox as outbox_store
from kaitiaki.notify.email import Email, is_configured
from kaitiaki.timeutil import Clock, utcnow


class Packs(Protocol):
    """The policy packs a unit of work checks with (kaitiaki.check_service.routing.PackSet)."""

    @property
    def primary(self) -> CompiledPack: ...

    def pack_for(self, kind: str) -> CompiledPack | None: ...


class Outbox:
    """Emails written to the outbox as they are queued, in the unit of work's transaction: a
    rollback takes them back with the change, a commit keeps both (a job delivers them).
    Services append to it as to a list."""

    def __init__(self, session: Session, settings: Settings, clock: Clock) -> None:
        self._session = session
        self._settings = settings
        self._clock = clock
        self.queued: list[Email] = []  # written in this unit of work, until a rollback

    @property
    def written(self) -> int:
        return len(self.queued)

    def append(self, email: Email, *, key: str | None = None) -> bool:
        written = outbox_store.add_email(self._session, self._settings, email, key=key,
                                         now=self._clock())
        if written:
            self.queued.append(email)
        return written

    def extend(self, emails: Iterable[Email]) -> int:
        return sum(1 for email in emails if self.append(email))

    def notice(self, recipients: Iterable[User], text: str, *, link: str = "",
               key: str | None = None) -> None:
        """An in-app notice to each active recipient (once per key and recipient)."""
        outbox_store.add_notice(self._session, recipients, text, link=link, key=key,
                                now=self._clock())

    @property
    def email_on(self) -> bool:
        return is_configured(self._settings)


class UnitOfWork:
    def __init__(self, session: Session, settings: Settings, *,
                 packs: Callable[[], Packs] | None = None, clock: Clock = utcnow,
                 user: User | None = None) -> None:
        self.session = session
        self.settings = settings
        self.clock = clock
        self.user = user
        self.outbox = Outbox(session, settings, clock)
        self._load_packs = packs

    @cached_property
    def packs(self) -> Packs:
        if self._load_packs is None:
            return _OnePack(load_pack(self.settings.policy_pack))
        return self._load_packs()

    @property
    def pack(self) -> CompiledPack:
        """The configured policy pack."""
        return self.packs.primary

    def now(self) -> datetime:
        return self.clock()

    def rollback(self) -> None:
        """Undo everything done so far, the queued messages with it, and carry on (to re-render
        a form with what was typed, say)."""
        self.session.rollback()
        self.outbox.queued.clear()


class _OnePack:
    """The configured pack alone, where no pack set was handed over."""

    def __init__(self, pack: CompiledPack) -> None:
        self.primary = pack

    def pack_for(self, kind: str) -> CompiledPack | None:
        return self.primary if kind in self.primary.by_kind else None


__all__ = ["Clock", "Outbox", "Packs", "UnitOfWork"]
