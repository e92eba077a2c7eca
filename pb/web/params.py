"""Typed query parameters with bounds, parsed by Litestar: a value that does not parse is a 400 page,
never a 500. Use these in handler signatures instead of reading strings by hand.

A filter form's "all" choice sends an empty value (?area=), which an int parameter would refuse:
take such filters as bounded text and read them with pb.fields.parse_id."""

from __future__ import annotations

from typing import Annotated

from litestar.params import QueryParameter

# The page of an HTML listing asked for as ?page=2 (the handler's own argument keeps another name);
# a page past the end shows the last page (pb.paging).
RequestedPage = Annotated[int, QueryParameter(name="page", ge=1, le=100_000)]
