"""Fixtures for the web pages: a browser-like client per user that logs in through the form."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.conftest import PASSWORD, World

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


class Browser:
    """A test client that reads the CSRF token from the last page, as a browser's form would."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.token = ""

    def get(self, url: str, **kwargs: Any) -> TestResponse:
        response = self.client.get(url, **kwargs)
        self._remember_token(response)
        return response

    def _remember_token(self, response: TestResponse) -> None:
        """The page's CSRF token, as the next form would send it (downloads have none)."""
        if response.mimetype != "text/html":
            return
        found = CSRF_META.search(response.get_data(as_text=True))
        if found:
            self.token = found.group(1)

    def post(self, url: str, data: dict[str, Any] | None = None, *, csrf: bool = True, **kwargs: Any) -> TestResponse:
        if csrf and not self.token:
            self.get("/login")
        form = dict(data or {})
        if csrf:
            form.setdefault("csrf_token", self.token)
        response = self.client.post(url, data=form, **kwargs)
        self._remember_token(response)
        return response

    def login(self, username: str, password: str = PASSWORD) -> TestResponse:
        self.get("/login")
        response = self.post("/login", {"username": username, "password": password})
        if response.status_code == 302:
            self.token = ""  # a login starts a new session with a new CSRF token: the next page has it
        return response


@pytest.fixture
def browser(app: Flask, world: World) -> Callable[[str | None], Browser]:
    """browser("clerk") is logged in as clerk; browser(None) is anonymous."""

    def make(username: str | None) -> Browser:
        b = Browser(app.test_client())
        if username:
            assert b.login(username).status_code == 302
        return b

    return make
