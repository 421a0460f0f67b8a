"""The statement as Markdown, as an HTML document for the agency's website, and as JSON. The
public page renders the same HTML part (transparency/_statement.html) inside the site layout."""

from __future__ import annotations

from typing import Literal

from kaitiaki.transparency.statement import Statement
from kaitiaki.web.templating import templates

Format = Literal["md", "html", "json"]
FORMATS: tuple[str, ...] = ("md", "html", "json")


def _heading(statement: Statement, key: str, level: int) -> str:
    heading = statement.heading(key)
    return f"{'#' * level} {heading.mi} | {heading.en}"


def _md_escape(text: str) -> str:
    """Text from the register is data, not Markdown: keep its characters literal."""
    for char in "\\`*_[]<>#|":
        text = text.replace(char, "\\" + char)
    return text


def to_markdown(s: Statement) -> str:
    f = s.figures
    lines = [_heading(s, "title", 1), "", f"**{_md_escape(s.agency)}**", "",
             _heading(s, "introduction", 2), "",
             "This statement sets out how we use social media and for what purpose, how we "
             "moderate comments and what we remove, and how to raise a concern or complaint.", ""]
    if s.policy_quote:
        lines += [f"> {_md_escape(s.policy_quote)}", ""]
    lines += [_heading(s, "use", 2), ""]
    if s.units:
        for unit in s.units:
            lines.append(f"- **{_md_escape(unit.unit)}**: " + " ".join(_md_escape(p) for p in unit.purposes))
    else:
        lines.append("We have no social media channels in use.")
    lines += ["", _heading(s, "channels", 2), ""]
    if s.channels:
        lines += ["| Channel | Platform | Name | Purpose |", "|---|---|---|---|"]
        lines += [f"| [@{_md_escape(c.handle)}](<{c.url}>) | {c.platform} | {_md_escape(c.name)} | "
                  f"{_md_escape(c.purposes)} |" for c in s.channels]
    else:
        lines.append("We have no social media channels in use.")
    lines += ["", _heading(s, "monitoring", 2), ""]
    lines += [f"- @{_md_escape(c.handle)} on {c.platform}: {_md_escape(c.monitoring_hours)}"
              for c in s.channels] or ["We have no channels to monitor."]
    lines += ["", "Outside these hours comments may wait for a moderator.", "",
              _heading(s, "moderation", 2), "",
              "We welcome comments, including criticism. We hide or delete comments that are:", ""]
    lines += [f"- **{_md_escape(r.label)}.** {_md_escape(r.public)}" for r in s.removed_for]
    lines += ["", "What we leave up:", ""]
    lines += [f"- **{_md_escape(r.label)}.** {_md_escape(r.public)}" for r in s.left_up]
    lines += ["", _heading(s, "endorsement", 2), "", s.endorsement, ""]
    if s.periods:
        lines += [_heading(s, "periods", 2), ""]
        lines += [f"- **{_md_escape(p.name)}**, {p.starts:%-d %B %Y} to {p.ends:%-d %B %Y}. "
                  f"{_md_escape(p.note)}" for p in s.periods]
        lines.append("")
    lines += [_heading(s, "records", 2), "", records_text(s), "",
              _heading(s, "concerns", 2), "", concerns_text(s), "",
              _heading(s, "figures", 2), "",
              f"From {f.first:%-d %B %Y} to {f.last:%-d %B %Y}:", "",
              f"- Comments hidden: {f.comments_hidden}",
              f"- Comments deleted: {f.comments_deleted}",
              f"- Complaints received: {f.complaints_received}",
              f"- Complaints resolved: {f.complaints_resolved}", ""]
    if f.by_reason:
        lines += ["| Reason | Hidden | Deleted |", "|---|---|---|"]
        lines += [f"| {_md_escape(r.label)} | {r.hidden} | {r.deleted} |" for r in f.by_reason]
        lines.append("")
    lines += [_heading(s, "about", 2), "", about_text(s), ""]
    return "\n".join(lines)


def records_text(s: Statement) -> str:
    kept = (f" for {s.retention_years} years" if s.retention_years else "")
    return ("Our social media posts and comments are public records. We keep a record of every "
            f"comment we moderate{kept}, including comments we hide or delete, with the reason "
            "and who acted, as the Public Records Act 2005 requires. You can ask for this "
            "information under the Official Information Act 1982.")


def concerns_text(s: Statement) -> str:
    email = f" or email {s.contact.email}" if s.contact.email else ""
    return (f"To raise a concern or make a complaint about how we use social media, use our "
            f"complaint form at {s.contact.complaint_form}{email}. The business owner of the "
            "channel deals with it straight away; a serious concern, such as one about political "
            "neutrality or privacy, goes to a senior leader as soon as possible.")


def about_text(s: Statement) -> str:
    return (f"Generated on {s.generated_at:%-d %B %Y at %H:%M %Z} from the live records and "
            f"version {s.pack_version} of our social media policy (policy pack {s.pack}).")


def to_html_document(s: Statement) -> str:
    return templates.env.get_template("transparency/document.html").render(
        statement=s, records_text=records_text(s), concerns_text=concerns_text(s),
        about_text=about_text(s))


def to_json(s: Statement) -> str:
    return s.model_dump_json(indent=2) + "\n"


def render(s: Statement, fmt: str) -> str:
    if fmt == "md":
        return to_markdown(s)
    if fmt == "html":
        return to_html_document(s)
    if fmt == "json":
        return to_json(s)
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")


__all__ = ["FORMATS", "about_text", "concerns_text", "records_text", "render", "to_html_document",
           "to_json", "to_markdown"]
