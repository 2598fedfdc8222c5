"""Tests of scripts/price-server.py: scenarios move prices as specified, switching continues from
the current prices, bad scenarios are refused, and the HTTP endpoints serve what the oracle reads."""

import importlib.util
import json
import shutil
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request
from http.server import ThreadingHTTPServer
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "price-server.py"
spec = importlib.util.spec_from_file_location("price_server", SCRIPT)
price_server = importlib.util.module_from_spec(spec)
spec.loader.exec_module(price_server)


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


class ScenarioTests(unittest.TestCase):
    def setUp(self):
        self.clock = FakeClock()
        self.market = price_server.Market(price_server.load_scenario("steady"), clock=self.clock)

    def test_steady_holds_reference_prices(self):
        self.clock.now = 3600
        self.assertEqual(self.market.prices(), {"DOT": 7.5, "BTC": 95000.0, "ETH": 3500.0, "USDC": 1.0})

    def test_crash_falls_linearly_then_holds(self):
        self.market.switch(price_server.load_scenario("crash"))
        self.clock.now = 30
        self.assertAlmostEqual(self.market.prices()["DOT"], 7.5 * 0.8)
        self.clock.now = 60
        self.assertAlmostEqual(self.market.prices()["DOT"], 7.5 * 0.6)
        self.clock.now = 600
        prices = self.market.prices()
        self.assertAlmostEqual(prices["DOT"], 4.5)
        self.assertAlmostEqual(prices["BTC"], 66500.0)
        self.assertAlmostEqual(prices["ETH"], 2275.0)
        self.assertEqual(prices["USDC"], 1.0)

    def test_switching_continues_from_current_prices(self):
        self.market.switch(price_server.load_scenario("crash"))
        self.clock.now = 60
        self.market.switch(price_server.load_scenario("recovery"))
        self.assertAlmostEqual(self.market.prices()["DOT"], 4.5)
        self.clock.now = 120
        self.assertAlmostEqual(self.market.prices()["DOT"], 6.0)
        self.clock.now = 180
        self.assertAlmostEqual(self.market.prices()["DOT"], 7.5)
        self.assertEqual(self.market.status()["scenario"], "recovery")

    def test_unknown_and_malformed_scenarios_are_refused(self):
        with self.assertRaisesRegex(ValueError, "no scenario 'nope'"):
            price_server.load_scenario("nope")
        bad = Path(tempfile.mkdtemp()) / "bad.json"
        self.addCleanup(shutil.rmtree, bad.parent)
        bad.write_text(json.dumps({"moves": [{"seconds": 10, "to": {"DOT": 1}, "change_pct": {"DOT": 1}}]}))
        with self.assertRaisesRegex(ValueError, "exactly one"):
            price_server.load_scenario(str(bad))
        bad.write_text(json.dumps({"prices": {"DOT": -1}}))
        with self.assertRaisesRegex(ValueError, "positive"):
            price_server.load_scenario(str(bad))
        bad.write_text(json.dumps({"delays": {"DOT": "slow"}}))
        with self.assertRaisesRegex(ValueError, "delay of DOT"):
            price_server.load_scenario(str(bad))

    def test_slow_sources_delay_three_symbols_and_keep_prices(self):
        self.market.switch(price_server.load_scenario("slow-sources"))
        self.clock.now = 100.0
        self.assertEqual([self.market.delay(s) for s in ("DOT", "BTC", "ETH", "USDC")], [2.5, 2.5, 2.5, 0])
        self.assertEqual(self.market.prices()["DOT"], 7.5)


class HttpTests(unittest.TestCase):
    def setUp(self):
        market = price_server.Market(price_server.load_scenario("steady"))
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), price_server.make_handler(market))
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        # The slow-sources scenario's shape with a short delay, to keep the test quick.
        self.delays = Path(tempfile.mkdtemp()) / "delays.json"
        self.addCleanup(shutil.rmtree, self.delays.parent)
        self.delays.write_text(json.dumps({"delays": {"DOT": 0.3}, "moves": []}))

    def tearDown(self):
        self.server.shutdown()
        self.server.server_close()

    def get(self, path):
        with urllib.request.urlopen(self.base + path, timeout=5) as response:
            return json.loads(response.read())

    def post(self, path, body):
        request = urllib.request.Request(self.base + path, data=json.dumps(body).encode(), method="POST")
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.loads(response.read())

    def test_prices_and_single_price(self):
        self.assertEqual(self.get("/prices")["BTC"], {"usd": 95000.0})
        self.assertEqual(self.get("/price/eth"), {"symbol": "ETH", "usd": 3500.0})

    def test_unknown_symbol_is_404(self):
        with self.assertRaises(urllib.error.HTTPError) as raised:
            self.get("/price/XYZ")
        self.assertEqual(raised.exception.code, 404)

    def test_a_delayed_symbol_answers_late_and_the_others_at_once(self):
        self.post("/scenario", {"scenario": str(self.delays)})
        started = time.monotonic()
        self.assertEqual(self.get("/price/USDC")["usd"], 1.0)
        self.assertLess(time.monotonic() - started, 0.2)
        self.assertEqual(self.get("/price/DOT")["usd"], 7.5)
        self.assertGreaterEqual(time.monotonic() - started, 0.3)

    def test_switch_over_http(self):
        self.assertEqual(self.post("/scenario", {"scenario": "crash"})["scenario"], "crash")
        self.assertEqual(self.get("/scenario")["scenario"], "crash")
        with self.assertRaises(urllib.error.HTTPError) as raised:
            self.post("/scenario", {"scenario": "nope"})
        self.assertEqual(raised.exception.code, 400)


if __name__ == "__main__":
    unittest.main()
