"""The nginx reader: syntax, the location nginx picks for a path, and the rate limit in force there."""

from __future__ import annotations

from pathlib import Path

import pytest

from acceptance.docker_engine import dockerfiles, nginx

ROOT = Path(__file__).resolve().parents[2]

LIMITED = """
http {
    limit_req_zone $binary_remote_addr zone=api:10m rate=20r/s;
    server {
        listen 8080;
        location = /api/health { return 200 'ok {"a": "b"}\\n'; }  # an exact match beats the prefix
        location /api/ {
            limit_req zone=api burst=40 nodelay;
            limit_req_status 429;
            proxy_pass http://backend:8000;
        }
        location / { try_files $uri /index.html; }
    }
}
"""


def config(text: str) -> nginx.Config:
    return nginx.Config({"nginx.conf": nginx.parse(text, "nginx.conf")})


def test_a_limited_location_has_no_problem_and_answers_429():
    assert config(LIMITED).rate_limit_problems("/api/") == []
    assert list(config(LIMITED).rejection_statuses("/api/").values()) == ["429"]


def test_nginx_picks_the_exact_match_then_the_longest_prefix():
    server = nginx.parse(LIMITED)[0].children("server")[0]
    assert nginx.chosen_location(server, "/api/health").args == ["=", "/api/health"]
    assert nginx.chosen_location(server, "/api/todos").args == ["/api/"]
    assert nginx.chosen_location(server, "/index.html").args == ["/"]


def test_a_regex_beats_a_plain_prefix_but_not_a_caret_tilde_one():
    regex_wins = nginx.parse("server { location /api/ { } location ~ ^/api/ { proxy_pass http://b; } }")[0]
    prefix_wins = nginx.parse("server { location ^~ /api/ { } location ~ ^/api/ { proxy_pass http://b; } }")[0]
    assert nginx.chosen_location(regex_wins, "/api/").args == ["~", "^/api/"]
    assert nginx.chosen_location(prefix_wins, "/api/").args == ["^~", "/api/"]


@pytest.mark.parametrize(("change", "says"), [
    (("            limit_req zone=api burst=40 nodelay;\n", ""), "no limit_req"),
    (("zone=api burst", "zone=apis burst"), "which no limit_req_zone declares"),
    (("$binary_remote_addr", "$server_name"), "not per client address"),
    (("proxy_pass http://backend:8000;", "root /srv;"), "no location proxies /api/"),
])
def test_each_way_to_leave_the_api_unlimited_is_named(change, says):
    problems = config(LIMITED.replace(*change)).rate_limit_problems("/api/")
    assert problems and says in problems[0], problems


def test_a_limit_of_the_server_block_is_inherited_and_the_default_status_is_503():
    text = LIMITED.replace("            limit_req zone=api burst=40 nodelay;\n            limit_req_status 429;\n", "")
    text = text.replace("        listen 8080;\n", "        listen 8080;\n        limit_req zone=api;\n")
    assert config(text).rate_limit_problems("/api/") == []
    assert list(config(text).rejection_statuses("/api/").values()) == ["503"]


@pytest.mark.parametrize("text", ["server { listen 80 }", "server { listen 80;", "location /a/ { return 200 'open; }", "}"])
def test_broken_syntax_is_refused(text):
    with pytest.raises(nginx.NginxSyntaxError):
        nginx.parse(text)


def test_the_reference_image_copies_its_template_and_limits_its_api():
    frontend = ROOT / "images" / "frontend"
    found = nginx.copied_by(dockerfiles.parse(frontend / "Dockerfile", frontend))
    assert sorted(found.files) == ["nginx/nginx.conf.template"], "the entrypoint script is not taken for nginx configuration"
    assert found.rate_limit_problems("/api/") == []
