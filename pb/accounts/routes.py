"""Register, confirm, sign in and out, reset and change a password. Handlers stay thin."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from pb.accounts import actions, notifications, rules
from pb.accounts.guards import signed_in
from pb.outbox.kinds import CHOICE_NAMES, CHOICES, KIND_HINTS, KIND_NAMES, KINDS, valid_choices
from pb.web import csrf, sessions
from pb.web.auth import signed_in_id, signed_in_person
from pb.web.forms import client_address, read_form, safe_next, see_other
from pb.web.templating import N_, page, path_to


@get("/register", name="register")
async def register_form(request: Request, lang: FromPath[str]) -> Template:
    return page(request, "accounts/register.html", values={"language": lang}, errors={})


@post("/register", name="accounts.register")
async def register(request: Request, lang: FromPath[str]) -> Template | Redirect:
    form = await read_form(request)
    values, errors = rules.validate_registration(form)
    if errors:
        return page(request, "accounts/register.html", status_code=422, values=form, errors=errors)
    await actions.register(**values)
    return see_other(path_to(request, "accounts.check_email", lang=lang))


@get("/register/check-email", name="accounts.check_email")
async def check_email(request: Request) -> Template:
    return page(request, "accounts/check_email.html")


@post("/resend-confirmation", name="accounts.resend_confirmation")
async def resend_confirmation(request: Request, lang: FromPath[str]) -> Template | Redirect:
    form = await read_form(request)
    email = rules.normalise_email(form.get("email", ""))
    if rules.check_email(email) is None:
        await actions.resend_confirmation(email)
    return see_other(path_to(request, "accounts.check_email", lang=lang))


def _token_problem(request: Request, reason: str, purpose: str) -> Template:
    """A link that is used, expired (410) or never was (404): say which, and how to get a new one."""
    return page(
        request, "accounts/token_problem.html", status_code=410 if reason != "invalid" else 404, reason=reason, purpose=purpose
    )


@get("/confirm-email/{token:str}", name="accounts.confirm_email_form")
async def confirm_email_form(request: Request, token: FromPath[str]) -> Template:
    # A GET never uses the token: mail scanners follow links. The person presses a button.
    problem = await actions.check_token(token, "verify")
    if problem:
        return _token_problem(request, problem.reason, "verify")
    return page(request, "accounts/confirm_email.html", token=token)


@post("/confirm-email/{token:str}", name="accounts.confirm_email")
async def confirm_email(request: Request, lang: FromPath[str], token: FromPath[str]) -> Template | Redirect:
    problem = await actions.confirm_email(token)
    if problem:
        return _token_problem(request, problem.reason, "verify")
    return see_other(path_to(request, "sign_in", lang=lang) + "?confirmed=1")


@get("/sign-in", name="sign_in")
async def sign_in_form(
    request: Request,
    next: FromQuery[str | None] = None,
    confirmed: FromQuery[str | None] = None,
    reset: FromQuery[str | None] = None,
) -> Template:
    return page(
        request, "accounts/sign_in.html", values={}, errors={}, next=next or "", confirmed=bool(confirmed), reset=bool(reset)
    )


@post("/sign-in", name="accounts.sign_in")
async def sign_in(request: Request, lang: FromPath[str]) -> Template | Redirect:
    form = await read_form(request)
    values, errors = rules.validate_sign_in(form)
    next_path = form.get("next", "")
    if errors:
        return page(request, "accounts/sign_in.html", status_code=422, values=form, errors=errors, next=next_path)
    result = await actions.sign_in(values["email"], values["password"], client_address(request))
    if result.user_id is None:
        status = 429 if result.retry_after else 422
        return page(
            request,
            "accounts/sign_in.html",
            status_code=status,
            values={"email": form.get("email", "")},
            errors={"email": result.error},
            next=next_path,
            unverified=result.unverified,
        )
    sessions.rotate_session(request)
    request.session.clear()
    request.session["user_id"] = result.user_id
    # Compared with the account's on every request (pb.accounts.guards): a password reset or change
    # raises the account's, which signs this session out.
    request.session["session_version"] = result.session_version
    signed_in_page = see_other(safe_next(next_path, lang))
    csrf.issue_for_session(signed_in_page, request.session)  # a new CSRF token, bound to this session
    return signed_in_page


@post("/sign-out", name="accounts.sign_out")
async def sign_out(request: Request, lang: FromPath[str]) -> Template | Redirect:
    sessions.rotate_session(request)
    request.clear_session()
    signed_out = see_other(path_to(request, "home", lang=lang) + "?signed_out=1")
    csrf.forget(signed_out)
    return signed_out


@get("/password-reset", name="accounts.reset_request_form")
async def reset_request_form(request: Request) -> Template:
    return page(request, "accounts/reset_request.html", values={}, errors={})


@post("/password-reset", name="accounts.reset_request")
async def reset_request(request: Request, lang: FromPath[str]) -> Template | Redirect:
    form = await read_form(request)
    email = rules.normalise_email(form.get("email", ""))
    if message := rules.check_email(email):
        return page(request, "accounts/reset_request.html", status_code=422, values=form, errors={"email": message})
    await actions.request_password_reset(email)
    return see_other(path_to(request, "accounts.reset_sent", lang=lang))


@get("/password-reset/sent", name="accounts.reset_sent")
async def reset_sent(request: Request) -> Template:
    return page(request, "accounts/reset_sent.html")


@get("/password-reset/{token:str}", name="accounts.reset_form")
async def reset_form(request: Request, token: FromPath[str]) -> Template:
    problem = await actions.check_token(token, "reset")
    if problem:
        return _token_problem(request, problem.reason, "reset")
    return page(request, "accounts/reset_form.html", token=token, errors={})


@post("/password-reset/{token:str}", name="accounts.reset_password")
async def reset_password(request: Request, lang: FromPath[str], token: FromPath[str]) -> Template | Redirect:
    form = await read_form(request)
    errors = rules.check_new_password(form.get("password", ""), form.get("password_confirm", ""))
    if errors:
        return page(request, "accounts/reset_form.html", status_code=422, token=token, errors=errors)
    problem = await actions.reset_password(token, form["password"], client_address(request))
    if problem:
        return _token_problem(request, problem.reason, "reset")
    sessions.rotate_session(request)
    request.clear_session()
    return see_other(path_to(request, "sign_in", lang=lang) + "?reset=1")


@get("/account", name="accounts.account", guards=[signed_in])
async def account(request: Request, changed: FromQuery[str | None] = None) -> Template:
    return page(request, "accounts/account.html", changed=bool(changed))


@get("/account/password", name="accounts.change_password_form", guards=[signed_in])
async def change_password_form(request: Request) -> Template:
    return page(request, "accounts/change_password.html", errors={})


@post("/account/password", name="accounts.change_password", guards=[signed_in])
async def change_password(request: Request, lang: FromPath[str]) -> Template | Redirect:
    form = await read_form(request)
    user = signed_in_person(request)
    errors = {}
    if not form.get("current_password"):
        errors["current_password"] = N_("Enter your current password")
    errors.update(rules.check_new_password(form.get("password", ""), form.get("password_confirm", ""), user["email"]))
    status = 422
    if not errors:
        result = await actions.change_password(user["id"], form["current_password"], form["password"], client_address(request))
        if result.error:
            errors["current_password"] = result.error
            status = 429 if result.retry_after else 422
    if errors:
        return page(request, "accounts/change_password.html", status_code=status, errors=errors)
    # Every other session of the account has ended; this one goes on, under a new id and version.
    request.session["session_version"] = result.session_version
    sessions.rotate_session(request)
    changed = see_other(path_to(request, "accounts.account", lang=lang) + "?changed=1")
    csrf.issue_for_session(changed, request.session)
    return changed


@post("/account/language", name="accounts.change_language", guards=[signed_in])
async def change_language(request: Request, lang: FromPath[str]) -> Template | Redirect:
    form = await read_form(request)
    language = form.get("language")
    if language in ("en", "cy"):
        await actions.set_language(signed_in_id(request), language)
        return see_other(f"/{language}/account?changed=1")
    return see_other(path_to(request, "accounts.account", lang=lang))


def _notifications_page(request: Request, values: dict[str, str], errors: dict[str, str], saved: bool) -> Template:
    return page(
        request,
        "accounts/notifications.html",
        status_code=422 if errors else 200,
        values=values,
        errors=errors,
        saved=saved,
        kinds=KINDS,
        kind_names=KIND_NAMES,
        kind_hints=KIND_HINTS,
        choices=CHOICES,
        choice_names=CHOICE_NAMES,
    )


@get("/account/notifications", name="accounts.notifications_form", guards=[signed_in])
async def notifications_form(request: Request, saved: FromQuery[str | None] = None) -> Template:
    values = await notifications.preferences_for(signed_in_id(request))
    return _notifications_page(request, values, {}, bool(saved))


@post("/account/notifications", name="accounts.notifications", guards=[signed_in])
async def save_notifications(request: Request, lang: FromPath[str]) -> Template | Redirect:
    form = await read_form(request)
    chosen, errors = valid_choices(form)
    if errors:
        values = await notifications.preferences_for(signed_in_id(request))
        values.update({key: value for key, value in form.items() if key in KINDS})
        return _notifications_page(request, values, errors, False)
    await notifications.set_preferences(signed_in_id(request), chosen)
    return see_other(path_to(request, "accounts.notifications_form", lang=lang) + "?saved=1")


route_handlers = [
    notifications_form,
    save_notifications,
    register_form,
    register,
    check_email,
    resend_confirmation,
    confirm_email_form,
    confirm_email,
    sign_in_form,
    sign_in,
    sign_out,
    reset_request_form,
    reset_request,
    reset_sent,
    reset_form,
    reset_password,
    account,
    change_password_form,
    change_password,
    change_language,
]
