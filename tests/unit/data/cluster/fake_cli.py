"""A stand-in for minikube, kind and kubectl that replays recorded output, for unit tests of the providers.

Called as `fake_cli.py TOOL ARGS...` through a small wrapper named TOOL on PATH. It reads the scenario
(JSON) named by $FAKE_CLI_SCENARIO: a list of rules {"tool", "contains", "stdout_file"|"stdout",
"stderr_file"|"stderr", "exit"}; the first rule whose tool matches and whose "contains" words all appear
in the arguments answers. Every call is appended to $FAKE_CLI_LOG as a JSON line. `kubectl port-forward`
really listens on the local port it is given, like kubectl, until it is terminated.
"""

import json
import os
import signal
import socket
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent


def text(rule, key, values):
    content = (DATA / rule[key + "_file"]).read_text() if key + "_file" in rule else rule.get(key, "")
    for name, value in values.items():
        content = content.replace("{" + name + "}", str(value))
    return content


def serve_port_forward(arguments):
    mapping = next(argument for argument in arguments if ":" in argument and argument.split(":")[0].isdigit())
    local_port = int(mapping.split(":")[0])
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", local_port))
    listener.listen(16)
    print(f"Forwarding from 127.0.0.1:{local_port} -> {mapping.split(':')[1]}", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    while True:
        connection, _ = listener.accept()
        connection.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok")
        connection.close()


def main():
    tool, arguments = sys.argv[1], sys.argv[2:]
    with Path(os.environ["FAKE_CLI_LOG"]).open("a") as log:
        log.write(json.dumps([tool, *arguments]) + "\n")
    rules = json.loads(Path(os.environ["FAKE_CLI_SCENARIO"]).read_text())
    values = json.loads(os.environ.get("FAKE_CLI_VALUES", "{}"))
    for rule in rules:
        if rule["tool"] == tool and all(word in arguments for word in rule.get("contains", [])):
            if rule.get("serve_port_forward"):
                serve_port_forward(arguments)
            sys.stdout.write(text(rule, "stdout", values))
            sys.stderr.write(text(rule, "stderr", values))
            sys.exit(rule.get("exit", 0))
    sys.stderr.write(f"fake {tool}: no recorded answer for {arguments}\n")
    sys.exit(97)


if __name__ == "__main__":
    main()
