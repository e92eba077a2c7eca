"""Typed path and query parameters with bounds, parsed by Litestar: a value that does not parse is
a 400 page, never a 500. Use these in handler signatures instead of reading strings by hand."""

from __future__ import annotations

from typing import Annotated

from litestar.params import Parameter

from pb.fields import MAX_ID

# A row id in a path or query: 1 … 2**31-1 (PostgreSQL's integer ids).
Id = Annotated[int, Parameter(gt=0, le=MAX_ID)]
# An optional row id in a query string (?area=3).
OptionalId = Annotated[int | None, Parameter(gt=0, le=MAX_ID)]
# A page number in a listing (?page=2); a page past the end shows the last page.
PageNumber = Annotated[int, Parameter(ge=1, le=100_000)]
# Free text in a query string (a search box), bounded in length.
SearchText = Annotated[str | None, Parameter(max_length=200)]
