#!/usr/bin/env python3
"""A local price server for Lever's dev chain and end-to-end tests.

Serves USD prices as JSON on 127.0.0.1, driven by a scenario file (scripts/price-scenarios/):
  steady    prices hold at their reference levels;
  crash     prices fall by a percentage over some seconds;
  recovery  prices climb back to their reference levels;
  slow-sources  three of the four /price/<SYMBOL> endpoints answer 2.5 s late.
A scenario sets prices ("prices") and/or moves them linearly, one move after another ("moves": each
with "seconds" and either "change_pct", relative to the price when the move starts, or "to",
absolute targets), and may delay the answers of /price/<SYMBOL> ("delays": seconds per symbol).
Switching scenario while running continues from the current prices.

Endpoints:
  GET  /prices             {"DOT": {"usd": 7.5}, ...}
  GET  /price/<SYMBOL>     {"symbol": "DOT", "usd": 7.5}
  GET  /scenario           the running scenario's name, description and seconds since it started
  POST /scenario           body {"scenario": "crash"} (a name in price-scenarios/ or a file path)

Usage:
  scripts/price-server.py serve [--port 8000] [--scenario steady]
  scripts/price-server.py switch crash [--port 8000]

Standard library only.
"""

import argparse
import json
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SCENARIO_DIR = Path(__file__).resolve().parent / "price-scenarios"


def load_scenario(name_or_path):
    """Reads a scenario by name (from price-scenarios/) or by path, and checks its shape."""
    path = Path(name_or_path)
    if not path.suffix:
        path = SCENARIO_DIR / f"{name_or_path}.json"
    try:
        scenario = json.loads(path.read_text())
    except FileNotFoundError:
        known = ", ".join(sorted(p.stem for p in SCENARIO_DIR.glob("*.json")))
        raise ValueError(f"no scenario '{name_or_path}' (known: {known})") from None
    except json.JSONDecodeError as error:
        raise ValueError(f"{path} is not valid JSON: {error}") from None
    for symbol, price in scenario.get("prices", {}).items():
        if not isinstance(price, (int, float)) or price <= 0:
            raise ValueError(f"{path}: price of {symbol} must be a positive number")
    for move in scenario.get("moves", []):
        if not isinstance(move.get("seconds"), (int, float)) or move["seconds"] <= 0:
            raise ValueError(f"{path}: every move needs positive 'seconds'")
        if ("change_pct" in move) == ("to" in move):
            raise ValueError(f"{path}: a move has exactly one of 'change_pct' and 'to'")
    for symbol, delay in scenario.get("delays", {}).items():
        if not isinstance(delay, (int, float)) or delay < 0:
            raise ValueError(f"{path}: the delay of {symbol} must be a number of seconds, at least 0")
    scenario["name"] = path.stem
    return scenario


class Market:
    """The current prices: a scenario applied from the prices at the moment it started."""

    def __init__(self, scenario, clock=time.monotonic):
        self._clock = clock
        self._lock = threading.Lock()
        self._base = {}
        self._start(scenario)

    def _start(self, scenario):
        self._base = {**self._base, **scenario.get("prices", {})}
        self._scenario = scenario
        self._started = self._clock()

    def switch(self, scenario):
        """Continues from the current prices with a new scenario."""
        with self._lock:
            self._base = self._prices_at(self._clock())
            self._start(scenario)

    def _prices_at(self, now):
        prices = dict(self._base)
        elapsed = now - self._started
        for move in self._scenario.get("moves", []):
            fraction = min(max(elapsed / move["seconds"], 0.0), 1.0)
            if "change_pct" in move:
                targets = {s: prices[s] * (1 + pct / 100) for s, pct in move["change_pct"].items() if s in prices}
            else:
                targets = {s: float(v) for s, v in move["to"].items()}
            for symbol, target in targets.items():
                start = prices.get(symbol, target)
                prices[symbol] = start + (target - start) * fraction
            elapsed -= move["seconds"]
            if elapsed <= 0:
                break
        return prices

    def prices(self):
        with self._lock:
            return self._prices_at(self._clock())

    def delay(self, symbol):
        """Seconds the running scenario delays /price/<symbol>'s answer."""
        with self._lock:
            return self._scenario.get("delays", {}).get(symbol, 0)

    def status(self):
        with self._lock:
            return {
                "scenario": self._scenario["name"],
                "description": self._scenario.get("description", ""),
                "seconds": round(self._clock() - self._started, 3),
            }


def make_handler(market):
    class Handler(BaseHTTPRequestHandler):
        def _send(self, status, body):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            prices = market.prices()
            if self.path == "/prices":
                self._send(200, {s: {"usd": round(p, 8)} for s, p in prices.items()})
            elif self.path.startswith("/price/"):
                symbol = self.path[len("/price/"):].upper()
                time.sleep(market.delay(symbol))
                if symbol in prices:
                    self._send(200, {"symbol": symbol, "usd": round(prices[symbol], 8)})
                else:
                    self._send(404, {"error": f"unknown symbol {symbol}"})
            elif self.path == "/scenario":
                self._send(200, market.status())
            else:
                self._send(404, {"error": "try /prices, /price/<SYMBOL> or /scenario"})

        def do_POST(self):
            if self.path != "/scenario":
                self._send(404, {"error": "POST /scenario with {\"scenario\": name}"})
                return
            try:
                length = int(self.headers.get("Content-Length", "0"))
                name = json.loads(self.rfile.read(length) or b"{}")["scenario"]
                market.switch(load_scenario(name))
            except (KeyError, ValueError, json.JSONDecodeError) as error:
                self._send(400, {"error": str(error)})
                return
            print(f"price-server: switched to scenario '{name}'", flush=True)
            self._send(200, market.status())

        def log_message(self, format, *args):
            pass

    return Handler


def serve(port, scenario_name):
    market = Market(load_scenario(scenario_name))
    server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(market))
    print(f"price-server: scenario '{scenario_name}' on http://127.0.0.1:{server.server_port}/prices", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def switch(port, scenario_name):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/scenario",
        data=json.dumps({"scenario": scenario_name}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            print(json.loads(response.read()))
    except urllib.error.HTTPError as error:
        sys.exit(f"price-server refused: {json.loads(error.read()).get('error')}")
    except urllib.error.URLError as error:
        sys.exit(f"no price server on port {port} ({error.reason}); start one with `price-server.py serve`")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    serve_cmd = commands.add_parser("serve", help="serve prices")
    serve_cmd.add_argument("--port", type=int, default=8000)
    serve_cmd.add_argument("--scenario", default="steady")
    switch_cmd = commands.add_parser("switch", help="switch a running server's scenario")
    switch_cmd.add_argument("scenario")
    switch_cmd.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    try:
        if args.command == "serve":
            serve(args.port, args.scenario)
        else:
            switch(args.port, args.scenario)
    except ValueError as error:
        sys.exit(f"price-server: {error}")


if __name__ == "__main__":
    main()
