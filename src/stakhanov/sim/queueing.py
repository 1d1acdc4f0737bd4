"""Queueing results that check the simulation: what a simple flow line turns out in theory.

Two stations in a row, one worker each, exponential working times (variability 1) at rates
mu1 and mu2, the first never short of work, and a buffer of B places between them that the
first station reserves when it starts a batch (it starts only with a free place). With n the
batches at the second station (waiting or worked), the line is a birth-death chain on
0..B+1: the first station adds one at rate mu1 while n <= B, the second removes one at rate
mu2 while n >= 1. So p(n) is proportional to rho^n with rho = mu1/mu2, and the line turns out
mu2 x (1 - p(0)) batches an hour.
"""

from __future__ import annotations

from fractions import Fraction


def tandem_throughput(mu1: Fraction, mu2: Fraction, buffer: int) -> Fraction:
    """Batches an hour of the two-station line with a buffer of `buffer` places."""
    states = buffer + 2
    rho = mu1 / mu2
    weights = [rho**n for n in range(states)]
    return mu2 * (1 - weights[0] / sum(weights, Fraction(0)))


def bottleneck_bound(rates: list[Fraction]) -> Fraction:
    """No line turns out more than its slowest station, whatever its buffers."""
    return min(rates)


def single_server_utilisation(arrival_rate: Fraction, service_rate: Fraction) -> Fraction:
    """M/M/1 (and any single server with a stable queue): the server is busy lambda/mu of the
    time, and everything that arrives leaves, so the throughput is lambda."""
    if arrival_rate >= service_rate:
        raise ValueError("the queue is unstable: arrivals at or above the service rate")
    return arrival_rate / service_rate
