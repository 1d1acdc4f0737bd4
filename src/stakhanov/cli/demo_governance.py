"""The demo's governance chapter, printed after the foundation's report."""

from __future__ import annotations

from typing import Any

from stakhanov.cli.output import cell, console, emit
from stakhanov.domain.disclosure import plain
from stakhanov.services.demo_governance import Showcase


def as_dict(showcase: Showcase | None) -> dict[str, Any]:
    if showcase is None:
        return {}
    return {
        "plan": showcase.plan,
        "plan_forecast_on_20_september": showcase.forecast,
        "revision": showcase.proposal,
    }


def show(showcase: Showcase | None, url: str) -> None:
    if showcase is None:
        return
    emit(
        showcase.plan,
        title="\nSeptember 1935 plan for hewing: 110% of August, split by capacity (as of 30 Sep)",
        as_json=False,
        csv_path=None,
        columns=("unit", "target", "actual", "percent", "derived"),
        right=("target", "actual", "percent"),
    )
    mid = showcase.forecast
    console.print(
        f"On {cell(mid['as_of'])} the mine had hewn {plain(mid['actual'])} t of "
        f"{plain(mid['target'])} t; at that run rate the forecast was {plain(mid['forecast'])} t "
        f"({cell(mid['forecast_percent'])}%)."
    )
    proposal = showcase.proposal
    stats = proposal["statistical"]
    excluded = ", ".join(f"{reason} {n}" for reason, n in stats["excluded"].items())
    records = [
        e for e in stats["exclusions"] if "prepared" in e["reasons"] and e["worker_id"] == "W001"
    ]
    console.print(
        f"\n[bold]Norm revision {proposal['revision_id']} (pending)[/bold]: the "
        f"{cell(stats['percentile'])}th percentile of fair fulfilment on hewing in September 1935 "
        f"is {cell(stats['value'])}% over {len(stats['sample'])} ordinary results, so the norm "
        f"would go from {cell(proposal['current']['norm'])} t to "
        f"{cell(proposal['proposed']['norm'])} t per 6 h "
        f"({cell(proposal['proposed']['raise_percent'])}%).\n"
        f"Results left out, by reason: {excluded}. Stakhanov's {len(records)} record shifts are"
        " among them (prepared and assisted), and so is every worker's own record.\n"
        f"Impact: {cell(proposal['impact']['share_meeting_percent'])}% of hewers would meet it; "
        f"experienced hewers would average {cell(proposal['impact']['experienced_average_new'])}%;"
        f" their September pay would go from {proposal['impact']['pay_old']} to "
        f"{proposal['impact']['pay_new']} RUB at the same output."
    )
    for warning in proposal["warnings"]:
        console.print(f"[yellow]warning:[/yellow] {warning}")
    console.print(
        f"\nGovern it: stakhanov --db {url} norms show {proposal['revision_id']}\n"
        f"           stakhanov --db {url} norms notice --worker W001 --on 1935-10-01\n"
        f"           stakhanov --db {url} plan status --period 1935-09 --as-of 1935-09-20\n"
        "           stakhanov simulate ratchet"
    )
