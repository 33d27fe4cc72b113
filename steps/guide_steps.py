"""Steps of the guide walkthrough: a new user runs what deployment/README.md marks, with the four scripts, on the cluster."""

from __future__ import annotations

import docker
from pytest_bdd import given, parsers, then, when

from acceptance.core.names import COMPONENTS
from acceptance.delivery import guide
from acceptance.delivery.walkthrough import Walkthrough
from acceptance.release.release import Release
from fixtures.options import Settings
from fixtures.walkthrough import deployed_by_guide
from steps.phrases import quoted


@given("the app deployed by following the guide, with canary credentials in .env", target_fixture="release")
def app_deployed_by_guide(walkthrough: Walkthrough, docker_client: docker.DockerClient, settings: Settings) -> Release:
    return deployed_by_guide(walkthrough, docker_client, settings)


@when(parsers.parse('the guide\'s "{name}" step is run again'))
def step_run_again(walkthrough: Walkthrough, release: Release, name: str) -> None:
    release.remember_rollouts()
    walkthrough.follow(name)


@when(parsers.parse('a credential other than the database\'s is changed in .env and the guide\'s "{name}" step is run again'),
      target_fixture="changed")
def env_changed_and_step_run(walkthrough: Walkthrough, name: str) -> tuple[str, str]:
    key = walkthrough.change_credential()
    walkthrough.follow(name)
    return key, walkthrough.env_values()[key]


@when(parsers.re(r"the guide's steps (?P<names>.+) are run in one shell"), target_fixture="guide_run")
def steps_run(walkthrough: Walkthrough, names: str) -> guide.StepRun:
    return walkthrough.run(*quoted(names))


@when(parsers.parse('the guide\'s "{name}" step is run and its question is answered "{answer}"'), target_fixture="guide_run")
def step_run_answering(walkthrough: Walkthrough, name: str, answer: str) -> guide.StepRun:
    return walkthrough.run(name, answer=answer)


@when(parsers.parse('the guide\'s "{first}" step is run, then its "{second}" step'))
def steps_in_turn(walkthrough: Walkthrough, first: str, second: str) -> None:
    walkthrough.follow(first)
    walkthrough.after_cleanup = walkthrough.state()
    walkthrough.follow(second)


@when(parsers.parse('the guide\'s "{name}" step is run'))
def step_run(walkthrough: Walkthrough, name: str) -> None:
    walkthrough.follow(name)


@then("the release should run the images that build-images.sh built")
def runs_built_images(walkthrough: Walkthrough) -> None:
    problems = walkthrough.image_problems()
    assert not problems, "\n".join(problems)


@then("the Secret the deploy script made should hold exactly the values of .env, with no copy in an annotation")
def secret_holds_env(walkthrough: Walkthrough) -> None:
    problems = walkthrough.secret_problems(walkthrough.deploy_secret)
    assert not problems, "\n".join(problems)


@then("the release should take its credentials from the Secret the deploy script made")
def credentials_from_secret(walkthrough: Walkthrough) -> None:
    problems = walkthrough.credential_problems(walkthrough.deploy_secret)
    assert not problems, "\n".join(problems)


@then("no value of .env should appear in anything the guide's commands printed")
def nothing_printed(walkthrough: Walkthrough) -> None:
    leaked = walkthrough.leaked()
    assert not leaked, f"the guide's commands printed the value of {leaked} (see the evidence 'what the guide's commands printed')"


@then("no pod of the release should have been replaced or restarted")
def nothing_disturbed(release: Release) -> None:
    problems = [problem for component in COMPONENTS if (problem := release.disturbed_problem(component))]
    assert not problems, "\n".join(problems)


@then(parsers.parse('the "{component}" pods should run with the credential\'s new value'))
def new_value_running(release: Release, changed: tuple[str, str], component: str) -> None:
    key = changed[0]
    differ = [pod for pod, environment in release.process_environments(component).items() if environment.get(key) != changed[1]]
    assert not differ, f"the {component} pods {differ} still run with the old {key} after deploy.sh (value not shown)"


@then("every step should succeed and print what the guide documents")
def steps_as_documented(walkthrough: Walkthrough, guide_run: guide.StepRun) -> None:
    problems = walkthrough.problems(guide_run)
    assert not problems, "\n".join(problems)


@then("it should fail, naming the context, namespace and release it would have cleaned up")
def refused_naming_target(walkthrough: Walkthrough, guide_run: guide.StepRun) -> None:
    missing = walkthrough.unnamed_target(guide_run)
    assert not guide_run.result.ok and not missing, (
        f"cleanup.sh {'succeeded' if guide_run.result.ok else 'failed'} without a yes; its question lacks {missing}:\n{guide_run.result.stdout[-2000:]}")


@then("the release, its Secret and its claim should still be there")
def all_still_there(walkthrough: Walkthrough) -> None:
    state = walkthrough.state()
    assert state["release"] and state["secret"] and state["claims"], f"cleanup.sh deleted without a yes; what is left: {state}"


@then("the cleanup should have removed the release and its Secret and kept the claim")
def cleanup_kept_claim(walkthrough: Walkthrough) -> None:
    state = walkthrough.after_cleanup or {}
    assert state and not state["release"] and not state["secret"] and state["claims"], (
        f"right after cleanup.sh the namespace held: {state} (expected no release, no Secret, the claim)")


@then(parsers.parse('the todo list through the new frontend Service should hold "{title}"'))
def new_service_holds(release: Release, observe, title: str) -> None:
    release.wait_listed(observe, title)


@then("nothing of the release should be left in its namespace, its claim included")
def nothing_left(walkthrough: Walkthrough, release: Release) -> None:
    assert walkthrough.installed_values() is None, f"helm still lists release {release.name} in {release.namespace}"
    release.wait_gone(keep_allowed=False, budget="command")
