"""The ceiling for bench_api.py: a bare FastAPI endpoint at the check API's path that returns a
fixed JSON body of the size of a typical answer, with no middleware, no validation and no work.
Served the same way as `kaitiaki serve --workers N` (gunicorn forking uvicorn's worker class), it is what this machine, this server
and this load generator manage at all."""

from __future__ import annotations

from fastapi import FastAPI, Response

BODY = (b'{"id":null,"decision":"warn","pack":"dpmc@1.2+00000000","findings":[{"rule":"dpmc.meaning.'
        b'personal-view","category":"personal_view_as_agency","severity":"warn","clause":"dpmc-1.2/'
        b'must-not/personal-view-as-dpmc-view","quote":"purport to express a DPMC view when giving a '
        b'personal view","message":"This reads as a personal opinion in the agency\'s voice.",'
        b'"suggestion":"Speak for the agency, with facts.","evidence":[{"field":"text","start":0,'
        b'"end":13,"text":"Civil Defence"}],"confidence":0.5,"detector":"model:meaning"}]}')

app = FastAPI()


@app.post("/api/v1/check")
async def check() -> Response:
    return Response(BODY, media_type="application/json")
