"""Error pages: translated and plain, as HTML or JSON by what the client accepts."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError

from .core.errors import NotAllowed
from .extensions import db

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Please try again.")),
    403: (_l("Not allowed"), _l("You are not allowed to see or do this.")),
    404: (_l("Page not found"), _l("There is nothing at this address. It may have moved.")),
    405: (_l("Not allowed"), _l("This address does not accept that kind of request.")),
    409: (_l("Changed meanwhile"), _l("Someone changed this at the same moment. Nothing of "
                                     "yours was saved; reload the page, check, and try again.")),
    413: (_l("Too large"), _l("What you sent is too large.")),
    429: (_l("Too many requests"), _l("Too many attempts. Please wait a moment and try again.")),
    500: (_l("Something went wrong"),
          _l("An error occurred on our side. Nothing you sent is lost; please try again.")),
}


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > \
        request.accept_mimetypes["text/html"]


def render_error(code: int, detail: str | None = None):  # noqa: ANN201
    """The error page (or JSON body) for an HTTP status code."""
    title, message = MESSAGES.get(code, MESSAGES[500])
    if _wants_json():
        return jsonify(error=str(title), message=str(detail or message)), code
    return render_template("errors/error.html", code=code, title=title,
                           message=detail or message), code


def register_error_handlers(app: Flask) -> None:
    """Install the handlers on the app."""

    @app.errorhandler(NotAllowed)
    def _not_allowed(err: NotAllowed):  # noqa: ANN202
        from .moderation.services import refusal  # a suspended member is told why (issue 4)
        return render_error(403, refusal())

    @app.errorhandler(StaleDataError)
    def _stale(err: StaleDataError):  # noqa: ANN202
        # A versioned row (a case) changed under this request where no service turned it into
        # a Conflict (a flush before the commit): undo this request's work and say so.
        db.session.rollback()
        return render_error(409)

    @app.errorhandler(CSRFError)
    def _csrf(err: CSRFError):  # noqa: ANN202
        return render_error(400, str(_l("The form expired or was sent from elsewhere. "
                                        "Please reload the page and try again.")))

    @app.errorhandler(HTTPException)
    def _http(err: HTTPException):  # noqa: ANN202
        if err.code is None or err.code < 400:
            return err
        return render_error(err.code)

    @app.errorhandler(InternalServerError)
    def _server(err: InternalServerError):  # noqa: ANN202
        return render_error(500)
