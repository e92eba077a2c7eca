"""Voting: ballots on every channel (online, codes, paper, assisted), results, Pabulib files."""

from pb.counting.tally import tally
from pb.registry import Capability
from pb.voting import code_routes, paper_routes, routes
from pb.voting.demo import seed as demo_seed
from pb.voting.pabulib_cli import export_pabulib, import_pabulib

capability = Capability(
    name="voting",
    demo=demo_seed,
    routes=[*routes.route_handlers, *code_routes.route_handlers, *paper_routes.route_handlers],
    commands=(tally, import_pabulib, export_pabulib),
)
