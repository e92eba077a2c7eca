"""The one Piccolo app holding every pb table; migrations live in pb/migrations/."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from pb.accounts.tables import EmailToken, LoginThrottle, SessionRecord, User, UserRole
from pb.audit.tables import AuditEvent
from pb.deliberation.tables import AgendaItem, DeliberationSession, OutcomeLink, Registration, SessionOutcome
from pb.moderation.tables import ModerationDecision, Report
from pb.outbox.tables import OutboxMessage
from pb.proposals.tables import Comment, Follow, Proposal, ProposalEvent, ProposalTheme, Support
from pb.rounds.tables import Area, PhaseChange, Round
from pb.tracker.tables import Decision, DecisionLink, DecisionRevision, Delivery, DeliveryUpdate
from pb.voting.tables import Ballot, BallotChoice, PabulibImport, ResultLine, VoterRegister, VotingCode, VotingCodeBatch

APP_CONFIG = AppConfig(
    app_name="pb",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[
        User, UserRole, EmailToken, SessionRecord, LoginThrottle, AuditEvent, OutboxMessage,
        Round, Area, PhaseChange, Proposal, ProposalTheme, ProposalEvent, Support, Follow, Comment,
        Report, ModerationDecision,
        Decision, DecisionRevision, DecisionLink, Delivery, DeliveryUpdate,
        VoterRegister, Ballot, BallotChoice, ResultLine, VotingCodeBatch, VotingCode, PabulibImport,
        DeliberationSession, Registration, AgendaItem, SessionOutcome, OutcomeLink,
    ],
    migration_dependencies=[],
    commands=[],
)
