"""The environment variables a pydantic-settings class reads: derived from its fields, so no source names them whole.

`class Settings(BaseSettings): debug: bool` reads DEBUG (pydantic-settings matches names case-insensitively unless
`case_sensitive=True`); `env_prefix="APP_"` makes it APP_DEBUG; `Field(alias=...)`, `validation_alias=` (a string,
`AliasChoices`, `AliasPath`) and pydantic 1's `Field(env=...)` replace the name, without the prefix. A class counts when
it derives from BaseSettings or from a settings class of the same file, whose fields and configuration it inherits.
Nested models (`env_nested_delimiter`) are not followed.
"""

from __future__ import annotations

import ast
import dataclasses
from typing import TypeVar

SETTINGS_BASE = "BaseSettings"
# Where a field's Field(...) names its variable instead of the field's name, the first present winning.
ALIAS_KEYWORDS = ("validation_alias", "alias", "env")
Option = TypeVar("Option", str, bool)


@dataclasses.dataclass(frozen=True)
class EnvName:
    """A variable a settings class reads, and whether it is matched case-sensitively."""

    name: str
    case_sensitive: bool

    def reads(self, variable: str) -> bool:
        """Whether setting variable sets this name, as pydantic-settings matches them."""
        return variable == self.name if self.case_sensitive else variable.lower() == self.name.lower()


@dataclasses.dataclass
class SettingsClass:
    """What one settings class reads: its fields (each with its aliases, if any) under its prefix and case rule."""

    prefix: str = ""
    case_sensitive: bool = False
    fields: list[tuple[str, list[str]]] = dataclasses.field(default_factory=list)

    def env_names(self) -> list[EnvName]:
        return [EnvName(name, self.case_sensitive) for field, aliases in self.fields for name in (aliases or [self.prefix + field])]


def env_names(text: str) -> list[EnvName]:
    """The variables the settings classes of a Python source read; none if it does not parse.

    Args:
        text: a Python module's source.
    """
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return []
    classes: dict[str, SettingsClass] = {}
    for node in ast.walk(tree):  # breadth first: a module's classes in order, so a parent is seen before its children
        if isinstance(node, ast.ClassDef):
            bases = [base_name(base) for base in node.bases]
            parents = [classes[base] for base in bases if base in classes]
            if parents or SETTINGS_BASE in bases:
                inherited = parents[0] if parents else SettingsClass()
                options = configuration(node)
                classes[node.name] = SettingsClass(
                    literal(options.get("env_prefix"), inherited.prefix), literal(options.get("case_sensitive"), inherited.case_sensitive),
                    [field for parent in parents for field in parent.fields] + own_fields(node))
    return [name for settings in classes.values() for name in settings.env_names()]


def base_name(base: ast.expr) -> str | None:
    """The name a base class is written as (BaseSettings, or pydantic_settings.BaseSettings's attribute)."""
    return base.id if isinstance(base, ast.Name) else base.attr if isinstance(base, ast.Attribute) else None


def configuration(node: ast.ClassDef) -> dict[str, ast.expr]:
    """The options a settings class sets: `model_config = SettingsConfigDict(...)` or `{...}`, or pydantic 1's `class Config`."""
    options: dict[str, ast.expr] = {}
    for statement in node.body:
        target, value = assigned(statement)
        if target == "model_config" and isinstance(value, ast.Call):
            options |= {keyword.arg: keyword.value for keyword in value.keywords if keyword.arg}
        elif target == "model_config" and isinstance(value, ast.Dict):
            options |= {key.value: item for key, item in zip(value.keys, value.values, strict=True)
                        if isinstance(key, ast.Constant) and isinstance(key.value, str)}
        elif isinstance(statement, ast.ClassDef) and statement.name == "Config":
            options |= {name: item for name, item in map(assigned, statement.body) if name and item}
    return options


def assigned(statement: ast.stmt) -> tuple[str | None, ast.expr | None]:
    """The name and value of `NAME = value` or `NAME: type = value`; (None, None) for any other statement."""
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name):
        return statement.targets[0].id, statement.value
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        return statement.target.id, statement.value
    return None, None


def literal(value: ast.expr | None, default: Option) -> Option:
    """A constant option's value, or default when the option is absent or not a constant."""
    return value.value if isinstance(value, ast.Constant) and isinstance(value.value, type(default)) else default


def own_fields(node: ast.ClassDef) -> list[tuple[str, list[str]]]:
    """The fields a class declares, each with its aliases: annotated names, but private ones, ClassVars and model_config."""
    fields = []
    for statement in node.body:
        if (isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name) and not statement.target.id.startswith("_")
                and statement.target.id != "model_config" and "ClassVar" not in ast.unparse(statement.annotation)):
            fields.append((statement.target.id, aliases(statement.value)))
    return fields


def aliases(value: ast.expr | None) -> list[str]:
    """The variable names a field's `Field(...)` gives instead of its own name (empty: it has none)."""
    if not (isinstance(value, ast.Call) and (base_name(value.func) or "").endswith("Field")):
        return []
    keywords = {keyword.arg: keyword.value for keyword in value.keywords}
    return next((strings(keywords[keyword]) for keyword in ALIAS_KEYWORDS if keyword in keywords), [])


def strings(value: ast.expr) -> list[str]:
    """The names an alias expression holds: "X", AliasChoices("X", AliasPath("Y", 0)), or a list of them (pydantic 1)."""
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return [value.value]
    if isinstance(value, ast.Call) and base_name(value.func) == "AliasPath":
        return strings(value.args[0])[:1] if value.args else []
    if isinstance(value, ast.Call):
        return [name for argument in value.args for name in strings(argument)]
    if isinstance(value, (ast.List, ast.Tuple, ast.Set)):
        return [name for element in value.elts for name in strings(element)]
    return []
