"""bench/multihost.py runs the deployment files in deploy/: its readers of them, checked here on the
real files (the benchmark itself needs root and network namespaces, so it is not run by the tests)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _multihost():
    spec = importlib.util.spec_from_file_location("bench_multihost", ROOT / "bench" / "multihost.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def test_the_units_run_pb_with_the_settings_file(tmp_path):
    multihost = _multihost()
    env_path = tmp_path / "pb.env"
    env_path.write_text((ROOT / "deploy" / "pb.env.example").read_text())
    command, env = multihost.unit_command(ROOT / "deploy" / "pb.service", env_path)
    assert command == [sys.executable, "-m", "pb.cli", "run"]
    assert env["PB_ENV"] == "production" and env["PB_HOST"] == "0.0.0.0" and env["PB_REDIS_URL"].startswith("redis://")
    command, _ = multihost.unit_command(ROOT / "deploy" / "pb-migrate.service", env_path)
    assert command[-1] == "migrate"


def test_settings_are_replaced_in_place_and_added():
    multihost = _multihost()
    text = "# PB_WORKERS=9 is a comment\nPB_WORKERS=2\nPB_ENV=production\n"
    changed = multihost.with_settings(text, {"PB_WORKERS": "4", "PB_SECRET_FILE": "/tmp/s"})
    assert multihost.env_file(changed) == {"PB_WORKERS": "4", "PB_ENV": "production", "PB_SECRET_FILE": "/tmp/s"}
    assert changed.startswith("# PB_WORKERS=9 is a comment\n")


def test_the_haproxy_configuration_is_rewritten_only_in_its_addresses(tmp_path):
    multihost = _multihost()
    original = (ROOT / "deploy" / "haproxy.cfg").read_text()
    pem = tmp_path / "pb.pem"
    config = multihost.haproxy_config(original, 8443, pem, ["10.9.0.2:8000", "10.9.1.2:8000"])
    assert f"bind 127.0.0.1:8443 ssl crt {pem}" in config
    assert "server host1 10.9.0.2:8000 check" in config and "server host2 10.9.1.2:8000 check" in config
    assert "http-check send meth GET uri /healthz" in config and "option forwardfor" in config
    unchanged = [line for line in original.splitlines() if not line.strip().startswith(("bind ", "server ", "log /dev/log"))]
    assert all(line in config.splitlines() for line in unchanged)
