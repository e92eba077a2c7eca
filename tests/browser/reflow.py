"""Reflow (WCAG 1.4.10) checks shared by the accessibility sweep and the reflow tests: what a page
gets wrong at 320 CSS px, and the data that gives every kind of table something to show."""

from tests.conftest import make_user, seed_demo

# The demo's rounds are each in another phase (proposals, review, voting, results), with other
# tables: every round's pages are visited, where other pages of one shape stop at PER_PATTERN.
EVERY_ROUND = 4
NARROW = {"width": 320, "height": 640}
ZOOMED = {"width": 640, "height": 400}  # 1280 x 800 at 200 % zoom

# What pages get wrong: the page wider than its viewport (with the elements sticking out, outside any
# table region), and tables outside a focusable, named scroll region.
PROBLEMS = """() => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth) {
    const wide = [...document.body.querySelectorAll("*")].filter(el => el.getBoundingClientRect().right > root.clientWidth + 0.5);
    const outside = wide.filter(el => !el.parentElement.closest(".pb-table-scroll"));
    const sticking = outside.length ? outside : wide;
    const deepest = sticking.filter(el => !sticking.some(other => other !== el && el.contains(other)));
    problems.push(`the page is ${root.scrollWidth} px wide in a ${root.clientWidth} px viewport: ` +
      deepest.slice(0, 5).map(el => `<${el.tagName.toLowerCase()} class="${el.className}"> ` +
        JSON.stringify((el.textContent || "").trim().slice(0, 60))).join("; "));
  }
  document.querySelectorAll("table").forEach((table, index) => {
    const region = table.closest(".pb-table-scroll");
    const what = `table ${index + 1} (${JSON.stringify((table.caption?.textContent || "").trim().slice(0, 40))})`;
    if (!region) { problems.push(`${what} is not in a .pb-table-scroll region`); return; }
    if (region.getAttribute("role") !== "region") problems.push(`${what}: its region has no role=region`);
    if (region.getAttribute("tabindex") !== "0") problems.push(`${what}: its region cannot take focus (tabindex=0)`);
    const labelledby = region.getAttribute("aria-labelledby");
    const name = labelledby
      ? labelledby.split(/\\s+/).map(id => (document.getElementById(id)?.textContent || "")).join(" ").trim()
      : (region.getAttribute("aria-label") || "").trim();
    if (!name) problems.push(`${what}: its region has no accessible name`);
    const overflowX = getComputedStyle(region).overflowX;
    if (overflowX !== "auto" && overflowX !== "scroll") problems.push(`${what}: its region does not scroll (${overflowX})`);
  });
  return problems;
}"""


async def reflow_problems(page) -> list[str]:
    return await page.evaluate(PROBLEMS)


LONG_EMAIL = "a.resident.with.a.very.long.address.indeed@llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch.example.org"


async def seed_everything() -> None:
    """The demo (rounds in every phase, ballots, voting codes, paper ballots, delivery, sessions),
    plus moderation reports and decisions, and a person whose email address is one long word."""
    from pb.audit.actions import record
    from pb.moderation import actions as moderation
    from pb.moderation import rules as moderation_rules
    from pb.proposals.tables import Proposal

    await seed_demo("accounts", "rounds", "proposals", "tracker", "voting", "deliberation")
    long_user = await make_user(email=LONG_EMAIL, name="Gwenllian Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch")
    moderator = await make_user(email="reflow-moderator@example.org", roles={"moderator"})
    reason = next(iter(moderation_rules.REASONS))
    proposals = [row["id"] for row in await Proposal.select(Proposal.id).order_by(Proposal.id).limit(2)]
    for proposal_id in proposals:
        await moderation.report(long_user, "proposal", proposal_id, reason, "Reported by the reflow test.")
    await moderation.decide(
        moderator, "proposal", proposals[0], "keep", reason, "It keeps to the guidelines.", facts="It keeps to the guidelines."
    )
    await record(long_user, "account.password_changed", f"user:{long_user}", reason="x" * 120, title=LONG_EMAIL)
