"""Addresses people or platforms supply become links only when they are http(s): a javascript: or
data: address is shown as text, never made clickable."""

from __future__ import annotations

import pytest

from kaitiaki.web.templating import link_to, templates


@pytest.mark.parametrize("url", ["https://x.com/DPMC_NZ/status/1", "http://example.org/a?b=c",
                                 "/complaints/new"])
def test_http_addresses_and_site_paths_are_links(url: str):
    assert str(link_to(url)).startswith(f'<a href="{url.replace("&", "&amp;")}"')


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)",
                                 "data:text/html,<script>alert(1)</script>", "vbscript:x",
                                 "//evil.example/x", "https:/no-host", "/\\evil.example"])
def test_other_addresses_are_shown_as_text(url: str):
    rendered = str(link_to(url))
    assert "<a" not in rendered and "<script>" not in rendered


def test_link_text_is_escaped():
    rendered = str(link_to("https://x.com/a", "<b>@handle</b>"))
    assert "&lt;b&gt;@handle&lt;/b&gt;" in rendered


def test_a_comment_link_from_an_import_is_not_clickable():
    template = templates.env.from_string("{{ url | link_to(rel='noopener noreferrer nofollow') }}")
    assert template.render(url="javascript:fetch('/admin')") == "javascript:fetch(&#39;/admin&#39;)"
