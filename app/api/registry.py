"""Declaring API endpoints once: routing, body validation and the OpenAPI document."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, request
from pydantic import BaseModel, ValidationError

from approvals.errors import Invalid


@dataclass(frozen=True)
class Endpoint:
    method: str
    rule: str
    summary: str
    body: type[BaseModel] | None
    response: type[BaseModel] | None
    auth: bool
    errors: tuple[int, ...]
    query: dict[str, str] = field(default_factory=dict)
    upload: str | None = None  # name of a multipart file field
    produces: str = "application/json"


ENDPOINTS: list[Endpoint] = []
PUBLIC_ENDPOINTS: set[str] = set()  # Flask endpoint names that need no token


def _pydantic_details(exc: ValidationError) -> list[dict[str, Any]]:
    return [
        {
            "field": ".".join(str(p) for p in err["loc"]) or "body",
            "rule": err["type"],
            "message": f"字段“{'.'.join(str(p) for p in err['loc']) or '请求体'}”不符合要求：{err['msg']}",
        }
        for err in exc.errors()
    ]


def parse_body(model: type[BaseModel]) -> BaseModel:
    data = request.get_json(silent=True)
    if data is None:
        raise Invalid("invalid_json", "请求体须为JSON对象。", [{"field": "body", "rule": "json_object",
                                                          "message": "请求体须为JSON对象"}])  # fmt: skip
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
    query: dict[str, str] | None = None,
    upload: str | None = None,
    produces: str = "application/json",
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a view; a `body` model is validated and passed as the `body` argument."""

    def wrap(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def handler(**kwargs: Any) -> Any:
            if body is not None:
                kwargs["body"] = parse_body(body)
            return view(**kwargs)

        bp.add_url_rule(rule, view_func=handler, methods=[method])
        if not auth:
            PUBLIC_ENDPOINTS.add(f"{bp.name}.{view.__name__}")
        ENDPOINTS.append(Endpoint(method, bp.url_prefix + rule if bp.url_prefix else rule, summary,
                                  body, response, auth, errors, query or {}, upload, produces))  # fmt: skip
        return handler

    return wrap


def _openapi_path(rule: str) -> tuple[str, list[dict[str, Any]]]:
    params = []
    for conv, name in re.findall(r"<(?:(\w+):)?(\w+)>", rule):
        params.append({"name": name, "in": "path", "required": True,
                       "schema": {"type": "integer" if conv == "int" else "string"}})  # fmt: skip
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule), params


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
        params += [{"name": k, "in": "query", "required": False, "description": v,
                    "schema": {"type": "string"}} for k, v in ep.query.items()]  # fmt: skip
        operation: dict[str, Any] = {"summary": ep.summary, "parameters": params, "responses": {}}
        if ep.body is not None:
            operation["requestBody"] = {"required": True,
                                        "content": {"application/json": {"schema": ref(ep.body)}}}  # fmt: skip
        if ep.upload is not None:
            operation["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": {
                "type": "object", "required": [ep.upload],
                "properties": {ep.upload: {"type": "string", "format": "binary"}}}}}}  # fmt: skip
        ok: dict[str, Any] = {"description": "OK"}
        if ep.response is not None:
            ok["content"] = {"application/json": {"schema": ref(ep.response)}}
        elif ep.produces != "application/json":
            ok["content"] = {ep.produces: {"schema": {"type": "string", "format": "binary"}}}
        operation["responses"]["200"] = ok
        for status in sorted(set(ep.errors) | ({422} if ep.body or ep.upload else set())):
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
