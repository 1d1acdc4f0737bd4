"""The whole application: the REST API and the pages, served by one process."""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine

from stakhanov.api.app import PREFIX, create_api
from stakhanov.api.errors import REFUSALS, refused_response, sentence, status_of
from stakhanov.i18n import N_
from stakhanov.services.chain_checks import ChainChecks
from stakhanov.services.pay_totals import PayTotals
from stakhanov.web import (
    admin,
    audit_queue,
    director,
    disputes,
    entry,
    equity,
    kiosk,
    language,
    ledger_pages,
    norms,
    overview,
    pages,
    payroll_pages,
    people,
    recognition,
    session_pages,
    signoff,
    skills,
    slip_list,
    tickets,
)
from stakhanov.web.auth import LoginNeeded, PageError, login_url, viewer


def create_app(engine: Engine) -> FastAPI:
    app = create_api(engine)
    routers = (
        pages.router,
        overview.router,
        people.router,
        recognition.router,
        disputes.router,
        norms.router,
        audit_queue.router,
        entry.router,
        signoff.router,
        skills.router,
        equity.router,
        language.router,
        slip_list.router,
        director.router,
        tickets.router,
        session_pages.router,
        ledger_pages.router,
        payroll_pages.router,
        kiosk.router,
        admin.router,
    )
    for router in routers:
        app.include_router(router)
    # The navigation offers a link by the permission of the page it opens, in any module.
    app.state.page_routes = [route for router in routers for route in router.routes]
    app.state.chain_checks = ChainChecks()  # the chain page's background verification
    app.state.pay_totals = PayTotals()  # an open period's every slip, for the pay page
    static = str(resources.files("stakhanov.web") / "static")
    app.add_middleware(language.Speaking)
    app.mount("/static", StaticFiles(directory=static), name="static")

    @app.exception_handler(LoginNeeded)
    async def login_needed(_request: Request, err: LoginNeeded) -> Response:
        return RedirectResponse(login_url(err.next_url), status_code=303)

    @app.exception_handler(PageError)
    async def page_error(request: Request, err: PageError) -> HTMLResponse:
        try:
            session = viewer(request)
        except LoginNeeded:
            session = None
        return pages.render(
            request,
            "error.html",
            session,
            status=err.status,
            title=N_("Sorry"),
            message=err.message,
        )

    async def refused(request: Request, err: Exception) -> Response:
        """The API answers JSON; a page answers with the error page, at the same status."""
        assert isinstance(err, REFUSALS)
        if request.url.path.startswith(PREFIX + "/"):
            return refused_response(err)
        return await page_error(request, PageError(status_of(err), sentence(err)))

    for refusal in REFUSALS:  # replaces the API's own handler, which it calls for /api/
        app.add_exception_handler(refusal, refused)

    return app
