"""Facebook pages and Instagram professional accounts through Meta's Graph API, over httpx.

| action            | Facebook page                        | Instagram                                    |
|-------------------|--------------------------------------|----------------------------------------------|
| publish text      | POST /{page-id}/feed                 | not allowed: every post needs an image        |
| publish images    | POST /{page-id}/photos (unpublished, | not here: the API takes images only from a   |
|                   | alt_text_custom), then attached_media| public web address                           |
| reply to comment  | POST /{comment-id}/comments          | POST /{comment-id}/replies                   |
| read replies      | GET /{post-id}/comments (stream)     | GET /{media-id}/comments                     |
| hide a reply      | POST /{comment-id} is_hidden=true    | POST /{comment-id} hide=true                 |
| delete a reply    | DELETE /{comment-id}                 | DELETE /{comment-id}                         |
| delete own post   | DELETE /{post-id}                    | not allowed by the API: delete it in the app |

Tested against recorded responses in the Graph API's documented shapes (no Graph API server runs
in the test suite): tests/publishing/test_contract_connectors.py."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import httpx

from kaitiaki.publishing.connectors import PublicationItem, PublishedRef, PublishFailed, ReplyFound

TIMEOUT_SECONDS = 30


class GraphConnector:
    def __init__(self, platform: str, graph_url: str, account_id: str, token: str,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.name = platform
        self.platform = platform
        self.account_id = account_id
        self._http = httpx.Client(base_url=graph_url.rstrip("/") + "/", timeout=TIMEOUT_SECONDS,
                                  transport=transport, params={"access_token": token})

    @property
    def _label(self) -> str:
        return "Facebook" if self.platform == "facebook" else "Instagram"

    def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            answer = self._http.request(method, path, **kwargs)
        except httpx.HTTPError as error:
            raise PublishFailed(f"{self._label} could not be reached ({error}).") from error
        body = answer.json() if answer.content else {}
        if answer.is_error or "error" in body:
            message = body.get("error", {}).get("message") or answer.reason_phrase
            raise PublishFailed(f"{self._label} answered: {message}")
        return body

    def verify(self) -> None:
        """Read the page or account with the token: PublishFailed when it is refused."""
        self._call("GET", self.account_id, params={"fields": "id,name"})

    def publish(self, item: PublicationItem) -> PublishedRef:
        if self.platform == "instagram":
            if item.reply_to_platform_id and not item.images:
                made = self._call("POST", f"{item.reply_to_platform_id}/replies",
                                  data={"message": item.text})
                return PublishedRef(platform_id=made["id"], url="")
            raise PublishFailed("Instagram's API takes a post's image only from a public web "
                                "address, and a reply with none: post it in the Instagram app and "
                                "record its address.")
        if item.reply_to_platform_id:
            if item.images:
                raise PublishFailed("Facebook's API does not attach images to a comment: post "
                                    "the reply by hand and record its address.")
            made = self._call("POST", f"{item.reply_to_platform_id}/comments",
                              data={"message": item.text})
        else:
            made = self._call("POST", f"{self.account_id}/feed",
                              data={"message": item.text, **self._attached(item)})
        link = self._call("GET", made["id"], params={"fields": "permalink_url"})
        return PublishedRef(platform_id=made["id"], url=link.get("permalink_url", ""))

    def _attached(self, item: PublicationItem) -> dict[str, str]:
        """Each image uploaded unpublished to the page with its alt text, to go out with the
        post as its attached media (the Page photos and Page feed references)."""
        attached = {}
        for number, image in enumerate(item.images):
            photo = self._call("POST", f"{self.account_id}/photos",
                               data={"published": "false", "alt_text_custom": image.alt},
                               files={"source": (f"image{number + 1}", image.data,
                                                 image.media_type)})
            attached[f"attached_media[{number}]"] = json.dumps({"media_fbid": photo["id"]})
        return attached

    def replies(self, post_ids: Sequence[str]) -> list[ReplyFound]:
        found = []
        for post_id in post_ids:
            if self.platform == "facebook":
                page = self._call("GET", f"{post_id}/comments", params={
                    "filter": "stream", "fields": "id,message,from,created_time,permalink_url,parent"})
            else:
                page = self._call("GET", f"{post_id}/comments",
                                  params={"fields": "id,text,username,timestamp"})
            for comment in page.get("data", []):
                author = comment.get("from") or {}
                if author.get("id") == self.account_id:
                    continue
                when = comment.get("created_time") or comment.get("timestamp")
                found.append(ReplyFound(
                    external_id=comment["id"], text=comment.get("message") or comment.get("text", ""),
                    author_handle=author.get("id") or comment.get("username", ""),
                    author_name=author.get("name", ""),
                    posted_at=datetime.strptime(when, "%Y-%m-%dT%H:%M:%S%z") if when else None,
                    url=comment.get("permalink_url"),
                    parent_id=(comment.get("parent") or {}).get("id", post_id), root_id=post_id))
        return found

    def hide_reply(self, reply_id: str) -> None:
        field = "is_hidden" if self.platform == "facebook" else "hide"
        self._call("POST", reply_id, data={field: "true"})

    def delete_reply(self, reply_id: str) -> None:
        self._call("DELETE", reply_id)

    def delete_post(self, post_id: str) -> None:
        if self.platform == "instagram":
            raise PublishFailed("Instagram's API does not delete posts: delete it in the "
                                "Instagram app.")
        self._call("DELETE", post_id)


__all__ = ["GraphConnector"]
