"""What the endpoints share about HTTP itself: the uploaded file of a multipart request and the answer
"201 Created"."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request

from approvals.errors import Invalid
from approvals.i18n import N_, Text


def uploaded_file(default_name: str) -> tuple[bytes, str]:
    """The bytes and name of the multipart field `file`, or 422 naming the field."""
    upload = request.files.get("file")
    if upload is None:
        message = Text(N_("请以 multipart/form-data 上传文件，字段名为 file。"))
        raise Invalid("file_required", message, [{"field": "file", "rule": "required", "message": message}])
    try:
        data = upload.read()
    finally:  # a large upload is spooled to a temporary file: close it whatever happens next
        upload.close()
    return data, upload.filename or default_name


def created(payload: Any) -> Response:
    """`payload` (JSON-ready) with status 201."""
    response = jsonify(payload)
    response.status_code = 201
    return response
