"""Task phrasings → operation (or none): the labelled table the matcher's threshold is set on."""

import pytest

from freeagent.specs.match import THRESHOLD, Matcher
from freeagent.specs.registry import Registry, bundled_spec_paths


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    registry = Registry()
    registry.load(bundled_spec_paths())
    return Matcher(registry.operations)


CASES = [
    # explicit references
    ("GET /tasks/{taskId}", "getTask"),
    ("implement GET /tasks/3f1c/comments", "listComments"),
    ("call DELETE /labels/{labelId} here", "deleteLabel"),
    ("use createProject", "createProject"),
    ("searchTasks with the query box", "searchTasks"),
    # natural phrasings
    ("list comments for a task", "listComments"),
    ("create a comment on a task", "createComment"),
    ("add a comment to the task", "createComment"),
    ("fetch all projects", "listProjects"),
    ("get a project by id", "getProject"),
    ("update a project", "updateProject"),
    ("delete a project", "deleteProject"),
    ("create a new task in a project", "createTask"),
    ("list the tasks of a project", "listTasks"),
    ("delete a label", "deleteLabel"),
    ("attach a label to a task", "attachLabel"),
    ("remove a label from a task", "detachLabel"),
    ("upload an attachment to a task", "uploadAttachment"),
    ("search tasks", "searchTasks"),
    ("log the user in", "login"),
    ("refresh the access token", "refreshToken"),
    ("get the current user", "getCurrentUser"),
    ("register a webhook", "createWebhook"),
    ("send a test event to a webhook", "testWebhook"),
    ("assign a task to someone", "assignTask"),
    ("list comemnts for a task", "listComments"),  # typo
    # not covered by any spec
    ("compute fibonacci numbers", None),
    ("debounce the search input", None),
    ("parse a CSV file into rows", None),
    ("write a React hook for dark mode", None),
    ("retry with exponential backoff", None),
    ("send an email to the user", None),
]


@pytest.mark.parametrize("task, expected", CASES, ids=[c[0] for c in CASES])
def test_match_table(matcher, task, expected):
    match = matcher.match(task)
    if expected is None:
        assert not match.covered, f"{task!r} should not be spec-covered, got {match.operation.id} {match.confidence}"
    else:
        assert match.covered, f"{task!r} not covered ({match.reason})"
        assert match.operation.id == expected, f"{task!r} → {match.operation.id} ({match.reason})"


def test_explicit_references_are_certain(matcher):
    assert matcher.match("GET /tasks/{taskId}").confidence == 1.0
    assert matcher.match("POST /nowhere").confidence < THRESHOLD


def test_empty_registry_covers_nothing():
    assert not Matcher([]).match("list users").covered
