"""How a norm was set, in words (domain/provenance.py): the method's phrase, a time study's
figures, then the evidence and approval as the rate-setter typed them; and what meeting it
takes in a shift with its breaks (domain/disclosure.py), on the written notice; the evidence a
revision keeps when it takes effect, and a method's adoption (services/revisions.py, methods.py),
parts of which a person typed; a method's state (domain/methods.py)."""

from __future__ import annotations

from stakhanov.domain.texts import T_

TEMPLATES: tuple[str, ...] = (
    T_("the method is not recorded"),
    T_("set by technical calculation from the equipment and method"),
    T_("set by time study"),
    T_("set by statistics of recorded output"),
    T_("set by decree"),
    T_("set by {method}"),
    T_("{how} ({observations} observations, pace rating {pace}%%, allowances {allowances}%%)"),
    T_("evidence: {evidence}"),
    T_("approved by {approved_by}"),
    T_("revision {revision} (technical)"),
    T_("revision {revision} (time study)"),
    T_("revision {revision} (statistical)"),
    T_(
        "{percentile}th percentile of fair fulfilment {first}..{last}: {value}%% over {count} "
        "results; excluded: none"
    ),
    T_(
        "{percentile}th percentile of fair fulfilment {first}..{last}: {value}%% over {count} "
        "results; excluded: {excluded}"
    ),
    T_("method {method_id} ({method_title}) by {authors}: {change}"),
    T_("method {method_id}: {reason}"),
    T_("evidence: none given"),
    T_("time study: {study}"),
    T_("submitted"),
    T_("under evaluation"),
    T_("adopted"),
    T_("rejected"),
    T_(
        "shift of {shift_hours} h: {output} {unit} with {breaks} min of mandated breaks, "
        "{per_hour} {unit} per working hour (pace {pace}%% while working)"
    ),
    T_(
        "shift of {shift_hours} h: {output} {unit} with {breaks} min of mandated breaks, "
        "{per_hour} {unit} per working hour — DOES NOT FIT THE BREAKS: needs {pace}%% pace "
        "while working"
    ),
    T_(
        "shift of {shift_hours} h: {output} {unit} with {breaks} min of mandated breaks, "
        "{per_hour} {unit} per working hour — CANNOT BE MET: more than the physical maximum or "
        "no working time"
    ),
)
