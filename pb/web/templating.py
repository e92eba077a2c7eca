"""Jinja set-up and the one way handlers render a page.

`page()` gives every template the request's language, translation callables, the signed-in user,
the council's name and the link to the same page in the other language.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2
from jinja2.ext import _make_new_gettext, _make_new_ngettext  # Jinja's own newstyle wrappers
from litestar import Request
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Template
from litestar.template.config import TemplateConfig
from markupsafe import Markup

from pb import i18n, images, registry
from pb.i18n import N_, t
from pb.web import site
from pb.web.auth import current_user

TEMPLATE_DIR = Path(__file__).parent.parent / "templates"
STATIC_DIR = Path(__file__).parent.parent / "static"


def htmx_version() -> str:
    """The version of the htmx file the asset build copied from npm (its name carries it)."""
    built = sorted(STATIC_DIR.glob("vendor/htmx-*.min.js"))
    return built[-1].name.removeprefix("htmx-").removesuffix(".min.js") if built else "missing"


class CheckedUndefined(jinja2.ChainableUndefined):
    """GOV.UK Notify's undefined: false in `if` and chainable (govuk-frontend-jinja's macros test
    optional parameters that way), but printing, iterating or measuring it is an error, so a
    misspelt name fails a page test instead of quietly rendering nothing."""

    __str__ = jinja2.StrictUndefined.__str__
    __iter__ = jinja2.StrictUndefined.__iter__
    __len__ = jinja2.StrictUndefined.__len__
    __html__ = jinja2.StrictUndefined.__str__


def build_environment(strict: bool = False, capabilities: tuple = ()) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [
                jinja2.FileSystemLoader(TEMPLATE_DIR),
                jinja2.PrefixLoader({"govuk_frontend_jinja": jinja2.PackageLoader("govuk_frontend_jinja", "templates")}),
            ]
        ),
        # Strict (CheckedUndefined) outside production, so tests and development catch a misspelt
        # name; lenient in production, where a blank is better than an error page.
        undefined=CheckedUndefined if strict else jinja2.ChainableUndefined,
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        # In production templates do not change while pb runs: no stat() of every template file
        # (and of each one it imports) on every render to see whether it changed.
        auto_reload=strict,
    )
    # Whitespace in {% trans %} blocks is folded, as babel.cfg extracts them, so the ids match.
    env.policies["ext.i18n.trimmed"] = True
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]  # added by jinja2.ext.i18n at run time
    env.filters["money"] = lambda value, lang: i18n.money(value, lang)
    env.filters["number"] = lambda value, lang: i18n.number(value, lang)
    env.filters["date"] = lambda value, lang: i18n.date(value, lang) if value else ""
    env.filters["datetime"] = lambda value, lang: i18n.datetime(value, lang) if value else ""
    env.filters["role_name"] = lambda role, lang: t(lang, ROLE_NAMES.get(role) or role)
    env.filters["pence"] = i18n.pence
    env.globals["pick"] = pick
    env.globals["picture_of"] = images.picture_of
    env.globals["url"] = url
    env.filters["area_follow"] = lambda area, lang: ("area", area["id"], area[f"name_{lang}"])
    env.globals["htmx_version"] = htmx_version()
    for capability in capabilities:
        env.globals.update(capability.template_globals)
        env.filters.update(capability.template_filters)
    return env


@jinja2.pass_context
def url(context: Any, name: str, **params: Any) -> str:
    """The path of a named route in the page's language: {{ url("proposals.page", proposal_id=3) }}."""
    return _reverse(context["request"], name, params.pop("lang", None) or context["lang"], params)


def path_to(request: Request, name: str, **params: Any) -> str:
    """The path of a named route in the request's language (for redirects): path_to(request, "proposals.page", proposal_id=3)."""
    return _reverse(request, name, params.pop("lang", None) or request_language(request), params)


def _reverse(request: Request, name: str, lang: str, params: dict[str, Any]) -> str:
    try:
        key = (name, lang, *sorted((k, type(v).__name__, v) for k, v in params.items()))
        hash(key)
    except TypeError:  # a parameter that cannot be a key: worked out each time
        return _reversed(request.app, name, lang, params)
    known = request.app.state.setdefault(_REVERSED, {})
    path = known.get(key)
    if path is None:
        path = known[key] = _reversed(request.app, name, lang, params)
        if len(known) > 20_000:  # the routes are fixed, but their parameters are not: a bound
            known.clear()
    return path


# Paths already worked out, in the app's state: a route's path depends only on its name and
# parameters, and a page names the same few routes on every request (Litestar's reversal costs
# tens of microseconds each).
_REVERSED = "pb_reversed_paths"


def _reversed(app: Any, name: str, lang: str, params: dict[str, Any]) -> str:
    path = app.route_reverse(name, lang=lang, **params)
    return path if path != f"/{lang}" else f"/{lang}/"  # the home page is /en/, as people see it


def wants_fragment(request: Request, target: str) -> bool:
    """Whether htmx asked for just the element `target` (Litestar's HTMXRequest reads its headers);
    a plain request gets the whole page."""
    details = getattr(request, "htmx", None)
    return details is not None and bool(details) and details.target == target


def pick(row: dict, field: str, lang: str) -> dict:
    """A bilingual field in the page's language, else the other one, with the language it is in
    (so the template can mark it with a lang attribute for screen readers)."""
    other = i18n.other_language(lang)
    for code in (lang, other):
        text = row.get(f"{field}_{code}") or ""
        if text:
            return {"text": text, "lang": code}
    return {"text": "", "lang": lang}


ROLE_NAMES = {
    "resident": N_("Resident"),
    "facilitator": N_("Facilitator"),
    "moderator": N_("Moderator"),
    "officer": N_("Council officer"),
    "admin": N_("Administrator"),
}


_environment: jinja2.Environment | None = None


def use_environment(env: jinja2.Environment) -> None:
    """Make this the environment emails and pages render with (create_app does, once per app)."""
    global _environment
    _environment = env


def environment() -> jinja2.Environment:
    """The environment of the app last built (or a plain one, for code running without an app)."""
    global _environment
    if _environment is None:
        _environment = build_environment(capabilities=registry.installed())
    return _environment


def template_config(env: jinja2.Environment) -> TemplateConfig:
    return TemplateConfig(instance=JinjaTemplateEngine.from_environment(env))


def language_context(lang: str) -> dict[str, Any]:
    translations = i18n.translations(lang)
    gettext = _make_new_gettext(translations.gettext)
    return {
        "lang": lang,
        "gettext": gettext,
        "_": gettext,
        "ngettext": _make_new_ngettext(translations.ngettext),
    }


def request_language(request: Request) -> str:
    return i18n.normalise(request.path_params.get("lang") or _path_language(request.url.path))


def _path_language(path: str) -> str | None:
    first = path.strip("/").split("/", 1)[0]
    return first if first in ("en", "cy") else None


def switch_url(request: Request, lang: str) -> str:
    """The same page in the other language (path prefix swapped, query kept)."""
    other = i18n.other_language(lang)
    path = request.url.path
    rest = path[3:] if _path_language(path) == lang else "/"
    query = f"?{request.url.query}" if request.url.query else ""
    return f"/{other}{rest or '/'}{query}"


def page(
    request: Request,
    template_name: str,
    status_code: int = 200,
    user: Any = None,
    **context: Any,
) -> Template:
    lang = request_language(request)
    signed_in = current_user(request)
    council = site.details(lang)
    ctx = {
        **language_context(lang),
        "user": user if user is not None else signed_in,
        "roles": signed_in.roles if signed_in else frozenset(),
        "council_name": council["council_name"],
        "site": council,
        "other_lang": i18n.other_language(lang),
        "other_lang_name": i18n.LANGUAGE_NAMES[i18n.other_language(lang)],
        "switch_url": switch_url(request, lang),
        "current_path": request.url.path,
        **context,
    }
    return Template(template_name=template_name, context=ctx, status_code=status_code)


_text_environments: dict[int, jinja2.Environment] = {}
BLANK_RUNS = re.compile(r"\n{3,}")


def _text_environment() -> jinja2.Environment:
    """The page environment without trim_blocks: in plain text a line ending in a tag
    ({% endtrans %}, {% endif %}) keeps its line break, so paragraphs stay apart."""
    base = environment()
    if id(base) not in _text_environments:
        _text_environments.clear()
        _text_environments[id(base)] = base.overlay(trim_blocks=False)
    return _text_environments[id(base)]


def render_text(template_name: str, lang: str, **context: Any) -> str:
    """Render a plain-text template (emails) in a given language, outside any request: paragraphs
    one blank line apart (a line holding only a tag leaves no extra one), no trailing spaces."""
    template = _text_environment().get_template(template_name)
    text = template.render(**language_context(lang), **{"site": site.details(lang), **context})
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return BLANK_RUNS.sub("\n\n", text).strip("\n") + "\n"


__all__ = ["Markup", "N_", "page", "render_text", "t", "template_config"]
