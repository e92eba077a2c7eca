"""Admin pages: people and their roles, the audit log, and (in development) the outbox."""

from __future__ import annotations

import json

from litestar import Request, Router, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from pb.accounts import actions
from pb.accounts.tables import ROLES, User, UserRole
from pb.admin import subjects
from pb.audit.tables import AuditEvent
from pb.config import get_settings
from pb.db import is_sqlite
from pb.outbox.tables import OutboxMessage
from pb.paging import paginate
from pb.web.auth import admin, signed_in_id
from pb.web.forms import read_list, see_other
from pb.web.params import RequestedPage
from pb.web.templating import page, path_to

PAGE_SIZE = 25


@get("/admin", name="admin.dashboard")
async def dashboard(request: Request) -> Template:
    return page(request, "admin/dashboard.html", show_outbox=not get_settings().production)


@get("/admin/users", name="admin.users")
async def users(
    request: Request,
    q: FromQuery[str | None] = None,
    page_number: RequestedPage = 1,
) -> Template:
    query = (q or "").strip()[:100]
    select = User.select(User.id, User.name, User.email, User.email_verified_at).order_by(User.name)
    count = User.count()
    if query:
        pattern = f"%{query}%"
        # SQLite's LIKE already ignores case; PostgreSQL needs ILIKE.
        if is_sqlite():
            condition = User.name.like(pattern) | User.email.like(pattern)
        else:
            condition = User.name.ilike(pattern) | User.email.ilike(pattern)
        select = select.where(condition)
        count = count.where(condition)
    pager = paginate(await count, page_number, PAGE_SIZE)
    rows = await select.limit(PAGE_SIZE).offset(pager.offset)
    role_rows = await UserRole.select(UserRole.user, UserRole.role).where(UserRole.user.is_in([r["id"] for r in rows] or [0]))
    roles: dict[int, list[str]] = {}
    for row in role_rows:
        roles.setdefault(row["user"], []).append(row["role"])
    return page(
        request,
        "admin/users.html",
        people=rows,
        roles=roles,
        q=query,
        page_number=pager.number,
        pages=pager.pages,
        total=pager.total,
    )


@get("/admin/users/{user_id:int}", name="admin.user_detail")
async def user_detail(request: Request, user_id: FromPath[int], saved: FromQuery[str | None] = None) -> Template:
    person = (
        await User.select(User.id, User.name, User.email, User.language, User.email_verified_at, User.created_at)
        .where(User.id == user_id)
        .first()
    )
    if not person:
        raise NotFoundException()
    held = {row["role"] for row in await UserRole.select(UserRole.role).where(UserRole.user == user_id)}
    return page(request, "admin/user.html", person=person, held=held, all_roles=ROLES, saved=bool(saved))


@post("/admin/users/{user_id:int}/roles", name="admin.save_roles")
async def save_roles(request: Request, lang: FromPath[str], user_id: FromPath[int]) -> Template | Redirect:
    if not await User.exists().where(User.id == user_id):
        raise NotFoundException()
    await actions.set_roles(signed_in_id(request), user_id, set(await read_list(request, "roles")))
    return see_other(path_to(request, "admin.user_detail", lang=lang, user_id=user_id) + "?saved=1")


@get("/admin/audit", name="admin.audit_log")
async def audit_log(request: Request, page_number: RequestedPage = 1) -> Template:
    pager = paginate(await AuditEvent.count(), page_number, PAGE_SIZE)
    rows = await AuditEvent.select().order_by(AuditEvent.id, ascending=False).limit(PAGE_SIZE).offset(pager.offset)
    for row in rows:
        row["details"] = json.loads(row["details"] or "{}")
    return page(
        request,
        "admin/audit.html",
        events=rows,
        subjects=await subjects.subjects(subjects.mentioned(rows)),
        subjects_by_key=subjects.BY_DETAIL,
        actors=await subjects.actor_names([row["actor_id"] for row in rows]),
        page_number=pager.number,
        pages=pager.pages,
    )


@get("/admin/outbox", name="admin.outbox")
async def outbox(request: Request, page_number: RequestedPage = 1) -> Template:
    if get_settings().production:
        raise NotFoundException()  # real mail goes out over SMTP; its content is not for browsing
    pager = paginate(await OutboxMessage.count(), page_number, PAGE_SIZE)
    rows = await OutboxMessage.select().order_by(OutboxMessage.id, ascending=False).limit(PAGE_SIZE).offset(pager.offset)
    return page(request, "admin/outbox.html", messages=rows, page_number=pager.number, pages=pager.pages)


# Every page here is for one audience: the guard is on the router, not on each handler.
route_handlers = [Router(path="/", guards=[admin], route_handlers=[dashboard, users, user_detail, save_roles, audit_log, outbox])]
