"""The one way the static tier runs a deployment's script: logged fakes for every cluster tool, a scratch home and checkout, no network."""

from __future__ import annotations

import dataclasses
import functools
import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from acceptance.core.run import Result, ToolError, path_without, run
from acceptance.delivery import scripts
from acceptance.profile.model import Profile

REFUSING_FAKE = Path(__file__).with_name("fakes") / "sandboxed"
# Every tool that reaches a cluster, a container engine or a cloud account, faked whether or not this machine has it,
# so a script decides the same on every machine (one that prefers podman when it is installed always sees it). curl and
# wget are not here: they reach only the network, which is cut, and scripts use them for harmless things too.
SANDBOXED_TOOLS = (
    "helm", "kubectl", "minikube", "docker",  # the reference's scripts call these four
    "kind", "k3d", "k3s", "microk8s", "kubeadm", "oc", "helmfile", "skaffold", "tilt", "kubectx", "kubens",  # clusters
    "podman", "nerdctl", "buildah", "ctr", "crictl", "colima",  # container engines and their clients
    "aws", "gcloud", "az", "doctl", "eksctl",  # cloud accounts: managed clusters and registries
)
# What the script gets from the user's environment: how to print text, nothing that points at a cluster or holds a secret.
PASSED_VARIABLES = ("LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "TERM", "TZ", "USER", "LOGNAME")
# Where no network namespace can be made: the discard port on loopback, where nothing listens.
DEAD_PROXY = "http://127.0.0.1:9"
PROXY_VARIABLES = ("http_proxy", "https_proxy", "ftp_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "FTP_PROXY", "ALL_PROXY")
# The ways to a network namespace, tried in turn (see the module's docstring).
UNSHARE_COMMANDS = (("unshare", "--net"), ("unshare", "--net", "--map-current-user"), ("unshare", "--net", "--map-root-user"))
PROBE_TIMEOUT = 10.0


@functools.cache
def network_cut() -> tuple[str, ...]:
    """The command prefix that runs a command in a network namespace of its own; () where none can be made here.

    Probed once per process. In such a namespace the one interface, loopback, is down: nothing answers, 127.0.0.1
    included. As root (both pipelines in ci/ run the suite as root, the GitLab one in a container privileged enough to
    start a cluster; so did the machine this was written on) plain `unshare --net` works; an unprivileged user gets a
    user namespace with `--map-current-user` (util-linux 2.38 and later: the script keeps its uid), else
    `--map-root-user` (the script then sees uid 0). Only where no namespace can be made (a container without
    CAP_SYS_ADMIN, user namespaces disabled by the kernel) does the script keep the network; Sandbox.environment then
    points every proxy variable at DEAD_PROXY, so HTTP clients that honour them (curl, wget, helm, the docker CLI) fail,
    and one that ignores them is still held by the fakes, the absent kubeconfig and the dead sockets.
    """
    for command in UNSHARE_COMMANDS:
        if shutil.which(command[0]) is not None and run([*command, "true"], timeout=PROBE_TIMEOUT).ok:
            return command
    return ()


@dataclasses.dataclass
class Sandbox:
    """A scratch directory holding the fakes, a home, and a checkout of the deployment's scripts, to run them in.

    The static tier runs another team's scripts too (`--help`, an unknown option, a bad .env), and such a script may
    act before it checks anything: a deploy.sh that runs `helm upgrade --install --wait` against the user's current
    context, a cleanup.sh that ignores its arguments and deletes a namespace. So a script run here gets:

    - a PATH of the sandbox's fakes first (fakes/sandboxed, which logs the call to the calls file and exits 1 saying
      "sandboxed: TOOL is not reachable from the static tier") for every one of SANDBOXED_TOOLS, then the machine's
      other executables linked one by one (acceptance.core.run.path_without): no real cluster or container tool is
      found by name. A step may put another fake in one's place (fake_tools: recorded minikube output), or hide a tool.
    - an environment built, not inherited: of the user's only PASSED_VARIABLES (locale, terminal, user name), so no
      cloud credential, token, KUBECONFIG, DOCKER_HOST or KUBERNETES_SERVICE_HOST of theirs. HOME, the XDG
      directories, MINIKUBE_HOME, the HELM_* homes, DOCKER_CONFIG and TMPDIR are in the scratch; KUBECONFIG names a
      file that does not exist, DOCKER_HOST and CONTAINER_HOST a socket that does not exist. A tool called by its
      absolute path thus finds no cluster, no engine and no credential either.
    - its copy in a fresh checkout of the deployment (scripts.fresh_checkout) to run, from the copy's root: what it
      writes into its repository or working directory lands in the copy, never in the project under test.
    - no network (network_cut).
    """

    root: Path
    project_root: Path
    profile: Profile
    timeout: float

    @classmethod
    def create(cls, root: Path, project_root: Path, profile: Profile, timeout: float) -> Sandbox:
        """A sandbox in root (made here) for the scripts of the deployment at project_root, as profile names them.

        Args:
            root: the scratch directory; it must not exist yet, or be empty.
            project_root: the deployment's checkout, copied (its scripts, chart and env example) into root.
            profile: where the deployment keeps its scripts, chart and env example.
            timeout: seconds each script run may take.

        Raises:
            ToolError: a sandboxed tool could not be hidden from PATH.
        """
        sandbox = cls(root, project_root.absolute(), profile, timeout)
        for directory in (sandbox.home, sandbox.fakes, sandbox.root / "tmp", sandbox.root / "run"):
            directory.mkdir(parents=True, exist_ok=True)
        for tool in SANDBOXED_TOOLS:
            sandbox.fake(tool, REFUSING_FAKE)
        path_without(SANDBOXED_TOOLS[0], sandbox.real_tools, *SANDBOXED_TOOLS[1:])
        scripts.fresh_checkout(sandbox.project_root, sandbox.checkout, profile)
        return sandbox

    @property
    def home(self) -> Path:
        return self.root / "home"

    @property
    def fakes(self) -> Path:
        """The directory first on the script's PATH: one link per faked tool."""
        return self.root / "fake-bin"

    @property
    def real_tools(self) -> Path:
        """The directory after the fakes on PATH: the machine's executables, the sandboxed tools left out."""
        return self.root / "real-bin"

    @property
    def checkout(self) -> Path:
        return self.root / "checkout"

    @property
    def calls_file(self) -> Path:
        """Where every fake logs its calls, one line each: the tool's name, then its arguments."""
        return self.root / "calls.log"

    @property
    def kubeconfig(self) -> Path:
        """The script's KUBECONFIG: a file that does not exist until a script writes one."""
        return self.root / "kubeconfig"

    def fake(self, tool: str, program: Path) -> None:
        """Make tool answer with program (called by tool's name, $FAKE_CALLS naming the calls file)."""
        link = self.fakes / tool
        link.unlink(missing_ok=True)
        link.symlink_to(program)

    def hide(self, tool: str) -> None:
        """Leave tool off the script's PATH: neither its fake nor the machine's.

        Raises:
            ToolError: tool is still found (another executable of that name).
        """
        for directory in (self.fakes, self.real_tools):
            (directory / tool).unlink(missing_ok=True)
        if shutil.which(tool, path=self.environment()["PATH"]) is not None:
            raise ToolError(f"could not hide {tool} from the sandbox's PATH")

    def script(self, role: str) -> Path:
        """The copy, in the sandbox's checkout, of the profile's script for role (scripts.ROLES)."""
        return self.checkout / self.profile.path("scripts", role)

    def copy_of(self, script: Path) -> Path:
        """The copy of a script of the project in the sandbox's checkout (script itself when it is such a copy).

        Raises:
            ValueError: script is neither in the project nor in the sandbox's checkout.
        """
        script = script.absolute()
        if script.is_relative_to(self.checkout):
            return script
        if not script.is_relative_to(self.project_root):
            raise ValueError(f"{script} is not a script of the project {self.project_root}: the sandbox runs only those")
        return self.checkout / script.relative_to(self.project_root)

    def environment(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        """The script's whole environment (see the module), with extra added (a fake's settings)."""
        config, cache, data = self.home / ".config", self.home / ".cache", self.home / ".local" / "share"
        environment = {name: os.environ[name] for name in PASSED_VARIABLES if name in os.environ}
        environment.update({
            "PATH": f"{self.fakes}{os.pathsep}{self.real_tools}", "HOME": str(self.home), "TMPDIR": str(self.root / "tmp"),
            "XDG_CONFIG_HOME": str(config), "XDG_CACHE_HOME": str(cache), "XDG_DATA_HOME": str(data),
            "XDG_STATE_HOME": str(self.home / ".local" / "state"), "XDG_RUNTIME_DIR": str(self.root / "run"),
            "KUBECONFIG": str(self.kubeconfig), "MINIKUBE_HOME": str(self.home / ".minikube"),
            "HELM_CONFIG_HOME": str(config / "helm"), "HELM_CACHE_HOME": str(cache / "helm"), "HELM_DATA_HOME": str(data / "helm"),
            "DOCKER_CONFIG": str(self.home / ".docker"), "DOCKER_HOST": f"unix://{self.root / 'run' / 'docker.sock'}",
            "CONTAINER_HOST": f"unix://{self.root / 'run' / 'podman.sock'}", "FAKE_CALLS": str(self.calls_file),
        })
        if not network_cut():
            environment.update(dict.fromkeys(PROXY_VARIABLES, DEAD_PROXY), no_proxy="", NO_PROXY="")
        return {**environment, **(extra or {})}

    def run(self, script: Path, *arguments: str | Path, extra: Mapping[str, str] | None = None) -> Result:
        """Run the copy of script (copy_of) with arguments, from the checkout's root, in the sandbox; never raises for a
        failing script.

        Raises:
            ValueError: script is neither in the project nor in the sandbox's checkout.
        """
        command = [*network_cut(), str(self.copy_of(script)), *map(str, arguments)]
        return run(command, timeout=self.timeout, cwd=self.checkout, env=self.environment(extra))

    def calls(self, tool: str) -> list[str]:
        """The arguments of every call of tool a fake logged, in order."""
        lines = self.calls_file.read_text().splitlines() if self.calls_file.exists() else []
        return [line.split(" ", 1)[1] if " " in line else "" for line in lines if line.split(" ", 1)[0] == tool]
