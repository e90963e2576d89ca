"""The benchmark scenario of benches/simulation.rs, modelled again in SimPy.

Payments arrive as a Poisson process (100 per second), each takes a duration
drawn uniformly from 1 s to 60 s (whole milliseconds), and every message
takes 50 ms one way. The polling gateway sends a status request for each
payment every 2 s, the first one 2 s after the payment is created, until it
has learned the final status. The webhook gateway receives one signed delivery
per payment, verifies its HMAC-SHA256 signature, stores and applies it and
responds 200; ABC Payment waits up to 15 s for that response.

The Rust engine models much more (retries, losses, rate limits, down
endpoints, replays), but with this scenario none of it happens, so this
model keeps only the paths the scenario takes. Virtual time is in
milliseconds, as in the Rust engine, and ties at the same millisecond run in
scheduling order in both.

Usage: python bench/simpy_model.py --payments 100000 [--seed 1] [--out FILE]
It prints one JSON document with each strategy's figures, wall time and CPU time.
"""

import argparse
import hashlib
import hmac
import json
import math
import random
import sys
import time

import simpy

ARRIVALS_PER_SECOND = 100.0
DURATION_MIN_MS = 1_000
DURATION_MAX_MS = 60_000
LATENCY_MS = 50
POLL_INTERVAL_MS = 2_000
DELIVERY_TIMEOUT_MS = 15_000
STORE_MS = 0
HANDLER_MS = 0
SECRET = b"whsec-bench-model-secret"


class World:
    """ABC Payment's and the gateway's state for one strategy, with the counters."""

    def __init__(self, env, payments):
        self.env = env
        self.final_at = [None] * payments
        self.provider_final = [False] * payments
        self.gateway_final = [False] * payments
        self.delays = []
        self.wasted = [0] * payments
        self.provider_requests = 0
        self.callbacks = 0
        self.claimed_events = set()
        self.signature_failures = 0

    def learn(self, payment):
        """Marks the payment final in the gateway's view and records its detection delay."""
        if not self.gateway_final[payment]:
            self.gateway_final[payment] = True
            self.delays.append(self.env.now - self.final_at[payment])


def draw_payments(count, seed):
    """Returns (created_at, duration) pairs in milliseconds, ordered by creation."""
    rng = random.Random(seed)
    mean_gap_ms = 1_000.0 / ARRIVALS_PER_SECOND
    created_at = 0
    payments = []
    for index in range(count):
        if index > 0:
            # 1 - random() lies in (0, 1], so the logarithm is finite.
            created_at += math.floor(-math.log(1.0 - rng.random()) * mean_gap_ms + 0.5)
        payments.append((created_at, rng.randint(DURATION_MIN_MS, DURATION_MAX_MS)))
    return payments


def source(env, world, payments, strategy):
    """Creates each payment at its time and starts its processes."""
    for index, (created_at, duration) in enumerate(payments):
        if created_at > env.now:
            yield env.timeout(created_at - env.now)
        env.process(provider_payment(env, world, index, duration, strategy))
        if strategy == "polling":
            env.process(poller(env, world, index))


def provider_payment(env, world, payment, duration, strategy):
    """ABC Payment processes the payment and, with webhooks, delivers the event."""
    yield env.timeout(duration)
    world.provider_final[payment] = True
    world.final_at[payment] = env.now
    if strategy == "webhook":
        yield from deliver(env, world, payment)


def poller(env, world, payment):
    """Sends a status request every poll interval until the gateway has learned the final status."""
    while True:
        yield env.timeout(POLL_INTERVAL_MS)
        if world.gateway_final[payment]:
            return
        env.process(status_request(env, world, payment))


def status_request(env, world, payment):
    """Sends one status request and returns its response, each one latency on the way."""
    yield env.timeout(LATENCY_MS)
    world.provider_requests += 1
    final = world.provider_final[payment]
    yield env.timeout(LATENCY_MS)
    if final:
        world.learn(payment)
    else:
        world.wasted[payment] += 1


def event_body(event_id, payment, created_s):
    return (
        f'{{"id":"evt_{event_id}","type":"payment.succeeded","created":{created_s},'
        f'"data":{{"object":"payment","id":"pay_{payment}","status":"succeeded"}}}}'
    )


def signature(event_id, timestamp_s, body):
    message = f"evt_{event_id}.{timestamp_s}.{body}".encode()
    return hmac.new(SECRET, message, hashlib.sha256).digest()


def deliver(env, world, payment):
    """Signs and sends ABC Payment's event, then waits for the endpoint's response or the timeout."""
    event_id = payment + 1
    timestamp_s = env.now // 1_000
    body = event_body(event_id, payment, timestamp_s)
    responded = env.event()
    sent_signature = signature(event_id, timestamp_s, body)
    env.process(webhook_request(env, world, payment, event_id, timestamp_s, body, sent_signature, responded))
    outcome = yield responded | env.timeout(DELIVERY_TIMEOUT_MS)
    if responded not in outcome:
        # NOTE: no response is ever late in this scenario, so the model has no retry schedule.
        raise RuntimeError(f"delivery of event {event_id} timed out, which this scenario never causes")


def webhook_request(env, world, payment, event_id, timestamp_s, body, sent_signature, responded):
    """Delivers the event: the endpoint verifies, stores and applies it and responds 200."""
    yield env.timeout(LATENCY_MS)
    world.callbacks += 1
    if not hmac.compare_digest(signature(event_id, timestamp_s, body), sent_signature):
        world.signature_failures += 1
        return
    if event_id in world.claimed_events:
        return
    world.claimed_events.add(event_id)
    yield env.timeout(STORE_MS)
    env.process(respond(env, responded))
    yield env.timeout(HANDLER_MS)
    world.learn(payment)


def respond(env, responded):
    """Sends the endpoint's 200 response back to ABC Payment."""
    yield env.timeout(LATENCY_MS)
    responded.succeed()


def expected_figures(strategy):
    """Returns the exact mean detection delay (ms) and wasted requests per payment of this model.

    A polling gateway sends request k at 2 s * k after creation. It reaches
    ABC Payment 50 ms later and reads the final status when the duration d is
    at most 2 s * k + 50 ms. The first such k gives a delay of
    2 s * k + 100 ms - d and k - 1 wasted requests; the mean runs over every
    whole-millisecond duration from 1 s to 60 s. A webhook arrives one
    latency after the payment completes and is stored and applied at once.
    """
    if strategy == "webhook":
        return LATENCY_MS + STORE_MS + HANDLER_MS, 0.0
    durations = range(DURATION_MIN_MS, DURATION_MAX_MS + 1)
    delay_sum = 0
    wasted_sum = 0
    for duration in durations:
        polls = max(1, math.ceil((duration - LATENCY_MS) / POLL_INTERVAL_MS))
        delay_sum += POLL_INTERVAL_MS * polls + 2 * LATENCY_MS - duration
        wasted_sum += polls - 1
    return delay_sum / len(durations), wasted_sum / len(durations)


def mean_and_sd(values):
    mean = sum(values) / len(values)
    variance = sum((value - mean) ** 2 for value in values) / (len(values) - 1) if len(values) > 1 else 0.0
    return mean, math.sqrt(variance)


def run(strategy, payments):
    env = simpy.Environment()
    world = World(env, len(payments))
    env.process(source(env, world, payments, strategy))
    started = time.perf_counter()
    cpu_started = time.process_time()
    env.run()
    elapsed_s = time.perf_counter() - started
    cpu_s = time.process_time() - cpu_started

    count = len(payments)
    if len(world.delays) != count:
        raise RuntimeError(f"{strategy}: the gateway learned {len(world.delays)} of {count} outcomes")
    if world.signature_failures:
        raise RuntimeError(f"{strategy}: {world.signature_failures} signatures failed to verify")
    delay_mean, delay_sd = mean_and_sd(world.delays)
    wasted_mean, wasted_sd = mean_and_sd(world.wasted)
    expected_delay, expected_wasted = expected_figures(strategy)
    return {
        "strategy": strategy,
        "payments": count,
        "elapsed_s": elapsed_s,
        "cpu_s": cpu_s,
        "payments_per_second": count / elapsed_s,
        "payments_per_cpu_second": count / cpu_s,
        "detected": len(world.delays),
        "mean_delay_ms": delay_mean,
        "sd_delay_ms": delay_sd,
        "provider_requests": world.provider_requests,
        "wasted_requests": sum(world.wasted),
        "callbacks": world.callbacks,
        "requests_per_payment": world.provider_requests / count,
        "wasted_per_payment": wasted_mean,
        "sd_wasted_per_payment": wasted_sd,
        "callbacks_per_payment": world.callbacks / count,
        "expected_mean_delay_ms": expected_delay,
        "expected_wasted_per_payment": expected_wasted,
    }


def main():
    parser = argparse.ArgumentParser(description="Run the benchmark scenario in SimPy, polling and webhook.")
    parser.add_argument("--payments", type=int, default=100_000, help="number of payments per strategy (default 100000)")
    parser.add_argument("--seed", type=int, default=1, help="seed of Python's random generator (default 1)")
    parser.add_argument("--out", help="also write the JSON document to this file")
    args = parser.parse_args()
    if args.payments < 1:
        parser.error(f"invalid --payments {args.payments}: expected at least 1")

    payments = draw_payments(args.payments, args.seed)
    lanes = []
    for strategy in ("polling", "webhook"):
        print(f"[simpy] running {strategy} with {args.payments} payments", file=sys.stderr)
        lanes.append(run(strategy, payments))
        print(f"[simpy] {strategy}: {lanes[-1]['elapsed_s']:.1f} s", file=sys.stderr)

    document = {"simpy_version": simpy.__version__, "python": sys.version.split()[0], "seed": args.seed, "lanes": lanes}
    text = json.dumps(document, indent=2)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as file:
            file.write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
