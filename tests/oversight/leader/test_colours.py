"""Red on the leader's view marks only what is wrong: past its deadline. What merely awaits
someone (a trace flag to verify, a finding taken to a case, a sample's follow-up) is not red."""

from __future__ import annotations

import re

from tests.conftest import County, client_for
from tests.oversight.leader.helpers import URL

LATE = {
    "rectifications_overdue",
    "rectifications_warned",
    "supervision_overdue",
    "reviews_pending",
    "cases_overdue",
}
AWAITING = {"trace_open", "findings_escalated", "samples_open"}


def test_only_late_counts_are_red(live: County) -> None:
    response = client_for(live.leader).get(URL)
    html = response.content.decode()
    view = response.context["view"]
    assert {item.key for item in view.items} == LATE | AWAITING
    for item in view.items:
        assert item.count > 0, item.key
        card = html[html.index(f'data-testid="count-{item.key}"') :].split("</div>")[0]
        assert ("text-danger" in card) == (item.key in LATE), item.key


def test_only_late_columns_of_the_units_table_are_red(live: County) -> None:
    response = client_for(live.leader).get(URL)
    html = response.content.decode()
    labels = {item.label: item.key for item in response.context["view"].items}
    table = html[html.index('data-testid="by-unit"') :].split("</table>")[0]
    cells = re.findall(
        r'<td class="text-end( text-danger)?" data-label="([^"]+)">(\d*)</td>', table
    )
    assert cells
    red = {labels[label] for danger, label, n in cells if danger}
    assert red and red <= LATE
    awaiting = {labels[label] for danger, label, n in cells if n and labels[label] in AWAITING}
    assert awaiting  # there are counts of what awaits someone, and they are not red
