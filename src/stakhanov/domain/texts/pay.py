"""Pay line explanations (domain/earnings.py, payroll.py, rest_pay.py, guarantees.py, overtime,
surcharges, pay plans, adjustments, lock checks, awards, work orders; the engine's SQL writes
the same texts). A line is matched whole, else part by part between "; "; a placeholder that
holds words is matched again (a line's `basis`, a deduction's `base`)."""

from __future__ import annotations

from stakhanov.domain.texts import T_

TEMPLATES: tuple[str, ...] = (
    # piece work and its notes (earnings.py)
    T_(
        "{date} shift {shift}, {operation}: {quantity} {unit} accepted x piece rate "
        "{rate} = {amount}"
    ),
    T_("{date} shift {shift}, {operation}: {quantity} {unit} accepted, {plan}"),
    T_("piece rate = {formula}"),
    T_("tariff {tariff}/h x {norm} min / 60"),
    T_("tariff {tariff}/h x {hours} h / {norm} {unit}"),
    T_("rate card {card}: {rate} per {per}"),
    T_("rate card {card}: {rate} per {per} x {factor} {per} per {unit}"),
    T_("assisted: the tiers count the fair {fair}%% of the norm, not the stated {stated}%%"),
    T_("pooled: the tiers count the fair {fair}%% of the norm, not the stated {stated}%%"),
    T_("assisted: the plan counts the fair {fair}%% of the norm, not the stated {stated}%%"),
    T_("pooled: the plan counts the fair {fair}%% of the norm, not the stated {stated}%%"),
    T_("{quantity} {unit} rejected on this shift is not paid"),
    T_(
        "{date} shift {shift}, {operation}: {counted}; output above {above}%% ({threshold} "
        "{unit}): {quantity} - {threshold} = {eligible} {unit} x {rate} x ({multiplier} - "
        "{previous}) = {amount}"
    ),
    T_("{percent}%% of the {norm} {unit} norm for {hours} h"),
    T_("fair {percent}%% of the norm (assisted or pooled: the crew's norm share is {norm} {unit})"),
    # shift and period bonuses (earnings.bonus_line)
    T_(
        "{date} shift {shift}, {operation} (prepared, {percent}%% of the norm): {bonus}, "
        "{amount} per shift"
    ),
    T_(
        "{date} shift {shift}, {operation} (standard, {percent}%% of the norm): {bonus}, "
        "{amount} per shift"
    ),
    T_(
        "{date} shift {shift}, {operation} (prepared, {percent}%% of the norm): {bonus}, "
        "{share}%% of piece earnings {earnings} = {amount}"
    ),
    T_(
        "{date} shift {shift}, {operation} (standard, {percent}%% of the norm): {bonus}, "
        "{share}%% of piece earnings {earnings} = {amount}"
    ),
    T_("{where} ({percent}%% of the norm): {bonus}, {amount} per period"),
    T_(
        "{where} ({percent}%% of the norm): {bonus}, {share}%% of piece earnings "
        "{earnings} = {amount}"
    ),
    T_("{period} under {label}"),
    T_("{period} under {name} (versions {versions})"),
    # time work and work no scale pays
    T_(
        "{date} shift {shift}, {operation} (no measured output of its own): {hours} h x tariff "
        "{tariff} x {fraction} = {amount}"
    ),
    T_(
        "{date} shift {shift}, {operation} (no measured output of its own): {hours} h, not paid "
        "as time work ({label} has no [time_work])"
    ),
    T_(
        "{date} shift {shift}, {operation}: {hours} h, {quantity} {unit} accepted: not paid (no "
        "single scale covers {operation} on {date})"
    ),
    T_(
        "{date} shift {shift}, {operation}: {hours} h: not paid (no single scale covers "
        "{operation} on {date})"
    ),
    # idle, rest, non-productive and hourly time
    T_("{date} idle time, {operation}"),
    T_("{date} idle time, {operation} ({note})"),
    T_("{date} rest time, {operation}"),
    T_("{date} rest time, {operation} ({note})"),
    T_("{date} nonproductive time, {operation}"),
    T_("{date} nonproductive time, {operation} ({note})"),
    T_("{date} hourly time, {operation}"),
    T_("{date} hourly time, {operation} ({note})"),
    T_(
        "{what}, not the worker's fault: guaranteed {hours} h x tariff {tariff} x "
        "{fraction} = {amount}"
    ),
    T_(
        "{what}, hourly work without measured output: {hours} h x tariff {tariff} x "
        "{fraction} = {amount}"
    ),
    T_("{what}: {hours} h x {rate} ({basis}) = {amount}"),
    T_(
        "{what}, idle through the employer's fault (art. 157): {hours} h x tariff {tariff} x "
        "{fraction} = {amount}"
    ),
    T_(
        "{what}, idle through reasons beyond both parties' control (art. 157): {hours} h x tariff "
        "{tariff} x {fraction} = {amount}"
    ),
    T_(
        "{what}, idle through the employer's fault (art. 157): {average}; {hours} h x {rate} x "
        "{fraction} = {amount}"
    ),
    T_("{what}: not paid ({reason})"),
    T_("no single scale covers this operation"),
    T_("no tariff"),
    T_("{label} has no [guarantee]"),
    T_("{label} has no [time_work]"),
    T_("{label} has no [rest]"),
    T_("idle through the worker's own fault"),
    T_("the employer's fault; {label} has no [guarantee]"),
    T_("reasons beyond both parties' control; {label} has no [guarantee]"),
    # the rate of rest and non-productive time (rest_pay.py) and the average wage
    T_("average piece earnings of the week {first}..{last}: {earned} / {hours} h"),
    T_("no piece work in the week {first}..{last}: the tariff"),
    T_("no hours but rest in the week {first}..{last}: the tariff"),
    T_(
        "average of all pay of the week {first}..{last} but rest pay: {earned} / ({hours} h - "
        "{resting} h of rest)"
    ),
    T_("minimum wage {wage_rate}"),
    T_("tariff {tariff}"),
    T_("minimum wage {wage_rate} x {fraction}"),
    T_("tariff {tariff} x {fraction}"),
    T_("{how} = {rate}, below the floor {floor}"),
    T_("nothing accrued or worked in {window}"),
    T_("{average}, so the tariff {tariff} stands for the average wage"),
    T_(
        "average hourly earnings over {window}: accrued {earnings} in {count} closed period / "
        "{hours} h worked = {hourly}"
    ),
    T_(
        "average hourly earnings over {window}: accrued {earnings} in {count} closed periods / "
        "{hours} h worked = {hourly}"
    ),
    # pay plans other than marginal (pay_plans.py)
    T_("{percent}%% of the norm"),
    T_("time wage {hours} h x {tariff} = {wage_amount}"),
    T_(
        "differential: {percent_of_norm}, band x{multiplier} on all units: {quantity} x "
        "{rate} x {multiplier} = {amount}"
    ),
    T_(
        "Halsey: {wage}; time saved {standard} - {hours} = {saved} h x {share}%% x {tariff} = "
        "{premium}; total {amount}"
    ),
    T_(
        "Rowan: {wage}; + {wage_amount} x time saved {saved} h / standard {standard} h = "
        "{premium}; total {amount}"
    ),
    T_(
        "Emerson: {wage}; efficiency {standard} / {hours} h = {percent_of_norm}, bonus {share}%% x "
        "{wage_amount} = {premium}; total {amount}"
    ),
    T_("task and bonus: {percent_of_norm}, below task: guaranteed {wage}"),
    T_(
        "task and bonus: {percent_of_norm}, task reached: task time {standard} h x {tariff} = "
        "{task_wage} + {share}%% = {amount}"
    ),
    # guarantees and the weekly minimum wage (guarantees.py, payroll.py)
    T_(
        "shift {day}: guaranteed {hours} h x {how} = {due}; earned {earned}; make-up {due} - "
        "{earned} = {shortfall}, rounded up"
    ),
    T_(
        "shift {day}: guaranteed {hours} productive h x {how} = {due}; earned {earned}; make-up "
        "{due} - {earned} = {shortfall}, rounded up"
    ),
    T_(
        "week {first}..{last}: guaranteed {hours} h x {how} = {due}; earned {earned}; make-up "
        "{due} - {earned} = {shortfall}, rounded up"
    ),
    T_(
        "week {first}..{last}: guaranteed {hours} productive h x {how} = {due}; earned {earned}; "
        "make-up {due} - {earned} = {shortfall}, rounded up"
    ),
    T_(
        "week {first}..{last}: minimum {hours} h x {hourly} = {due}; earned {earned}; make-up "
        "{due} - {earned} = {shortfall}, rounded up"
    ),
    # tiers counted over the period (payroll.py)
    T_(
        "{where}: {counted}; above {above}%% ({limit}): {stated} - {norm_hours} = {eligible} "
        "norm-h x tariff {tariff} x ({multiplier} - {previous}) = {amount}"
    ),
    T_("{stated} norm-hours earned in {hours} h, {percent}%% counted for tiers"),
    T_("{stated} norm-hours earned in {hours} h"),
    T_(
        "{stated} norm-hours earned in {hours} h under this version; over the period {all_stated} "
        "norm-hours in {all_hours} h, {percent}%% counted for tiers"
    ),
    T_(
        "{stated} norm-hours earned in {hours} h under this version; over the period {all_stated} "
        "norm-hours in {all_hours} h"
    ),
    T_(
        "for tiers, assisted or pooled shifts count at their crews' fair percent: {fair} "
        "norm-hours in {hours} h = {percent}%%"
    ),
    T_("{norm_hours} norm-h"),
    T_("{norm_hours} norm-h = {stated} x {hours} / {fair}"),
    T_("{norm_hours} norm-h = {stated} x {hours} / {fair} x {above}%%"),
    # overtime (overtime.py, period_overtime.py)
    T_("week {first}..{last}: {hours} h of overtime ({over}) at x {factor}; {base}; premium {how}"),
    T_("over {day_hours} h a day"),
    T_("over {week_hours} h a week"),
    T_("the seventh consecutive day"),
    T_("over {day_hours} h a day, over {week_hours} h a week"),
    T_("over {day_hours} h a day, the seventh consecutive day"),
    T_("over {week_hours} h a week, the seventh consecutive day"),
    T_("over {day_hours} h a day, over {week_hours} h a week, the seventh consecutive day"),
    T_("regular rate = straight-time pay {earned} / {hours} h = {rate}"),
    T_(
        "piece earnings in the overtime hours (each day's spread over its hours): {parts} = {piece}"
    ),
    T_("{day}: {earned} x {hours} / {day_hours} h"),
    T_("{hours} h x {rate} x ({factor} - 1) = {amount}"),
    T_("{piece} x ({factor} - 1) = {amount}"),
    T_(
        "accounting period {accounting} (summarised accounting): {worked} h worked; norm "
        "{norm_hours} h; overtime {over_hours} h; hours {since}..{until} of it at x {factor}: "
        "premium {hours} h x tariff {tariff} x ({factor} - 1) = {amount}"
    ),
    T_(
        "accounting period {accounting} (summarised accounting): {worked} h worked less "
        "{doubled} h on days paid double under art. 153 ({days}) = {counted_hours} h; norm "
        "{norm_hours} h; overtime {over_hours} h; hours {since}..{until} of it at x {factor}: "
        "premium {hours} h x tariff {tariff} x ({factor} - 1) = {amount}"
    ),
    # work on rest days and at night (shift_surcharges.py)
    T_("{day}: {hours} h of work on {why}, paid at x {factor}; surcharge {how}"),
    T_("{hours} h x tariff {tariff} x ({factor} - 1) = {amount}"),
    T_("a non-working day of the calendar ({name})"),
    T_("a weekly rest day (Monday)"),
    T_("a weekly rest day (Tuesday)"),
    T_("a weekly rest day (Wednesday)"),
    T_("a weekly rest day (Thursday)"),
    T_("a weekly rest day (Friday)"),
    T_("a weekly rest day (Saturday)"),
    T_("a weekly rest day (Sunday)"),
    T_("the day's piece, tier and time-work pay {earned} x ({factor} - 1) = {amount}"),
    T_(
        "{date} shift {shift}, {time_from}-{time_to}: {night} h between {clock_from} and "
        "{clock_to}; {hours} h x tariff {tariff} x {percent}%% = {amount}"
    ),
    T_(
        "{date} shift {shift}, {time_from}-{time_to}: {night} h between {clock_from} and "
        "{clock_to}; {worked} h worked of the {span} h span: {night} x {worked} / {span} = "
        "{night_hours} night hours; {hours} h x tariff {tariff} x {percent}%% = {amount}"
    ),
    # deductions and their caps (payroll.py)
    T_("{name}: {amount} per period"),
    T_("{name}: {percent}%% of {base} = {exact}"),
    T_(
        "{name}: {amount} per period (no work paid by a scale this period: the deductions of "
        "{label}, the first scale in force on {date})"
    ),
    T_(
        "{name}: {amount} per period (no work paid by a scale this period: the deductions of "
        "{label}, the first scale in force on {date} that pays grade {grade})"
    ),
    T_(
        "{name}: {percent}%% of {base} = {exact} (no work paid by a scale this period: the "
        "deductions of {label}, the first scale in force on {date})"
    ),
    T_(
        "{name}: {percent}%% of {base} = {exact} (no work paid by a scale this period: the "
        "deductions of {label}, the first scale in force on {date} that pays grade {grade})"
    ),
    T_("gross {gross}"),
    T_(
        "this period's earnings {earned} (gross {gross} less {adjusted} of adjustments to earlier "
        "periods, whose deductions are adjusted with them)"
    ),
    T_("capped at {percent}%% of gross {gross} = {amount}"),
    T_("capped at {percent}%% of earnings {gross} = {amount}"),
    T_("capped: all deductions together at most {percent}%% of gross {gross}, {left} left"),
    T_("capped: all deductions together at most {percent}%% of earnings {gross}, {left} left"),
    T_("capped: deductions never take more than the gross {gross}, {left} left"),
    T_("capped: deductions never take more than the earnings {gross}, {left} left"),
    T_(
        "{date} shift {shift}, {operation}: {quantity} {unit} rejected through the worker's own "
        "fault x piece rate {rate} x {share} = {amount}"
    ),
    T_(
        "{date} shift {shift}, {operation}: {quantity} {unit} rejected through the worker's own "
        "fault ({note}) x piece rate {rate} x {share} = {amount}"
    ),
    # corrections of closed periods (adjustments.py) and locks over open findings (lock_checks)
    T_(
        "correction of {period}, {line}: paid {was}, due {due}; {due} - {was} = "
        "{difference} ({what})"
    ),
    T_("now: {explain}"),
    T_("the line no longer applies"),
    T_("paid over open {blockers} (locked with override: {reason})"),
    # bonuses from other modules: awards, work orders, method rewards (payroll._external)
    T_("{date} {explain} ({reference})"),
    T_("award {award}"),
    T_("{code} (title {title})"),
    T_("{code} (title {title}): {reason}"),
    T_("{code} (record {claim})"),
    T_("{code} (record {claim}): {reason}"),
    T_(
        "work order {order} ({unit}, {start}..{end}, split by {split}): fund {how}; weight "
        "{factors} = {weight} of total weight {total}; share {fund} x {weight} / {total} = "
        "{exact}, {amount} by largest remainder"
    ),
    T_("fixed {fund}"),
    T_("accepted output {quantity} {unit} x rate {rate} = {exact}, rounded to {fund}"),
    T_(
        "method {method_id} ({method_title}), revision {revision}: {quantity} {unit} of "
        "{operation} {start}..{end} x ({old} - {new}) h = {saved} h saved x tariff {tariff} x "
        "share {share} = {amount} {currency}, in {shares}"
    ),
)
