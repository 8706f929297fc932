"""dialog: a participation platform for Zukunftsdialoge. `create_app` is the only entry point."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

import config as config_module

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: object | None = None) -> Flask:
    """Create the application; `config` defaults to the one named by DIALOG_ENV."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    from dialog.common.http import BoundedIntConverter, DialogRequest, PlainStringConverter

    app.request_class = DialogRequest
    app.url_map.converters["int"] = BoundedIntConverter
    app.url_map.converters["default"] = app.url_map.converters["string"] = PlainStringConverter
    app.config.from_object(config if config is not None else config_module.load())
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = (
            f"sqlite:///{Path(app.instance_path) / 'dialog.sqlite3'}"
        )
    if app.config.get("PROXY_HOPS"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    _init_extensions(app)
    _register_blueprints(app)

    from dialog.common.errors import register_error_handlers
    from dialog.common.http import install_security_headers
    from dialog.common.templating import install_template_helpers

    register_error_handlers(app)
    install_security_headers(app)
    install_template_helpers(app)

    from dialog.cli import register_commands

    register_commands(app)
    return app


def _init_extensions(app: Flask) -> None:
    from dialog import models  # noqa: F401 - registers every model with the metadata
    from dialog.accounts.services import load_user
    from dialog.common.i18n import install_template_gettext, select_locale
    from dialog.extensions import babel, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    _skip_unused_limit_check(app, limiter)
    babel.init_app(app, locale_selector=select_locale)
    install_template_gettext(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None  # the login page explains itself
    login_manager.session_protection = "strong"
    login_manager.user_loader(load_user)


def _skip_unused_limit_check(app: Flask, limiter) -> None:
    """Drop Flask-Limiter's check before every request: dialog sets no limit it would find.

    That check applies application-wide and default limits, of which dialog has none: every
    limit is a decorator, which checks itself in its wrapper, or is counted in its view
    (`common/ratelimit`). Resolving "no limits" took a tenth of the time of an answer form.
    """
    check = limiter._check_request_limit
    hooks = app.before_request_funcs.get(None, [])
    limits = limiter.limit_manager
    if check in hooks and not (limits.default_limits or limits.application_limits):
        hooks.remove(check)


def _register_blueprints(app: Flask) -> None:
    from dialog.accessibility.blueprint import bp as accessibility_bp
    from dialog.accounts.blueprint import bp as accounts_bp
    from dialog.answers.blueprint import bp as answers_bp
    from dialog.coding.blueprint import bp as coding_bp
    from dialog.demo.blueprint import bp as demo_bp
    from dialog.events.blueprint import bp as events_bp
    from dialog.export.blueprint import bp as export_bp
    from dialog.health.blueprint import bp as health_bp
    from dialog.moderation.blueprint import bp as moderation_bp
    from dialog.notifications.blueprint import bp as notifications_bp
    from dialog.pages.blueprint import bp as pages_bp
    from dialog.process.blueprint import bp as process_bp
    from dialog.recommendations.blueprint import bp as recommendations_bp
    from dialog.recommendations.blueprint import public_bp as public_recommendations_bp
    from dialog.reports.blueprint import bp as reports_bp
    from dialog.staff.blueprint import bp as staff_bp

    blueprints = (
        process_bp,
        accessibility_bp,
        answers_bp,
        notifications_bp,
        events_bp,
        pages_bp,
        accounts_bp,
        staff_bp,
        demo_bp,
        moderation_bp,
        coding_bp,
        export_bp,
        reports_bp,
        recommendations_bp,
        public_recommendations_bp,
        health_bp,
    )
    for bp in blueprints:
        app.register_blueprint(bp)

    from dialog.common import mail
    from dialog.events.services import registration_mail_context

    # Mails queued unrendered (`mail.queue_unrendered`) name what they are about.
    mail.register_renderer("registration", registration_mail_context)
