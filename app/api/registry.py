"""Declaring API endpoints once: routing, body validation and the OpenAPI document."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, request
from pydantic import BaseModel, ValidationError

from app.inputs import DB_INT_MAX, request_json
from approvals.errors import Invalid
from approvals.i18n import N_, Text


@dataclass(frozen=True)
class QueryInt:
    """An integer query parameter, read with app.inputs.query_int (422 outside [minimum, maximum])."""

    description: str
    minimum: int = 1
    maximum: int = DB_INT_MAX


@dataclass(frozen=True)
class Endpoint:
    method: str
    rule: str
    summary: str
    body: type[BaseModel] | None
    response: type[BaseModel] | None
    auth: bool
    errors: tuple[int, ...]
    query: dict[str, str | QueryInt] = field(default_factory=dict)
    upload: str | None = None  # name of a multipart file field
    produces: str | tuple[str, ...] = "application/json"
    status: int = 200  # of success: 201 where something is created or recorded
    body_optional: bool = False  # a request without a JSON body reads as {}


ENDPOINTS: list[Endpoint] = []
PUBLIC_ENDPOINTS: set[str] = set()  # Flask endpoint names that need no token


def _pydantic_details(exc: ValidationError) -> list[dict[str, Any]]:
    return [
        {
            "field": ".".join(str(p) for p in err["loc"]) or "body",
            "rule": err["type"],
            "message": Text(
                N_("字段“%(field)s”不符合要求：%(problem)s"),
                problem=err["msg"],
                field=".".join(str(p) for p in err["loc"]) or Text(N_("请求体")),
            ),
        }
        for err in exc.errors()
    ]


def parse_body(model: type[BaseModel], optional: bool = False) -> BaseModel:
    data = request_json()
    if data is None and optional and not request.get_data(cache=True):
        data = {}
    if data is None:
        raise Invalid("invalid_json", Text(N_("请求体须为JSON对象。")), [{"field": "body", "rule": "json_object",
                                                                      "message": Text(N_("请求体须为JSON对象"))}])  # fmt: skip
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        details = _pydantic_details(exc)
        raise Invalid("invalid_request", details[0]["message"], details) from exc


def endpoint(
    bp: Blueprint,
    method: str,
    rule: str,
    *,
    summary: str,
    body: type[BaseModel] | None = None,
    response: type[BaseModel] | None = None,
    auth: bool = True,
    errors: tuple[int, ...] = (401, 403, 404),
    query: dict[str, str | QueryInt] | None = None,
    upload: str | None = None,
    produces: str | tuple[str, ...] = "application/json",
    status: int = 200,
    body_optional: bool = False,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a view; a `body` model is validated and passed as the `body` argument (an empty request
    reads as `{}` where `body_optional`)."""

    def wrap(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def handler(**kwargs: Any) -> Any:
            if body is not None:
                kwargs["body"] = parse_body(body, body_optional)
            return view(**kwargs)

        bp.add_url_rule(rule, view_func=handler, methods=[method])
        if not auth:
            PUBLIC_ENDPOINTS.add(f"{bp.name}.{view.__name__}")
        ENDPOINTS.append(Endpoint(method, bp.url_prefix + rule if bp.url_prefix else rule, summary,
                                  body, response, auth, errors, query or {}, upload, produces, status,
                                  body_optional))  # fmt: skip
        return handler

    return wrap


def _openapi_path(rule: str) -> tuple[str, list[dict[str, Any]]]:
    params = []
    for conv, name in re.findall(r"<(?:(\w+):)?(\w+)>", rule):
        schema = {"type": "integer", "minimum": 0, "maximum": DB_INT_MAX} if conv == "int" else {"type": "string"}
        params.append({"name": name, "in": "path", "required": True, "schema": schema})
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule), params


def _query_param(name: str, spec: str | QueryInt) -> dict[str, Any]:
    if isinstance(spec, QueryInt):
        schema = {"type": "integer", "minimum": spec.minimum, "maximum": spec.maximum}
        return {"name": name, "in": "query", "required": False, "description": spec.description, "schema": schema}
    return {"name": name, "in": "query", "required": False, "description": spec, "schema": {"type": "string"}}


def openapi_document(title: str, version: str) -> dict[str, Any]:
    """OpenAPI 3.1 built from the registered endpoints and their pydantic models."""
    schemas: dict[str, Any] = {
        "Error": {
            "type": "object",
            "required": ["error", "message"],
            "properties": {"error": {"type": "string"}, "message": {"type": "string"},
                           "details": {}},
        }
    }  # fmt: skip
    paths: dict[str, Any] = {}

    def ref(model: type[BaseModel]) -> dict[str, str]:
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema
        return {"$ref": f"#/components/schemas/{model.__name__}"}

    for ep in ENDPOINTS:
        path, params = _openapi_path(ep.rule)
        params += [_query_param(name, spec) for name, spec in ep.query.items()]
        operation: dict[str, Any] = {"summary": ep.summary, "parameters": params, "responses": {}}
        if ep.body is not None:
            operation["requestBody"] = {"required": not ep.body_optional,
                                        "content": {"application/json": {"schema": ref(ep.body)}}}  # fmt: skip
        if ep.upload is not None:
            operation["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": {
                "type": "object", "required": [ep.upload],
                "properties": {ep.upload: {"type": "string", "format": "binary"}}}}}}  # fmt: skip
        ok: dict[str, Any] = {"description": "OK"}
        if ep.response is not None:
            ok["content"] = {"application/json": {"schema": ref(ep.response)}}
        elif ep.produces != "application/json":
            media_types = (ep.produces,) if isinstance(ep.produces, str) else ep.produces
            ok["content"] = {media: {"schema": {"type": "string", "format": "binary"}} for media in media_types}
        operation["responses"][str(ep.status)] = ok
        checked = ep.body or ep.upload or any(isinstance(spec, QueryInt) for spec in ep.query.values())
        for status in sorted(set(ep.errors) | ({422} if checked else set())):
            operation["responses"][str(status)] = {
                "description": "错误",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            }
        if ep.auth:
            operation["security"] = [{"bearer": []}]
        paths.setdefault(path, {})[ep.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version},
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
