"""Two people acting at once get one success and one clear "already done" message, never a half
state and never a 5xx: real HTTP requests, 16 in flight, against a live server, on SQLite and
(when configured) PostgreSQL."""

from __future__ import annotations

import itertools
import random
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kaitiaki.auth.tokens import create_token
from kaitiaki.checker import load_pack
from kaitiaki.complaints.schemas import ComplaintDraft
from kaitiaki.common.work import UnitOfWork
from kaitiaki.complaints.service import act, submit
from kaitiaki.config import Settings
from kaitiaki.db import session_scope
from kaitiaki.models import AuditEvent, Channel, ChannelApproval, ChannelRequest, Comment, Complaint, ModerationAction
from kaitiaki.moderation import formats
from kaitiaki.moderation.ingest import import_comments
from tests.conftest import TEST_SECRET_KEY
from tests.fixtures.register import make_channel, make_request
from tests.register.conftest import Cast, cast  # noqa: F401 (a fixture)
from tests.web.live import Answer, Call, live_server, send_all

_handles = itertools.count(1)
PEOPLE = ("comms", "owner", "nema_ce", "nema_cm")


@pytest.fixture(scope="module")
def server(cast: Cast, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:  # noqa: F811
    """The live server's address and an API token for each person who acts in these tests."""
    folder: Path = tmp_path_factory.mktemp("concurrent")
    settings = Settings(env="test", database_url=cast.url, var_dir=folder, secret_key=TEST_SECRET_KEY)
    tokens: dict[str, str] = {}
    with session_scope(cast.engine) as session:
        for name in PEOPLE:
            _row, tokens[name] = create_token(session, user=cast.user(session, name), name="concurrency test")
    with live_server(settings) as url:
        yield url, tokens


def _channel(session: Session, cast: Cast) -> Channel:  # noqa: F811
    return make_channel(session, requester=cast.user(session, "comms"),
                        approvers=(cast.user(session, "nema_ce"), cast.user(session, "nema_cm")),
                        owner=cast.user(session, "owner"), handle=f"Busy{next(_handles)}")


def _no_server_errors(answers: list[Answer]) -> None:
    errors = [(a.call.path, a.status, a.body) for a in answers if a.status >= 500]
    assert errors == []


def test_two_approvers_approving_ten_requests_at_once_approve_them_all(server, cast: Cast) -> None:  # noqa: F811
    url, tokens = server
    with session_scope(cast.engine) as session:
        requests = [make_request(session, requester=cast.user(session, "comms"),
                                 owner=cast.user(session, "owner"), handle=f"Busy{next(_handles)}")
                    for _ in range(10)]
        ids = [request.id for request in requests]
    calls = [Call(approver, "POST", f"/api/v1/channels/requests/{request_id}/approve", json={})
             for request_id in ids for approver in ("nema_ce", "nema_cm")]
    random.Random(7).shuffle(calls)

    answers = send_all(url, tokens, calls)

    _no_server_errors(answers)
    assert [a.status for a in answers] == [200] * len(calls), [a.body for a in answers if a.status != 200]
    with session_scope(cast.engine, write=False) as session:
        rows = session.scalars(select(ChannelRequest).where(ChannelRequest.id.in_(ids))).all()
        assert {row.state for row in rows} == {"approved"}
        assert {row.channel.status for row in rows} == {"active"}
        approvals = Counter(session.scalars(
            select(ChannelApproval.request_id).where(ChannelApproval.request_id.in_(ids))))
        assert approvals == {request_id: 2 for request_id in ids}


def test_concurrent_deletes_store_one_action_per_comment_and_tell_the_second_moderator(
        server, cast: Cast) -> None:  # noqa: F811
    url, tokens = server
    count = 12
    with session_scope(cast.engine) as session:
        channel = _channel(session, cast)
        records = [formats.record_from_mapping(
            {"id": f"busy-{channel.id}-{n}", "text": f"Is the evacuation centre open tonight? ({n})",
             "author": f"@reader{n}"}, n) for n in range(1, count + 1)]
        import_comments(session, channel=channel, pack=load_pack("dpmc"), records=records,
                        actor="test", source="test")
        session.flush()
        comment_ids = list(session.scalars(select(Comment.id).where(Comment.channel_id == channel.id)))
    assert len(comment_ids) == count
    body = {"action": "delete", "reason": "spam"}
    calls = [Call("owner", "POST", f"/api/v1/comments/{comment_id}/actions", json=body, tag=comment_id)
             for comment_id in comment_ids for _twice in range(2)]

    answers = send_all(url, tokens, calls)

    _no_server_errors(answers)
    assert Counter(a.status for a in answers) == {201: count, 409: count}
    for answer in answers:
        if answer.status == 409:
            assert answer.detail.startswith("This comment is deleted; it can no longer be deleted. "
                                            "Olivia Owner deleted it "), answer.detail
    with session_scope(cast.engine, write=False) as session:
        stored = session.scalar(select(func.count()).select_from(ModerationAction).where(
            ModerationAction.comment_id.in_(comment_ids), ModerationAction.action == "delete"))
        assert stored == count
        states = set(session.scalars(select(Comment.state).where(Comment.id.in_(comment_ids))))
        assert states == {"deleted"}


def test_two_officers_closing_one_complaint_give_one_close_and_one_clear_message(
        server, cast: Cast, cast_settings_for_module: Settings) -> None:  # noqa: F811
    url, tokens = server
    with session_scope(cast.engine) as session:
        channel = _channel(session, cast)
        work = UnitOfWork(session, cast_settings_for_module)
        references = []
        for n in range(8):
            complaint = submit(work, source="email", recorded_by=cast.user(session, "comms"),
                               draft=ComplaintDraft(category="accuracy", channel_id=str(channel.id),
                                                    description=f"The figures in post {n} are wrong."))
            act(work, complaint=complaint, user=cast.user(session, "owner"), action="triage")
            references.append(complaint.reference)
    calls = [Call(officer, "POST", f"/api/v1/complaints/{reference}/actions",
                  json={"action": "close", "note": f"Closed by {officer}."}, tag=reference)
             for reference in references for officer in ("owner", "comms")]

    answers = send_all(url, tokens, calls)

    _no_server_errors(answers)
    by_reference: dict[str, list[Answer]] = {}
    for answer in answers:
        by_reference.setdefault(str(answer.call.tag), []).append(answer)
    with session_scope(cast.engine, write=False) as session:
        for reference, pair in by_reference.items():
            assert sorted(a.status for a in pair) == [200, 409], [a.body for a in pair]
            winner = next(a for a in pair if a.status == 200)
            loser = next(a for a in pair if a.status == 409)
            assert loser.detail.startswith("This complaint is closed; it cannot be closed. ")
            assert " closed it " in loser.detail
            complaint = session.scalars(select(Complaint).where(Complaint.reference == reference)).one()
            assert complaint.state == "closed"
            assert complaint.resolution == winner.call.json["note"]
            closes = session.scalar(select(func.count()).select_from(AuditEvent).where(
                AuditEvent.subject == f"complaint:{complaint.id}", AuditEvent.action == "complaint.closed"))
            assert closes == 1


@pytest.fixture(scope="module")
def cast_settings_for_module(cast: Cast, tmp_path_factory: pytest.TempPathFactory) -> Settings:  # noqa: F811
    return Settings(env="test", database_url=cast.url, var_dir=tmp_path_factory.mktemp("settings"),
                    secret_key=TEST_SECRET_KEY)
