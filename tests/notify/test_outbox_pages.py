"""The Outbox page shows administrators the emails given up with the reason and sends one again;
the bell in the header counts a person's unread notices."""

from __future__ import annotations

from sqlalchemy import select

from kaitiaki.db import session_scope
from kaitiaki.models import OutboxMessage
from kaitiaki.notify import outbox
from kaitiaki.notify.email import Email
from kaitiaki.timeutil import utcnow
from tests.register.conftest import Cast, cast, cast_settings, db, signed_in  # noqa: F401 (fixtures)
from tests.web.helpers import post_form


def test_an_administrator_sees_a_dead_email_with_its_reason_and_sends_it_again(cast: Cast, cast_settings,
                                                                               signed_in):
    on = cast_settings.model_copy(update={"smtp_host": "127.0.0.1"})
    with session_scope(cast.engine) as session:
        outbox.add_email(session, on, Email(to=("gone@example.govt.nz",), subject="Channel approved",
                                            body="b"), key="test:page")
        row = session.scalars(select(OutboxMessage).where(OutboxMessage.key == "test:page")).one()
        row.state, row.attempts, row.last_error = "dead", 8, "550 mailbox unavailable"
    admin = signed_in("admin")
    page = admin.get("/admin/outbox")
    assert page.status_code == 200
    assert "Channel approved" in page.text and "550 mailbox unavailable" in page.text
    assert signed_in("staff").get("/admin/outbox").status_code == 403

    retried = post_form(admin, f"/admin/outbox/{row.id}/retry", {}, token_from="/admin/outbox")
    assert retried.status_code == 303
    with session_scope(cast.engine) as session:
        again = session.get(OutboxMessage, row.id)
        assert (again.state, again.attempts) == ("pending", 0) and again.next_attempt_at <= utcnow()
        session.delete(again)


def test_the_bell_counts_unread_notices(cast: Cast, signed_in):
    with session_scope(cast.engine) as session:
        outbox.add_notice(session, [cast.user(session, "poster")], "You may now post on @Bell", link="/")
    bell = signed_in("poster").get("/notifications/bell")
    assert bell.status_code == 200 and 'bell__count--unread">1</span>' in bell.text

