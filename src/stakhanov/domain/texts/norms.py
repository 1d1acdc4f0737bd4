"""How a norm was set, in words (domain/provenance.py): the method's phrase, a time study's
figures, then the evidence and approval as the rate-setter typed them; and what meeting it
takes in a shift with its breaks (domain/disclosure.py), on the written notice."""

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
