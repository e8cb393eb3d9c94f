"""GUI tests use `gui_db` from the top-level conftest (a private copy of the seeded file), and
the fixtures below that several screens' tests share."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from app.services import auth, engine
from app.services.context import Actor, system_actor
from app.store.db import Database
from app.ui.app import install_translator
from app.ui.qt import QApplication, QLineEdit, QLocale


@pytest.fixture
def routed_db(gui_db: Database) -> Database:
    """The seeded copy after one engine pass: routed, awaiting-balance and exception orders."""
    report = engine.run_once(gui_db, system_actor())
    assert sum(report.exceptions.values()) >= 3, report.as_json()
    return gui_db


@pytest.fixture
def lead(routed_db: Database) -> Actor:
    return auth.login_password(routed_db, "lead01", "lead123", "ST-TEST")


@pytest.fixture
def packer(routed_db: Database) -> Actor:
    return auth.login_password(routed_db, "packer01", "packer123", "ST-TEST")


@pytest.fixture
def field(qtbot: QtBot) -> QLineEdit:
    """A focused line edit, as a scan field is."""
    edit = QLineEdit()
    qtbot.addWidget(edit)
    edit.show()
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    return edit


@pytest.fixture(params=["zh_CN", "en"])
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    """The screen in Chinese, then in English: Packline's translator installed, as at start."""
    translator = install_translator(qapp, request.param)
    if request.param != "en":
        assert translator is not None, "packline_zh_CN.qm missing"
    yield request.param
    if translator is not None:
        qapp.removeTranslator(translator)
    QLocale.setDefault(QLocale(QLocale.Language.English))
