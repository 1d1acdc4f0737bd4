"""The column headings of the main commands' tables, marked for translation.

A table's column is named by its JSON key (the contract); the heading people read is that key
with spaces, looked up in the catalog, so a key not listed here shows in English.
"""

from __future__ import annotations

from stakhanov.i18n import N_

HEADINGS = (
    # what blocks a period's lock (payroll check)
    N_("kind"),
    N_("subject"),
    N_("workers"),
    N_("blocks"),
    N_("what"),
    N_("yes"),
    N_("yes, no override"),
    N_("no"),
    # import
    N_("file"),
    N_("added"),
    N_("unchanged"),
    N_("corrected"),
    N_("withdrawn"),
    # pay slips and periods
    N_("worker id"),
    N_("name"),
    N_("currency"),
    N_("gross"),
    N_("deducted"),
    N_("net"),
    N_("lines"),
    N_("code"),
    N_("quantity"),
    N_("rate"),
    N_("amount"),
    N_("explain"),
    # reports
    N_("shift id"),
    N_("date"),
    N_("unit"),
    N_("operation"),
    N_("norm"),
    N_("output"),
    N_("hours"),
    N_("fulfilment"),
    N_("fair"),
    N_("stated"),
    N_("brigade"),
    N_("period"),
    N_("status"),
)
