"""`POST /api/v1/check`: check one item or a list of up to 1,000.

A request is validated as a whole: if any item is malformed (missing or unknown kind, a text over
100,000 characters, a wrong type) the request is refused with 422 and each field error names the
item's index; nothing is checked. An item that is well formed but cannot be checked (an empty post:
"nothing to check"; a kind no pack checks) is refused with 422 when sent alone, and in a list gets
an error entry `{"index", "id", "error"}` in its place while the other items are checked.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Union

import anyio
from fastapi import APIRouter, Body, Request
from fastapi.responses import Response
from pydantic import BaseModel, TypeAdapter

from kaitiaki.checker.items import Item, Result
from kaitiaki.check_service.routing import PackSet
from kaitiaki.errors import BadInput

MAX_ITEMS_PER_REQUEST = 1_000
JSON = "application/json"

router = APIRouter(prefix="/api/v1", tags=["checker"])


class CheckError(BaseModel):
    """An item of a list that could not be checked, in its place in the answer."""

    index: int
    id: str | None = None
    error: str


def load_packs(name: str) -> PackSet:
    """The packs an application serves, all loaded (the application does this at start-up)."""
    packs = PackSet.open(name)
    packs.load_all()
    return packs


def pack_set(request: Request) -> PackSet:
    """The packs of this application, kept on app.state (loaded here if start-up did not)."""
    packs = getattr(request.app.state, "packs", None)
    if packs is None:
        packs = request.app.state.packs = load_packs(request.app.state.settings.policy_pack)
    return packs


@router.post(
    "/check",
    response_model=Union[Result, list[Union[Result, CheckError]]],
    summary="Check items against the policy pack",
    responses={422: {"description": "A malformed item, more than 1,000 items, or nothing to check."},
               429: {"description": "Without an API token: too many checks from this address in "
                                    "a short time (KAITIAKI_RATE_LIMIT_CHECK_API); wait for "
                                    "Retry-After seconds."}},
)
async def check_items(
    request: Request,
    items: Annotated[Union[Item, list[Item]], Body(description="One item, or a list of up to 1,000 items.")],
) -> Response:
    """Check one item (answered with one result) or a list (answered with a list in the same order)."""
    if isinstance(items, list) and len(items) > MAX_ITEMS_PER_REQUEST:
        raise BadInput(f"{len(items):,} items sent; at most {MAX_ITEMS_PER_REQUEST:,} items per request, "
                       "so send the rest in further requests")
    # On a thread, not the event loop: measured with wrk against `kaitiaki serve`, checking on the
    # loop served fewer requests, since the loop could no longer write other answers to their
    # sockets while a check ran.
    body = await anyio.to_thread.run_sync(partial(_answer, request, items))
    return Response(body, media_type=JSON)


def _answer(request: Request, items: Item | list[Item]) -> bytes:
    packs = pack_set(request)
    # Encoded here from the results the checker built: handing them back to FastAPI would
    # validate every result again against the response model (which stays for the docs).
    if isinstance(items, Item):
        return packs.check(items).model_dump_json().encode()
    return _ANSWERS.dump_json(_check_each(packs, items))


_ANSWERS = TypeAdapter(list[Union[Result, CheckError]])


def _check_each(packs: PackSet, items: list[Item]) -> list[Result | CheckError]:
    answers: list[Result | CheckError] = []
    for index, item in enumerate(items):
        try:
            answers.append(packs.check(item))
        except BadInput as exc:
            answers.append(CheckError(index=index, id=item.id, error=exc.detail))
    return answers
