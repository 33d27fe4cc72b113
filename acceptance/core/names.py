"""Names the suite and the deployment under test share: components, tiers, the release, label keys (docs/contracts.md)."""

COMPONENTS = ("frontend", "backend")
TIERS = ("static", "image", "cluster")
RELEASE = "todo-chatbot"
INSTANCE_LABEL = "app.kubernetes.io/instance"
COMPONENT_LABEL = "app.kubernetes.io/component"
CREATED_BY_LABEL = "app.kubernetes.io/created-by"


def default_image(component: str) -> str:
    """The image a component is built as unless --<component>-image says otherwise."""
    return f"todo-chatbot-{component}:1.0.0"
