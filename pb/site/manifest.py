"""Site settings: the council's own details shown on pages, letters and emails."""

from pb.registry import Capability
from pb.site import actions, routes
from pb.site.demo import seed as demo_seed

capability = Capability(name="site", routes=routes.route_handlers, demo=demo_seed, background=(actions.keep_fresh,))
