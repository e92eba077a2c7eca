"""Open data: the read-only JSON API, CSV downloads and Atom feeds; no personal data."""

from pb.opendata import routes
from pb.registry import Capability

capability = Capability(name="opendata", routes=[routes.open_data_page], root_routes=[routes.api_router])
