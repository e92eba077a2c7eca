"""Voting: ballots on every channel (online, codes, paper, assisted), results, Pabulib files."""

from pb.counting.tally import tally
from pb.registry import Capability
from pb.voting import closing, closing_routes, phase_hooks, reminders
from pb.voting.codes import routes as code_routes
from pb.voting.demo import seed as demo_seed
from pb.voting.kiosk import routes as kiosk_routes
from pb.voting.online import routes as online_routes
from pb.voting.pabulib_cli import export_pabulib, import_pabulib
from pb.voting.paper import routes as paper_routes
from pb.voting.reminders_cli import send_vote_reminders

capability = Capability(
    name="voting",
    demo=demo_seed,
    routes=[
        *online_routes.route_handlers,
        *code_routes.route_handlers,
        *kiosk_routes.route_handlers,
        *paper_routes.route_handlers,
        *closing_routes.route_handlers,
    ],
    commands=(tally, import_pabulib, export_pabulib, send_vote_reminders),
    # Every process starts again any count whose worker died (at start-up and every minute), and
    # sends the closing reminders when due (hourly).
    background=(closing.watch_counts, reminders.run_reminders),
    extensions={
        "rounds.before_phase_change": phase_hooks.before_phase_change,
        "rounds.phase_changed": phase_hooks.phase_changed,
        "rounds.page_context": phase_hooks.round_page_context,
        "rounds.manage_context": phase_hooks.manage_context,
        "rounds.phase_target": closing.choose_target,
        "rounds.phase_committed": closing.started,
    },
)
